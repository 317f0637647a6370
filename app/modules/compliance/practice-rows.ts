import type { EvidenceRef, Status, Upcoming } from "~/modules/catalogue/rule-types";
import { formatNumber } from "~/utils/format";
import { evidenceExcerpt } from "./display";

/** Records listed under each result on the practice's page (failing or not known); the rest are on the requirement's page. */
export const EVIDENCE_SHOWN = 3;

/** The open gap's estimate next to "To fix" (practice-view.server.ts FixCost). */
type Fix = { gapId: number; pence: number | null; vatPence: number | null; missing: string; elsewhere: string };

/** A result folded into its domain's list: its status and date alone. */
export type SettledResult = { status: Status; since: string };

/** A result with its own row: why, what is coming up, the first records behind it and what fixing it takes. */
export type DetailedResult = SettledResult & {
  reason: string;
  /** Left out when nothing is coming up. */
  upcoming?: Upcoming[];
  /** The first records that fail or lack data; left out when there are none. */
  evidence?: EvidenceRef[];
  /** How many records there are in all and how many fail, when `evidence` does not list them all. */
  more?: { total: number; failing: number };
  /** "To fix: 3 × operating system upgrade", when the result lists remediation. */
  toFix?: string;
};

/**
 * A requirement's row on the practice's compliance page, sent with only what the row shows
 * (issue 12: the page stays well under 150 KB of HTML, and its loader data is sent twice,
 * once as markup and once for hydration). Rows that fold into one line per domain (settled
 * results, self-assessed requirements) carry their id, title and date; the others carry the
 * line under the title (`meta`) as one string rather than the catalogue fields it is made of.
 */
export type PracticeRow = {
  requirement: { id: string; title: string; domain: string; meta?: string };
  inForce: boolean;
  /** Not checked from the registers: the practice attests it in its self-assessment. */
  attested?: true;
  result: SettledResult | DetailedResult | null;
  fix?: Fix;
};

/** Whether a row folds into its domain's list of self-assessed requirements. */
export const isAttestedRow = (row: PracticeRow) => row.inForce && row.result === null && row.attested === true;
/** Whether a row folds into its domain's list of met or not applicable requirements. */
export const isSettledRow = (row: PracticeRow) => row.inForce && row.result !== null && !("reason" in row.result);

const funderText = (f: string) => (f === "Practice" ? "the practice" : f === "ICB" ? "the ICB" : "national funding");

type SourceRow = {
  requirement: {
    id: string;
    title: string;
    domain: string;
    category: string;
    funder: string;
    weight: number;
    automatic: boolean;
    sources: { ref: string }[];
  };
  result: {
    status: Status;
    since: string;
    reason: string;
    evidence: EvidenceRef[];
    units: { quantity: number; label: string }[];
    upcoming: Upcoming[];
  } | null;
  inForce: boolean;
};

/**
 * The row as the page sends it. In the overview (`overview`: no filter), a result that is met or
 * not applicable with nothing coming up is settled and folds; filtering by domain or result
 * shows its reason (as does the requirement's page). Records are listed only under a result that
 * is not met in full, and only those that fail the check or lack data (those that pass are
 * counted, and listed on the requirement's page).
 */
export function practiceRow({ requirement: r, result, inForce }: SourceRow, fix: Fix | undefined, overview: boolean): PracticeRow {
  const met = result !== null && (result.status === "met" || result.status === "not_applicable");
  const attested = result === null && !r.automatic;
  const requirement = { id: r.id, title: r.title, domain: r.domain };
  const base = { requirement, inForce, ...(attested ? { attested: true as const } : {}), ...(fix ? { fix } : {}) };
  if (inForce && (attested || (overview && met && result.upcoming.length === 0)))
    return { ...base, result: result && { status: result.status, since: result.since } };
  const meta = `${r.category} · funded by ${funderText(r.funder)} · weight ${r.weight} · sources ${r.sources.map((x) => x.ref).join(", ")}`;
  if (!result) return { ...base, requirement: { ...requirement, meta }, result: null };
  const listed = met ? [] : result.evidence.filter((e) => e.outcome !== "ok");
  const { evidence } = evidenceExcerpt(listed, EVIDENCE_SHOWN);
  const all = evidenceExcerpt(result.evidence, 0);
  const shownFailing = evidence.filter((e) => e.outcome === "fail").length;
  const detailed: DetailedResult = {
    status: result.status,
    since: result.since,
    reason: result.reason,
    ...(result.upcoming.length ? { upcoming: result.upcoming } : {}),
    ...(evidence.length ? { evidence } : {}),
    ...(evidence.length && (all.evidenceTotal !== evidence.length || all.evidenceFailing !== shownFailing)
      ? { more: { total: all.evidenceTotal, failing: all.evidenceFailing } }
      : {}),
    ...(ownUnits(result.units).length ? { toFix: toFixText(result.units) } : {}),
  };
  return { ...base, requirement: { ...requirement, meta }, result: detailed };
}

/**
 * The units a result costs itself. A unit of quantity 0 is work costed (or made unnecessary)
 * under another requirement (remediation.ts costOnce); the reason already says where, so it is
 * not listed as "0 × …" to fix here.
 */
export const ownUnits = <U extends { quantity: number }>(units: readonly U[]) => units.filter((u) => u.quantity > 0);

/** "To fix: 3 × operating system upgrade; 1 × replace a desktop or thin client", or "" when nothing is costed here. */
export const toFixText = (units: readonly { quantity: number; label: string }[]) => {
  const own = ownUnits(units);
  return own.length ? `To fix: ${own.map((u) => `${formatNumber(u.quantity)} × ${u.label.toLowerCase()}`).join("; ")}` : "";
};
