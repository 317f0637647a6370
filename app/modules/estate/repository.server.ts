import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * The small set queries behind a practice's estate overview (overview.server.ts), run together:
 * devices by type, devices grouped by OS, devices out of warranty, the OS lifecycle, the current
 * telephony, digital services and sites.
 */
export function loadEstateOverview(db: Db, ods: string, asOf: string) {
  return Promise.all([
    db
      .selectFrom("device")
      .select(["device_type", (eb) => eb.fn.countAll<number>().as("n")])
      .where("practice_code", "=", ods)
      .where("status", "!=", "disposed")
      .groupBy("device_type")
      .orderBy("device_type")
      .execute(),
    db
      .selectFrom("device")
      .select(["os_family", "os_edition", "os_version", "esu_years", (eb) => eb.fn.countAll<number>().as("n")])
      .where("practice_code", "=", ods)
      .where("status", "!=", "disposed")
      .where("os_family", "is not", null)
      .groupBy(["os_family", "os_edition", "os_version", "esu_years"])
      .execute(),
    db
      .selectFrom("device")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("practice_code", "=", ods)
      .where("status", "!=", "disposed")
      .where("warranty_end", "<", asOf)
      .executeTakeFirstOrThrow(),
    db.selectFrom("os_lifecycle").select(["family", "edition", "version", "end_of_support", "extended_end", "esu_year_ends"]).execute(),
    db
      .selectFrom("telephony_system")
      .select(["system_type", "supplier", "contract_end"])
      .where("practice_code", "=", ods)
      .where("is_current", "=", true)
      .executeTakeFirst(),
    db
      .selectFrom("digital_service")
      .select([sql<number>`count(*) filter (where status = 'in_use')`.as("in_use"), (eb) => eb.fn.countAll<number>().as("recorded")])
      .where("practice_code", "=", ods)
      .executeTakeFirstOrThrow(),
    db
      .selectFrom("site")
      .select([
        sql<number>`count(*) filter (where close_date is null)`.as("open"),
        sql<number>`count(*) filter (where close_date is null and hscn_connected is not true)`.as("without_hscn"),
      ])
      .where("practice_code", "=", ods)
      .executeTakeFirstOrThrow(),
  ]);
}
