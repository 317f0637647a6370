import type { EvidenceRef, Status, Upcoming } from "~/modules/catalogue/rule-types";
import type { DetailedResult, PracticeRow, SettledResult } from "./practice-rows";

/**
 * A practice's requirement rows as its compliance page's loader sends them: arrays in a fixed
 * order rather than objects. Remix writes loader data into the page for hydration as turbo-stream
 * inside a JavaScript string, where every property of every object costs its `\"_12\":34,`
 * reference (some 13 bytes) whatever its value: some 90 rows with their results, records and
 * costs came to 13 KB of property references alone (issue 12: the page stays well under 150 KB
 * of HTML). `unpackRows` gives the page, and tests, the rows as objects again.
 *
 * 0 stands for "none" in every slot (a missing meta, result, list or fix).
 */
type PackedEvidence = [type: EvidenceRef["type"], id: string, label: string, outcome: NonNullable<EvidenceRef["outcome"]> | 0];
type PackedResult =
  | [status: Status, since: string]
  | [
      status: Status,
      since: string,
      reason: string,
      upcoming: [date: string, message: string][] | 0,
      evidence: PackedEvidence[] | 0,
      more: [total: number, failing: number] | 0,
      toFix: string | 0,
    ];
type PackedFix = [gapId: number, pence: number | null, vatPence: number | null, missing: string, elsewhere: string];
/** Flags: 1 not in the framework version in force, 2 attested in the practice's self-assessment. */
export type PackedRow = [
  id: string,
  title: string,
  domain: string,
  meta: string | 0,
  flags: number,
  result: PackedResult | 0,
  fix: PackedFix | 0,
];

const NOT_IN_FORCE = 1;
const ATTESTED = 2;

function packResult(r: SettledResult | DetailedResult): PackedResult {
  if (!("reason" in r)) return [r.status, r.since];
  return [
    r.status,
    r.since,
    r.reason,
    r.upcoming ? r.upcoming.map((u) => [u.date, u.message]) : 0,
    r.evidence ? r.evidence.map((e) => [e.type, e.id, e.label, e.outcome ?? 0]) : 0,
    r.more ? [r.more.total, r.more.failing] : 0,
    r.toFix ?? 0,
  ];
}

export function packRow(row: PracticeRow): PackedRow {
  const { requirement: q, result, fix } = row;
  return [
    q.id,
    q.title,
    q.domain,
    q.meta ?? 0,
    (row.inForce ? 0 : NOT_IN_FORCE) | (row.attested ? ATTESTED : 0),
    result ? packResult(result) : 0,
    fix ? [fix.gapId, fix.pence, fix.vatPence, fix.missing, fix.elsewhere] : 0,
  ];
}

/*
 * Loops and module-level functions rather than closures made on each call (`rows.map(([id, …]) =>
 * …)`): V8 drops the optimized code of closures made per request at every full collection
 * (docs/performance.md, session 16, optimized code dropped at every full collection).
 */
const unpackUpcoming = ([date, message]: [string, string]): Upcoming => ({ date, message });

const unpackEvidence = ([type, id, label, outcome]: PackedEvidence): EvidenceRef => ({ type, id, label, ...(outcome ? { outcome } : {}) });

function unpackResult(p: PackedResult): SettledResult | DetailedResult {
  if (p.length === 2) return { status: p[0], since: p[1] };
  const [status, since, reason, upcoming, evidence, more, toFix] = p;
  return {
    status,
    since,
    reason,
    ...(upcoming ? { upcoming: upcoming.map(unpackUpcoming) } : {}),
    ...(evidence ? { evidence: evidence.map(unpackEvidence) } : {}),
    ...(more ? { more: { total: more[0], failing: more[1] } } : {}),
    ...(toFix ? { toFix } : {}),
  };
}

function unpackRow([id, title, domain, meta, flags, result, fix]: PackedRow): PracticeRow {
  return {
    requirement: { id, title, domain, ...(meta ? { meta } : {}) },
    inForce: (flags & NOT_IN_FORCE) === 0,
    ...(flags & ATTESTED ? { attested: true as const } : {}),
    result: result ? unpackResult(result) : null,
    ...(fix ? { fix: { gapId: fix[0], pence: fix[1], vatPence: fix[2], missing: fix[3], elsewhere: fix[4] } } : {}),
  };
}

/** The rows as objects (PracticeRow), as practiceRow made them before packing. */
export function unpackRows(rows: readonly PackedRow[]): PracticeRow[] {
  const out: PracticeRow[] = [];
  for (const row of rows) out.push(unpackRow(row));
  return out;
}
