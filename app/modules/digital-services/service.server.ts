import type { Db } from "#db/connect";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { listAuditForEntity, recordAudit, type AuditInput } from "~/modules/audit/repository.server";
import { conflict } from "~/utils/errors";
import {
  DIGITAL_SERVICES,
  PRINCIPAL_CLINICAL_SYSTEM,
  SERVICE_STATUSES,
  serviceLabel,
  type ServiceKey,
  type ServiceStatus,
} from "~/modules/catalogue/digital-services";
import * as repo from "./repository.server";
import { DIGITAL_SERVICE_COLUMNS, type DigitalServicesInput, type ServiceFields } from "./schema";

/** Events for the register are filed under the practice code; each names its service. */
export const DIGITAL_SERVICES_ENTITY = "digital_services";

export interface ServiceView {
  key: ServiceKey;
  label: string;
  requirementIds: readonly string[];
  hint?: string;
  /** `unknown` when no row exists: a service is never assumed to be in use. */
  status: ServiceStatus;
  supplier: string | null;
  since_date: string | null;
  seats: number | null;
  notes: string | null;
  /** 0 when there is no row yet. */
  version: number;
}

const facts = (r: {
  status: ServiceStatus;
  supplier: string | null;
  since_date: string | null;
  seats: number | null;
  notes: string | null;
}) => ({
  status: r.status,
  supplier: r.supplier,
  since_date: r.since_date,
  seats: r.seats,
  notes: r.notes,
});
const NO_ROW = { status: "unknown" as ServiceStatus, supplier: null, since_date: null, seats: null, notes: null };
const sameFacts = (a: ReturnType<typeof facts>, b: ReturnType<typeof facts>) =>
  a.status === b.status && a.supplier === b.supplier && a.since_date === b.since_date && a.seats === b.seats && a.notes === b.notes;

async function loadServices(db: Db, practiceCode: string): Promise<ServiceView[]> {
  const rows = new Map((await repo.listForPractice(db, practiceCode)).map((r) => [r.service_key, r]));
  return DIGITAL_SERVICES.map((s) => {
    const row = rows.get(s.key);
    return {
      key: s.key,
      label: s.label,
      requirementIds: s.requirementIds,
      hint: "hint" in s ? s.hint : undefined,
      ...(row ? facts(row) : NO_ROW),
      version: row?.version ?? 0,
    };
  });
}

export async function getServicesPage(db: Db, practiceCode: string) {
  const [services, national, events] = await Promise.all([
    loadServices(db, practiceCode),
    repo.findNationalClinicalSystem(db, practiceCode),
    listAuditForEntity(db, DIGITAL_SERVICES_ENTITY, practiceCode),
  ]);
  // The history shows which service each event is about.
  const history = events.map((e) => {
    const key = ((e.after ?? e.before) as { service_key?: string } | null)?.service_key ?? "";
    const readable = (v: unknown) =>
      v && typeof v === "object" && typeof (v as { status?: unknown }).status === "string"
        ? { ...(v as object), status: SERVICE_STATUSES[(v as { status: ServiceStatus }).status] ?? (v as { status: string }).status }
        : v;
    return { ...e, action: `${serviceLabel(key)} updated`, before: readable(e.before), after: readable(e.after) };
  });
  return {
    principal: services.find((s) => s.key === PRINCIPAL_CLINICAL_SYSTEM)!,
    services: services.filter((s) => s.key !== PRINCIPAL_CLINICAL_SYSTEM),
    all: services,
    national: national ?? { clinical_system: null, clinical_system_detail: null, clinical_system_source: null },
    history,
  };
}

const conflictFor = (key: string) =>
  conflict(
    `Someone else changed ${serviceLabel(key)} since you opened this page, so none of your changes were saved. Reload the page to see their changes, then make yours again.`,
  );

/**
 * Saves the whole form in one transaction. Rows whose values did not change are skipped (no
 * write, no audit event); each changed row must still be at the version the editor opened, and a
 * conflict on any of them rolls back every change.
 */
export async function saveServices(db: Db, actorId: number, practiceCode: string, input: DigitalServicesInput) {
  return db.transaction().execute(async (trx) => {
    const existing = new Map((await repo.listForPractice(trx, practiceCode)).map((r) => [r.service_key, r]));
    const events: AuditInput[] = [];
    for (const { key } of DIGITAL_SERVICES) {
      const submitted: ServiceFields = input[key];
      const next = facts(submitted);
      const row = existing.get(key);
      if (sameFacts(next, row ? facts(row) : NO_ROW)) continue;
      if (!row) {
        if (submitted.version !== 0) throw conflictFor(key);
        const created = await repo.insertIfAbsent(trx, practiceCode, key, next);
        if (!created) throw conflictFor(key);
        events.push(event(actorId, practiceCode, null, created));
      } else {
        if (submitted.version !== row.version) throw conflictFor(key);
        const updated = await repo.updateAtVersion(trx, practiceCode, key, submitted.version, next);
        if (!updated) throw conflictFor(key);
        events.push(event(actorId, practiceCode, row, updated));
      }
    }
    if (events.length) await recordAudit(trx, events);
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return { changed: events.length };
  });
}

function event(actorId: number, practiceCode: string, before: repo.DigitalServiceRow | null, after: repo.DigitalServiceRow): AuditInput {
  const shape = (r: repo.DigitalServiceRow) => ({ service_key: r.service_key, ...facts(r), version: r.version });
  return {
    userId: actorId,
    action: before ? "digital_service.update" : "digital_service.create",
    entityType: DIGITAL_SERVICES_ENTITY,
    entityId: practiceCode,
    before: before ? shape(before) : null,
    after: shape(after),
  };
}

/** One row per catalogue service (unknown where nothing is recorded), with the form's field names. */
export async function exportServices(db: Db, practiceCode: string) {
  const services = await loadServices(db, practiceCode);
  return {
    columns: [...DIGITAL_SERVICE_COLUMNS],
    rows: services.map((s) => [practiceCode, s.key, s.label, s.status, s.supplier, s.since_date, s.seats, s.notes]),
  };
}
