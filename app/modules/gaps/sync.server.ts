import type { Db } from "#db/connect";
import type { GapStatus } from "#db/types";
import { requirementById } from "~/modules/catalogue";
import type { Status, Unit } from "~/modules/catalogue/rule-types";
import { todayIso } from "~/utils/today";
import { gapDeadline, type Due } from "./deadline";
import * as repo from "./sync-repository.server";

/** One requirement's outcome for one practice, as evaluation or verification produced it. */
export interface OutcomeForGaps {
  practiceCode: string;
  requirementId: string;
  status: Status;
  reason: string;
  units: Unit[];
  /** An external date the gap must be fixed by (a device's own end of support), when there is one. */
  due?: Due | null;
  /**
   * The requirement is not in the framework version the practice's ICB has in force. Its gap
   * closes, saying so, unless it is funded or in delivery: money already committed is not
   * written off by the ICB changing framework version.
   */
  notInForce?: boolean;
}

interface OpenGap {
  id: number;
  practice_code: string;
  requirement_id: string;
  status: GapStatus;
  result_status: string;
  reason: string;
  units: unknown;
  first_seen: string;
  deadline: string;
  deadline_basis: string | null;
}

export interface GapSyncCounts {
  opened: number;
  changed: number;
  closed: number;
}

const failing = (s: Status): s is "not_met" | "partial" => s === "not_met" || s === "partial";
const unitsKey = (u: unknown) => JSON.stringify(u ?? []);

/**
 * Keeps the gap register in step with outcomes, in the caller's transaction: a failing outcome
 * with no open gap opens one (first seen on `asOf`), a changed reason or extent updates it, and
 * a met or not-applicable outcome closes it on `asOf` whatever its funding status, so the history
 * shows when the estate fix took effect (but a requirement taken out of force by the ICB's
 * framework version never closes a funded or in-delivery gap). "Not known" leaves a gap as it is: missing data proves
 * nothing either way. A handful of set statements per call, whatever the number of practices.
 *
 * The register follows today's estate only ("today is stored; what-if is computed"):
 * - nothing at all for a date after `today`;
 * - nothing for a practice that has results stored after `asOf` (a back-dated run is history:
 *   it must not re-open a gap that is met today, or open one "first seen" in the past);
 * - a gap that is funded or in delivery closes only on an evaluation dated today, so money
 *   already committed is never written off by a run on another date.
 */
export async function syncGaps(
  db: Db,
  outcomes: readonly OutcomeForGaps[],
  asOf: string,
  opts: { today?: string } = {},
): Promise<GapSyncCounts> {
  const counts: GapSyncCounts = { opened: 0, changed: 0, closed: 0 };
  const today = opts.today ?? todayIso();
  if (outcomes.length === 0 || asOf > today) return counts;
  const all = [...new Set(outcomes.map((o) => o.practiceCode))];
  const backDated = await repo.practicesEvaluatedAfter(db, all, asOf);
  if (backDated.size) outcomes = outcomes.filter((o) => !backDated.has(o.practiceCode));
  const codes = all.filter((c) => !backDated.has(c));
  if (codes.length === 0) return counts;
  const open = await repo.openGapsOf(db, codes);
  const byKey = new Map<string, OpenGap>(open.map((g) => [`${g.practice_code}|${g.requirement_id}`, g]));

  const inserts: repo.GapInsert[] = [];
  const updates: repo.GapUpdate[] = [];
  const closes: { id: number; from: GapStatus; notInForce: boolean }[] = [];
  for (const o of outcomes) {
    const gap = byKey.get(`${o.practiceCode}|${o.requirementId}`);
    // An evaluation dated before the gap was first seen says nothing about the gap.
    if (gap && asOf < gap.first_seen) continue;
    if (failing(o.status)) {
      const requirement = requirementById(o.requirementId);
      if (!requirement) continue;
      const d = gapDeadline(o.requirementId, requirement.category, gap?.first_seen ?? asOf, o.due);
      if (!gap) {
        inserts.push({
          practice_code: o.practiceCode,
          requirement_id: o.requirementId,
          result_status: o.status,
          reason: o.reason,
          units: o.units,
          deadline: d.date,
          deadline_basis: d.basis,
        });
      } else if (
        gap.result_status !== o.status ||
        gap.reason !== o.reason ||
        unitsKey(gap.units) !== unitsKey(o.units) ||
        gap.deadline !== d.date ||
        gap.deadline_basis !== d.basis
      ) {
        updates.push({ id: gap.id, result_status: o.status, reason: o.reason, units: o.units, deadline: d.date, deadline_basis: d.basis });
      }
    } else if (gap && (o.status === "met" || o.status === "not_applicable")) {
      const committed = gap.status === "funded" || gap.status === "in_delivery";
      if (committed && (asOf !== today || o.notInForce)) continue;
      closes.push({ id: gap.id, from: gap.status, notInForce: !!o.notInForce });
    }
  }

  const events: repo.GapEventInsert[] = [];
  if (inserts.length) {
    const rows = await repo.insertGaps(db, inserts, asOf);
    for (const r of rows) events.push({ gap_id: r.id, kind: "opened", from_status: null, to_status: "open", detail: r.reason });
  }
  if (updates.length) {
    await repo.updateGapFacts(db, updates);
    for (const u of updates) events.push({ gap_id: u.id, kind: "changed", from_status: null, to_status: null, detail: u.reason });
  }
  if (closes.length) {
    await repo.closeGaps(
      db,
      closes.map((c) => c.id),
      asOf,
    );
    for (const c of closes) {
      const detail = c.notInForce
        ? "The requirement is not in the framework version the ICB now has in force, so the gap closed."
        : "Re-evaluation found the requirement met, so the gap closed.";
      events.push({ gap_id: c.id, kind: "closed", from_status: c.from, to_status: "closed", detail });
    }
  }
  if (events.length) {
    await repo.insertGapEvents(db, events, asOf);
  }
  counts.opened = inserts.length;
  counts.changed = updates.length;
  counts.closed = closes.length;
  return counts;
}
