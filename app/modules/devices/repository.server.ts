import { sql, type Insertable, type Updateable } from "kysely";
import type { Db } from "#db/connect";
import type { DeviceTable } from "#db/types";
import type { Scope } from "~/utils/permissions";
import { DEVICE_FIELDS } from "./import/validate";
import type { DeviceInput } from "./schema";

/** SQL-side filters; support status is worked out from the lifecycle table afterwards. */
export interface DeviceQuery {
  type?: string;
  status: string;
  site?: string;
  q?: string;
  /** Only devices whose warranty ended before this date. */
  warrantyEndedBefore?: string;
}

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

/** The columns the list and its support check need, for every matching device of one practice. */
export function listPracticeDevices(db: Db, practiceCode: string, f: DeviceQuery) {
  let q = db
    .selectFrom("device")
    .leftJoin("site", (j) => j.onRef("site.code", "=", "device.site_code").onRef("site.practice_code", "=", "device.practice_code"))
    .select([
      "device.id",
      "device.asset_tag",
      "device.serial_number",
      "device.device_type",
      "device.make",
      "device.model",
      "device.site_code",
      "site.name as site_name",
      "device.status",
      "device.os_family",
      "device.os_edition",
      "device.os_version",
      "device.esu_years",
      "device.purchase_date",
      "device.warranty_end",
      "device.tpm_version",
      "device.cpu_model",
      "device.cpu_generation",
      "device.ram_gb",
    ])
    .where("device.practice_code", "=", practiceCode);
  if (f.type) q = q.where("device.device_type", "=", f.type);
  if (f.status === "current") q = q.where("device.status", "<>", "disposed");
  else if (f.status !== "all") q = q.where("device.status", "=", f.status as DeviceTable["status"]);
  if (f.site) q = q.where("device.site_code", "=", f.site);
  if (f.warrantyEndedBefore) q = q.where("device.warranty_end", "<", f.warrantyEndedBefore);
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    q = q.where((eb) =>
      eb.or(["device.asset_tag", "device.serial_number", "device.make", "device.model"].map((c) => eb(sql.ref(c), "ilike", like))),
    );
  }
  return q.orderBy("device.id").execute();
}

export type DeviceListRow = Awaited<ReturnType<typeof listPracticeDevices>>[number];

/** What the counts above the list read: every device not disposed of. */
export function listCurrentDeviceFacts(db: Db, practiceCode: string) {
  return db
    .selectFrom("device")
    .select(["id", "device_type", "os_family", "os_edition", "os_version", "esu_years", "warranty_end"])
    .where("practice_code", "=", practiceCode)
    .where("status", "<>", "disposed")
    .execute();
}

export function findDevice(db: Db, practiceCode: string, id: number) {
  return db.selectFrom("device").selectAll().where("id", "=", id).where("practice_code", "=", practiceCode).executeTakeFirst();
}

export function listSites(db: Db, practiceCode: string) {
  return db
    .selectFrom("site")
    .select(["code", "name", "kind", "close_date"])
    .where("practice_code", "=", practiceCode)
    .orderBy("kind", "desc")
    .orderBy("name")
    .orderBy("code")
    .execute();
}

export function siteName(db: Db, practiceCode: string, siteCode: string) {
  return db.selectFrom("site").select("name").where("code", "=", siteCode).where("practice_code", "=", practiceCode).executeTakeFirst();
}

/** Other devices of the practice with the same asset tag or serial number (any case). */
export function findIdentityClashes(
  db: Db,
  practiceCode: string,
  d: { asset_tag: string | null; serial_number: string | null },
  exceptId?: number,
) {
  if (!d.asset_tag && !d.serial_number) return Promise.resolve([]);
  let q = db
    .selectFrom("device")
    .select(["id", "asset_tag", "serial_number"])
    .where("practice_code", "=", practiceCode)
    .where((eb) => {
      const ors = [];
      if (d.asset_tag) ors.push(eb(sql`lower(asset_tag)`, "=", d.asset_tag.toLowerCase()));
      if (d.serial_number) ors.push(eb(sql`lower(serial_number)`, "=", d.serial_number.toLowerCase()));
      return eb.or(ors);
    });
  if (exceptId !== undefined) q = q.where("id", "<>", exceptId);
  return q.execute();
}

export function insertDevice(db: Db, practiceCode: string, input: DeviceInput) {
  return db
    .insertInto("device")
    .values({ ...input, practice_code: practiceCode } as Insertable<DeviceTable>)
    .returningAll()
    .executeTakeFirstOrThrow();
}

/** Changes a device only if it is still at `version`; undefined means it changed or is gone. */
export function updateDevice(db: Db, practiceCode: string, id: number, version: number, values: Updateable<DeviceTable>) {
  return db
    .updateTable("device")
    .set((eb) => ({ ...values, version: eb("version", "+", 1), updated_at: new Date() }))
    .where("id", "=", id)
    .where("practice_code", "=", practiceCode)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

export function deleteDevice(db: Db, practiceCode: string, id: number, version: number) {
  return db
    .deleteFrom("device")
    .where("id", "=", id)
    .where("practice_code", "=", practiceCode)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}

/**
 * One keyset page of devices for an export, in (practice, id) order: a practice's devices, or
 * every device in a scope. `after` is the last row of the previous page.
 */
export function exportDevicePage(
  db: Db,
  filter: { practiceCode: string } | { scope: Scope },
  after: { practice_code: string; id: number } | null,
  limit: number,
) {
  let q = db.selectFrom("device").select(["id", "practice_code", ...DEVICE_FIELDS]);
  if ("practiceCode" in filter) q = q.where("practice_code", "=", filter.practiceCode);
  else if (!filter.scope.all) {
    const { icbCodes, practiceCodes } = filter.scope;
    q = q.where("practice_code", "in", (sub) =>
      sub
        .selectFrom("practice")
        .select("ods_code")
        .where((eb) =>
          eb.or([
            ...(icbCodes.length ? [eb("icb_code", "in", icbCodes)] : []),
            ...(practiceCodes.length ? [eb("ods_code", "in", practiceCodes)] : []),
          ]),
        ),
    );
  }
  // Written out rather than as a row comparison `(practice_code, id) > (…)`: PGlite (PostgreSQL 17
  // in WebAssembly) returns repeated rows for that form through device_practice_type_idx.
  if (after) {
    const a = after;
    q = q.where((eb) =>
      eb.or([eb("practice_code", ">", a.practice_code), eb.and([eb("practice_code", "=", a.practice_code), eb("id", ">", a.id)])]),
    );
  }
  return q.orderBy("practice_code").orderBy("id").limit(limit).execute();
}
