import type { EvidenceRef, Status } from "~/modules/catalogue/rule-types";

/**
 * How compliance is shown (shared by pages and services; no server imports). Score bands are
 * closed ranges on one decimal place, so every score falls in exactly one band and a band's
 * link (?min=…&max=…) lists exactly the practices it counts.
 */
export const SCORE_BANDS = [
  { key: "high", label: "90% or more", min: 90, max: 100 },
  { key: "good", label: "75% to 89.9%", min: 75, max: 89.9 },
  { key: "fair", label: "50% to 74.9%", min: 50, max: 74.9 },
  { key: "low", label: "Below 50%", min: 0, max: 49.9 },
] as const;
export type ScoreBand = (typeof SCORE_BANDS)[number]["key"] | "none";

export function bandFor(score: number | null | undefined): ScoreBand {
  if (score === null || score === undefined) return "none";
  return SCORE_BANDS.find((b) => score >= b.min)?.key ?? "low";
}

/** NHS.UK tag colour per status: met green, partly met yellow, not met red, not known grey, n/a white. */
export const STATUS_TAG: Record<Status, string> = {
  met: "nhsuk-tag--green",
  partial: "nhsuk-tag--yellow",
  not_met: "nhsuk-tag--red",
  unknown: "nhsuk-tag--grey",
  not_applicable: "nhsuk-tag--white",
};

/** "82.5%", or "No score" when nothing could be judged. */
export const formatScore = (score: number | null | undefined) =>
  score === null || score === undefined ? "No score" : `${score.toLocaleString("en-GB")}%`;

const OUTCOME_ORDER = { fail: 0, unknown: 1, ok: 2 } as const;

/** Evidence failing first, then not known, then passing (stable within each). */
export const sortEvidence = (evidence: readonly EvidenceRef[]) => [...evidence].sort(byOutcome);

// Module-level, not a closure made per call (docs/performance.md, session 17, load scaling).
function byOutcome(a: EvidenceRef, b: EvidenceRef) {
  return OUTCOME_ORDER[a.outcome ?? "ok"] - OUTCOME_ORDER[b.outcome ?? "ok"];
}

/**
 * The first `shown` records behind a result (failing first) and how many there are in all, for
 * lists of many results: the requirement's own page lists every record.
 */
export function evidenceExcerpt(evidence: readonly EvidenceRef[], shown: number) {
  const sorted = sortEvidence(evidence);
  let failing = 0;
  for (const e of sorted) if (e.outcome === "fail") failing++;
  return {
    evidence: sorted.slice(0, shown),
    evidenceTotal: sorted.length,
    evidenceFailing: failing,
  };
}

/**
 * A link to a filtered list page: the parameters given (empty ones left out), then `as_of` when
 * the page shows another day than today. The ICB compliance service and its page build the same
 * links with it, so the page can draw the heat map's links without each being sent.
 */
export function listHref(base: string, params: Record<string, string | number | undefined>, asOf: string | null) {
  const qs = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v !== undefined && v !== "") qs.set(k, String(v));
  if (asOf) qs.set("as_of", asOf);
  const s = qs.toString();
  return s ? `${base}?${s}` : base;
}
