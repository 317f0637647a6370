import { cycleDeadline, OUTCOME_LABELS } from "~/modules/catalogue/dspt-status";
import { addYears, finding, formatDate } from "./helpers";
import type { DsptRecord, EvidenceRef, Finding, PracticeEstate, PolicyValues } from "~/modules/catalogue/rule-types";

/**
 * SEC-01 from the published DSPT status (reference: /work/wt/shared/reference/feeds.md
 * section 2). The rule, for the status in force on the as-of date (the latest published on or
 * before it; a status without a date, "Not Published" for a practice that never published,
 * ranks below every dated one):
 *
 * - Met when it is "Standards Met" or "Standards Exceeded" for a cycle whose 30 June deadline
 *   falls no more than 12 months before the as-of date (a later deadline counts too: a practice
 *   may publish before it). So a 2024-25 "Standards Met" (deadline 30 June 2025) holds until
 *   30 June 2026 and lapses on 1 July 2026 unless 2025-26 has been published by then.
 *   "Exceeded" counts as met; what it means for GP practices is UNCONFIRMED (feeds.md).
 * - Not met for "Approaching Standards", "Standards Not Met" (raw form UNCONFIRMED),
 *   "Not Published", or a Met/Exceeded whose cycle is older than that.
 * - Not known when no status has been imported: then a verified self-assessment answer decides
 *   (compliance/attested-merge.ts), as before the import existed.
 */
export const DSPT_VALID_MONTHS = 12;

/** The last day a Met/Exceeded status for `cycle` counts: its deadline plus 12 months. */
export function dsptValidUntil(cycle: string | null): string | null {
  const deadline = cycle ? cycleDeadline(cycle) : null;
  return deadline ? addYears(deadline, DSPT_VALID_MONTHS / 12) : null;
}

/** The status in force on `asOf`: latest published on or before it, undated last, then the newest import. */
export function dsptInForce(records: readonly DsptRecord[], asOf: string): DsptRecord | null {
  let best: DsptRecord | null = null;
  for (const r of records) {
    if (r.published_on !== null && r.published_on > asOf) continue;
    if (!best) best = r;
    else {
      const a = r.published_on ?? "";
      const b = best.published_on ?? "";
      if (a > b || (a === b && r.id > best.id)) best = r;
    }
  }
  return best;
}

const label = (r: DsptRecord) => `${r.cycle ? `${r.cycle} ` : ""}${OUTCOME_LABELS[r.outcome]}`;
const ref = (r: DsptRecord, outcome: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "dspt_status",
  id: String(r.id),
  label: `DSPT status: ${label(r)}${r.published_on ? `, published ${formatDate(r.published_on)}` : ""}`,
  outcome,
});

export function sec01(e: PracticeEstate, _policy: PolicyValues, asOf: string): Finding {
  const r = dsptInForce(e.dspt ?? [], asOf);
  if (!r) return finding("unknown", "No DSPT status has been imported for this practice.");
  const published = r.published_on ? ` (published ${formatDate(r.published_on)})` : "";
  if (r.outcome === "met" || r.outcome === "exceeded") {
    const until = dsptValidUntil(r.cycle);
    if (until && asOf <= until) {
      return finding(
        "met",
        `The practice's latest DSPT status is ${label(r)}${published}; it counts until ${formatDate(until)}, 12 months after that cycle's 30 June deadline.`,
        [ref(r, "ok")],
      );
    }
    return finding(
      "not_met",
      `The practice's latest DSPT status is ${label(r)}${published}, which lapsed on ${until ? formatDate(until) : "an unknown date"}: no later cycle has been published at Standards Met.`,
      [ref(r, "fail")],
    );
  }
  if (r.outcome === "not_published") {
    return finding(
      "not_met",
      `The practice's DSPT status is Not Published${r.published_on ? ` (last assessment ${formatDate(r.published_on)})` : ""}: it has not published the current assessment at Standards Met.`,
      [ref(r, "fail")],
    );
  }
  return finding("not_met", `The practice's latest DSPT status is ${label(r)}${published}, short of Standards Met.`, [ref(r, "fail")]);
}
