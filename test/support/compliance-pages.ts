import { sql } from "kysely";
import type { Db } from "#db/connect";
import { syncCatalogue } from "~/modules/compliance/catalogue.server";
import type { Status } from "~/modules/catalogue/rule-types";
import { ensureLifecycle } from "./compliance-db";

/**
 * What the compliance pages need on either database: the requirement rows (on PostgreSQL the
 * per-worker database is emptied after migrating) and the OS lifecycle rows the rules read.
 */
export async function prepareCompliance(db: Db) {
  await syncCatalogue(db);
  await ensureLifecycle(db);
}

export interface InForce {
  practice_code: string;
  requirement_id: string;
  status: Status;
  weight: number;
  domain: string;
}

/**
 * The stored results in force on `asOf`, read straight from the table (the latest row on or
 * before the date), independently of the services, so pages can be checked against it.
 */
export async function resultsInForce(db: Db, asOf: string, practices?: string[]): Promise<InForce[]> {
  const r = await sql<InForce>`
    select distinct on (r.practice_code, r.requirement_id) r.practice_code, r.requirement_id, r.status, q.weight, q.domain
    from evaluation_result r join requirement q on q.id = r.requirement_id
    where r.as_of <= ${asOf} and q.retired_at is null
    ${practices ? sql`and r.practice_code in (${sql.join(practices)})` : sql``}
    order by r.practice_code, r.requirement_id, r.as_of desc`.execute(db);
  return r.rows;
}

/** Counts by status and the weighted score (met 1, partly met ½, not met 0; others left out), computed by hand. */
export function tally(rows: { status: Status; weight: number }[]) {
  const counts: Record<Status, number> = { met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 };
  let earned = 0;
  let possible = 0;
  for (const r of rows) {
    counts[r.status]++;
    if (r.status === "met") earned += r.weight;
    if (r.status === "partial") earned += r.weight / 2;
    if (r.status === "met" || r.status === "partial" || r.status === "not_met") possible += r.weight;
  }
  return { counts, score: possible ? Math.round((earned / possible) * 1000) / 10 : null };
}
