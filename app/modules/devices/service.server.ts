import type { Db } from "#db/connect";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { loadLifecycleIndex } from "~/modules/os-lifecycle/service.server";
import { supportStatus, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { badRequest, conflict, notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import type { RetireDeviceInput } from "./confirm-schema";
import { deviceDerived } from "~/modules/catalogue/device-facts";
import type { DeviceFilters } from "./filters";
import { sortDevices } from "./sort";
import * as repo from "./repository.server";
import type { DeviceInput } from "./schema";

type Ok<T = object> = { ok: true } & T;

const staleDevice = () =>
  conflict("Someone else changed this device since you opened it. Reload the page to see their changes, then make yours again.");

/**
 * One practice's devices, filtered, sorted and paged. Support status needs the lifecycle rules
 * in support.ts, so the practice's matching devices (a few hundred at most) are loaded in one
 * query, the lifecycle table once, and the support filter, sort and page applied here: one rule
 * for every page and report, and no query per device.
 */
export async function listDevices(db: Db, practiceCode: string, f: DeviceFilters, asOf: string, page: number) {
  const [rows, index, sites, current] = await Promise.all([
    repo.listPracticeDevices(db, practiceCode, {
      type: f.type,
      status: f.status,
      site: f.site,
      q: f.q,
      warrantyEndedBefore: f.warranty === "expired" ? asOf : undefined,
    }),
    loadLifecycleIndex(db),
    repo.listSites(db, practiceCode),
    repo.listCurrentDeviceFacts(db, practiceCode),
  ]);
  const summary = summarise(current, index, asOf);
  const withDerived = derivedRows(rows, index, asOf, f.os);
  const sorted = sortDevices(withDerived, f.sort, f.dir);
  const start = (page - 1) * PAGE_SIZE;
  return { page: toPage(sorted.slice(start, start + PAGE_SIZE), sorted.length, page), sites, summary };
}

// A loop in a module-level function, not closures made on each request: V8 drops the optimized
// code of closures made per request at every full collection (docs/performance.md, session 16,
// optimized code dropped at every full collection).
function derivedRows(
  rows: Awaited<ReturnType<typeof repo.listPracticeDevices>>,
  index: Map<string, LifecycleRow>,
  asOf: string,
  os: DeviceFilters["os"],
) {
  const out = [];
  for (const r of rows) {
    const { support, ageYears, warrantyExpired } = deviceDerived(r, index, asOf);
    if (os && support.state !== os) continue;
    out.push({
      ...r,
      ageYears,
      warrantyExpired,
      support: { state: support.state, endOfSupport: support.endOfSupport, daysToEnd: support.daysToEnd },
    });
  }
  return out;
}

export type DeviceListItem = Awaited<ReturnType<typeof listDevices>>["page"]["rows"][number];

/** Counts for a practice's devices not disposed of: all, unsupported OS, warranty ended. */
export async function deviceSummary(db: Db, practiceCode: string, asOf: string) {
  const [rows, index] = await Promise.all([repo.listCurrentDeviceFacts(db, practiceCode), loadLifecycleIndex(db)]);
  return summarise(rows, index, asOf);
}

function summarise(rows: Awaited<ReturnType<typeof repo.listCurrentDeviceFacts>>, index: Map<string, LifecycleRow>, asOf: string) {
  let unsupportedOs = 0;
  let warrantyExpired = 0;
  for (const r of rows) {
    if (supportStatus(r, index, asOf).state === "unsupported") unsupportedOs++;
    if (r.warranty_end !== null && r.warranty_end < asOf) warrantyExpired++;
  }
  return { total: rows.length, unsupportedOs, warrantyExpired };
}

/** One device of one practice; a device of another practice is a 404, exactly like a missing one. */
export async function requireDevice(db: Db, practiceCode: string, id: number) {
  const device = await repo.findDevice(db, practiceCode, id);
  if (!device) throw notFound("device");
  return device;
}

export async function getDevicePage(db: Db, practiceCode: string, id: number, asOf: string) {
  const device = await requireDevice(db, practiceCode, id);
  const [index, site, history] = await Promise.all([
    loadLifecycleIndex(db),
    device.site_code ? repo.siteName(db, practiceCode, device.site_code) : undefined,
    listAuditForEntity(db, "device", String(id)),
  ]);
  return { device, siteName: site?.name ?? null, derived: deviceDerived(device, index, asOf), history };
}

export async function getDeviceForm(db: Db, practiceCode: string, id?: number) {
  const [device, sites] = await Promise.all([
    id === undefined ? undefined : requireDevice(db, practiceCode, id),
    repo.listSites(db, practiceCode),
  ]);
  return { device, sites };
}

/** Field errors for a site that is not the practice's and for an asset tag or serial already used. */
async function checkDevice(db: Db, practiceCode: string, input: DeviceInput, exceptId?: number): Promise<FormFailure | null> {
  const fieldErrors: Record<string, string> = {};
  if (input.site_code && !(await repo.siteName(db, practiceCode, input.site_code))) {
    fieldErrors.site_code = `Site ${input.site_code} is not one of this practice's sites`;
  }
  for (const c of await repo.findIdentityClashes(db, practiceCode, input, exceptId)) {
    if (input.asset_tag && c.asset_tag?.toLowerCase() === input.asset_tag.toLowerCase())
      fieldErrors.asset_tag = clashMessage("asset_tag", input.asset_tag);
    if (input.serial_number && c.serial_number?.toLowerCase() === input.serial_number.toLowerCase())
      fieldErrors.serial_number = clashMessage("serial_number", input.serial_number);
  }
  return Object.keys(fieldErrors).length ? { ok: false, fieldErrors } : null;
}

const clashMessage = (field: "asset_tag" | "serial_number", value: string) =>
  `Another device at this practice already has ${field === "asset_tag" ? "asset tag" : "serial number"} ${value}`;

/** A unique-index violation (two saves racing past the check) as the same field error. */
function identityViolation(e: unknown, input: DeviceInput): FormFailure | null {
  const err = e as { code?: string; constraint?: string };
  if (err?.code !== "23505") return null;
  if (err.constraint === "device_asset_tag_key")
    return { ok: false, fieldErrors: { asset_tag: clashMessage("asset_tag", input.asset_tag ?? "") } };
  if (err.constraint === "device_serial_key")
    return { ok: false, fieldErrors: { serial_number: clashMessage("serial_number", input.serial_number ?? "") } };
  return null;
}

export async function createDevice(
  db: Db,
  actorId: number,
  practiceCode: string,
  input: DeviceInput,
): Promise<Ok<{ id: number }> | FormFailure> {
  try {
    return await db.transaction().execute(async (trx) => {
      const problem = await checkDevice(trx, practiceCode, input);
      if (problem) return problem;
      const device = await repo.insertDevice(trx, practiceCode, input);
      await recordAudit(trx, {
        userId: actorId,
        action: "device.create",
        entityType: "device",
        entityId: String(device.id),
        after: device,
      });
      await reevaluateAfterChange(trx, practiceCode, actorId);
      return { ok: true as const, id: device.id };
    });
  } catch (e) {
    const failure = identityViolation(e, input);
    if (failure) return failure;
    throw e;
  }
}

export async function updateDevice(
  db: Db,
  actorId: number,
  practiceCode: string,
  id: number,
  version: number,
  input: DeviceInput,
): Promise<Ok | FormFailure> {
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await requireDevice(trx, practiceCode, id);
      if (before.version !== version) throw staleDevice();
      const problem = await checkDevice(trx, practiceCode, input, id);
      if (problem) return problem;
      const after = await repo.updateDevice(trx, practiceCode, id, version, input);
      if (!after) throw staleDevice();
      await recordAudit(trx, { userId: actorId, action: "device.update", entityType: "device", entityId: String(id), before, after });
      await reevaluateAfterChange(trx, practiceCode, actorId);
      return { ok: true as const };
    });
  } catch (e) {
    const failure = identityViolation(e, input);
    if (failure) return failure;
    throw e;
  }
}

/** Marks a device disposed of on a date; it stays on record (and in reports) with that status. */
export async function retireDevice(
  db: Db,
  actorId: number,
  practiceCode: string,
  id: number,
  input: RetireDeviceInput,
): Promise<Ok | FormFailure> {
  const disposedDate = input.disposed_date as string;
  return db.transaction().execute(async (trx) => {
    const before = await requireDevice(trx, practiceCode, id);
    if (before.version !== input.version) throw staleDevice();
    if (before.status === "disposed") throw badRequest("This device is already recorded as disposed of.");
    if (disposedDate > todayIso()) return { ok: false, fieldErrors: { disposed_date: "Disposal date must be today or in the past" } };
    if (before.purchase_date && disposedDate < before.purchase_date) {
      return { ok: false, fieldErrors: { disposed_date: "Disposal date must be on or after the purchase date" } };
    }
    const after = await repo.updateDevice(trx, practiceCode, id, input.version, { status: "disposed", disposed_date: disposedDate });
    if (!after) throw staleDevice();
    await recordAudit(trx, { userId: actorId, action: "device.retire", entityType: "device", entityId: String(id), before, after });
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return { ok: true as const };
  });
}

/** Removes a device recorded in error. The audit event keeps the whole row. */
export async function deleteDevice(db: Db, actorId: number, practiceCode: string, id: number, version: number): Promise<Ok> {
  return db.transaction().execute(async (trx) => {
    const before = await requireDevice(trx, practiceCode, id);
    if (before.version !== version) throw staleDevice();
    const deleted = await repo.deleteDevice(trx, practiceCode, id, version);
    if (!deleted) throw staleDevice();
    await recordAudit(trx, { userId: actorId, action: "device.delete", entityType: "device", entityId: String(id), before: deleted });
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return { ok: true as const };
  });
}
