import { sql } from "kysely";
import type { Db } from "#db/connect";

export interface EnglandCounts {
  /** Status A, country England, a GP practice (prescribing setting 4, or unknown when only GPAD named it). */
  activePractices: number;
  /** Registered patients at those practices, from each one's latest list-size extract. */
  patients: number;
  /** Practices with a list size among the active ones. */
  practicesWithListSize: number;
  closedPractices: number;
  dormantPractices: number;
  proposedPractices: number;
  /** Welsh practices (all statuses): imported and flagged, never counted above. */
  welshPractices: number;
  activeWelshPractices: number;
  pcnsOpen: number;
  pcnsClosed: number;
  /** Regions, ICBs and sub-ICBs that have at least one active English GP practice. */
  regions: number;
  icbs: number;
  subIcbs: number;
}

/**
 * Headline counts for England. Geography is counted through active practices because epraccur
 * also names retired codes (old CCGs and area teams) on closed practices, which are kept as
 * stub rows but are not part of today's NHS.
 */
export async function englandCounts(db: Db): Promise<EnglandCounts> {
  const active = sql`status = 'A' and country = 'England' and coalesce(prescribing_setting, 4) = 4`;
  const r = await sql<Record<keyof EnglandCounts, number>>`
    select
      count(*) filter (where ${active}) as "activePractices",
      coalesce(sum(list_size) filter (where ${active}), 0)::int8 as "patients",
      count(list_size) filter (where ${active}) as "practicesWithListSize",
      count(*) filter (where country = 'England' and status = 'C') as "closedPractices",
      count(*) filter (where country = 'England' and status = 'D') as "dormantPractices",
      count(*) filter (where country = 'England' and status = 'P') as "proposedPractices",
      count(*) filter (where country = 'Wales') as "welshPractices",
      count(*) filter (where country = 'Wales' and status = 'A') as "activeWelshPractices",
      (select count(*) from pcn where close_date is null) as "pcnsOpen",
      (select count(*) from pcn where close_date is not null) as "pcnsClosed",
      count(distinct region_code) filter (where ${active}) as "regions",
      count(distinct icb_code) filter (where ${active}) as "icbs",
      count(distinct sub_icb_code) filter (where ${active}) as "subIcbs"
    from practice`.execute(db);
  return r.rows[0];
}
