import { sql } from "kysely";
import type { Db } from "#db/connect";
import { indexLifecycle, supportStatus, type SupportState } from "~/modules/os-lifecycle/support";

/**
 * A practice's estate at a glance, in five small set queries. OS support is decided by the same
 * `supportStatus` the registers and rules use: the query groups devices by OS, then each group is
 * classified once.
 */
export async function getEstateOverview(db: Db, ods: string, asOf: string) {
  const [byType, osGroups, warranty, lifecycle, telephony, services, sites] = await Promise.all([
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
  const index = indexLifecycle(lifecycle);
  const os: Record<SupportState, number> = { supported: 0, unsupported: 0, esu: 0, unknown: 0, not_applicable: 0 };
  for (const g of osGroups) os[supportStatus(g, index, asOf).state] += Number(g.n);
  return {
    devicesByType: byType.map((r) => ({ type: r.device_type, count: Number(r.n) })),
    deviceTotal: byType.reduce((s, r) => s + Number(r.n), 0),
    os,
    warrantyExpired: Number(warranty.n),
    telephony: telephony ?? null,
    services: { inUse: Number(services.in_use), recorded: Number(services.recorded) },
    sites: { open: Number(sites.open), withoutHscn: Number(sites.without_hscn) },
  };
}
