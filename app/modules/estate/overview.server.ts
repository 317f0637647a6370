import type { Db } from "#db/connect";
import { loadEstateOverview } from "./repository.server";
import { indexLifecycle, supportStatus, type SupportState } from "~/modules/os-lifecycle/support";

/**
 * A practice's estate at a glance, in five small set queries. OS support is decided by the same
 * `supportStatus` the registers and rules use: the query groups devices by OS, then each group is
 * classified once.
 */
export async function getEstateOverview(db: Db, ods: string, asOf: string) {
  const [byType, osGroups, warranty, lifecycle, telephony, services, sites] = await loadEstateOverview(db, ods, asOf);
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
