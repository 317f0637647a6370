import type { AnnualEnds } from "~/modules/pricing/financial-year";
import type { GapQuery } from "./costed.server";
import type { GapGroup } from "./register";
import type { CubePractice, GapCubeCell, GroupAggregate } from "./repository.server";

/**
 * The gap register's totals added up from its cube (`gapCubeByIcb`): each cell is one practice's
 * gaps of one domain, category, funder, status and deadline year, so every filter the register
 * offers (ICB, sub-ICB, PCN, practice, domain, category, funder, status, financial year) selects
 * whole cells, and every grouping is a key of the cell or of its practice. The rule is the one
 * `aggregateGapsByIcb` states in SQL, and the tests hold the two to the same figures:
 * - a group's gaps, estimates, VAT, annual parts and "no estimate" are the sums over its cells;
 * - a group's patients count each practice with a selected gap in the group once (its list
 *   size), and practices with no list size are counted as unknown;
 * - the total row counts each practice with any selected gap once.
 */

/** A practice with its cells (the cube of one ICB part is a list of these). */
export interface CubePracticeCells extends CubePractice {
  cells: GapCubeCell[];
}

/** The filters of a register query that the cube can answer: everything but a list of gap ids. */
export const cubeAnswers = (query: GapQuery) => query.ids === undefined;

function groupOf(by: GapGroup, p: CubePractice, c: GapCubeCell): [code: string | null, name: string | null] {
  switch (by) {
    case "none":
      return ["all", null];
    case "icb":
      return [p.icb, null];
    case "sub_icb":
      return [p.subIcb, null];
    case "pcn":
      return [p.pcn, p.pcnName];
    case "practice":
      return [p.code, p.name];
    case "domain":
      return [c.domain, null];
    case "category":
      return [c.category, null];
    case "funder":
      return [c.funder, null];
    case "status":
      return [c.status, null];
    case "financial_year":
      return [c.year === null ? null : String(c.year), null];
  }
}

const practiceSelected = (q: GapQuery, p: CubePractice) =>
  (!q.icb || p.icb === q.icb) &&
  (!q.subIcb || p.subIcb === q.subIcb) &&
  (!q.pcn || p.pcn === q.pcn) &&
  (!q.practice || p.code === q.practice);

function cellSelected(q: GapQuery, statuses: ReadonlySet<string>, c: GapCubeCell) {
  return (
    statuses.has(c.status) &&
    (!q.domain || c.domain === q.domain) &&
    (!q.category || c.category === q.category) &&
    (!q.funder || c.funder === q.funder) &&
    (q.financialYear === undefined || c.year === q.financialYear)
  );
}

interface Running extends GroupAggregate {
  ends: number[];
  /** The practice last counted in `patients`: a practice's cells are visited together. */
  last: string | null;
}

/** Groupings whose key is the practice's (one key for all its cells). */
const BY_PRACTICE: ReadonlySet<GapGroup> = new Set(["none", "icb", "sub_icb", "pcn", "practice"]);

/**
 * The register's group rows and total row (as `aggregateGaps` gives them) for `query` grouped `by`,
 * from the cube: `halves` are lists of practices with their cells (a practice may be in several
 * lists, e.g. its open and its closed gaps). `statuses` defaults as the register's do; `endYears`
 * names each `ends` position's last financial year.
 */
export function rollUpCube(
  halves: readonly (readonly CubePracticeCells[])[],
  query: GapQuery,
  by: GapGroup,
  defaultStatuses: readonly string[],
  endYears: readonly number[],
): GroupAggregate[] {
  const statuses = new Set<string>(query.statuses ?? defaultStatuses);
  const groups = new Map<string, Running>();
  const total = { patients: 0, unknownListSizes: 0 };
  const group = (code: string | null, name: string | null) => {
    const key = `${code ?? "\u0000"}\u0001${name ?? "\u0000"}`;
    let g = groups.get(key);
    if (!g) {
      g = {
        code,
        name,
        isTotal: false,
        gaps: 0,
        estimatedPence: 0,
        vatPence: 0,
        annualPence: 0,
        noEstimate: 0,
        patients: 0,
        unknownListSizes: 0,
        ends: endYears.map(() => 0),
        last: null,
      };
      groups.set(key, g);
    }
    return g;
  };
  const byPractice = BY_PRACTICE.has(by);
  for (const parts of practicesTogether(halves)) {
    const p = parts[0];
    if (!practiceSelected(query, p)) continue;
    const own = byPractice ? group(...groupOf(by, p, p.cells[0])) : null;
    let selected = false;
    for (const part of parts) {
      for (const c of part.cells) {
        if (!cellSelected(query, statuses, c)) continue;
        const g = own ?? group(...groupOf(by, p, c));
        g.gaps += c.gaps;
        g.estimatedPence += c.estimatedPence;
        g.vatPence += c.vatPence;
        g.annualPence += c.annualPence;
        g.noEstimate += c.noEstimate;
        for (let i = 0; i < c.ends.length; i++) g.ends[i] += c.ends[i];
        if (g.last !== p.code) {
          g.last = p.code;
          countPatients(g, p);
        }
        selected = true;
      }
    }
    if (selected) countPatients(total, p);
  }
  const rows: GroupAggregate[] = [];
  // A practice-level group whose practices had no selected cell is not a row (SQL has no such group).
  for (const { ends, last, ...g } of groups.values()) if (last !== null) rows.push({ ...g, ...annualEndsOf(ends, endYears) });
  rows.push(totalRow(total));
  return rows;
}

/** Each practice's entries from every half, together (one list per practice). */
function practicesTogether(all: readonly (readonly CubePracticeCells[])[]): Iterable<readonly CubePracticeCells[]> {
  // A half with no practice (no closed gap yet) leaves each practice in one list.
  const halves = all.filter((half) => half.length > 0);
  if (halves.length <= 1) return (halves[0] ?? []).map((p) => [p]);
  const together = new Map<string, CubePracticeCells[]>();
  for (const half of halves) {
    for (const p of half) {
      const list = together.get(p.code);
      if (list) list.push(p);
      else together.set(p.code, [p]);
    }
  }
  return together.values();
}

function countPatients(into: { patients: number; unknownListSizes: number }, p: CubePractice) {
  if (p.listSize === null) into.unknownListSizes += 1;
  else into.patients += p.listSize;
}

/** The total row (its patients counting each practice once); its gaps and costs are not used (callers sum the rows). */
export function totalRow(patients: { patients: number; unknownListSizes: number }): GroupAggregate {
  return { code: null, name: null, isTotal: true, gaps: 0, estimatedPence: 0, vatPence: 0, annualPence: 0, noEstimate: 0, ...patients };
}

/** The annual ends by last financial year, leaving out the years with nothing. */
export function annualEndsOf(ends: readonly number[], endYears: readonly number[]): { annualEnds?: AnnualEnds } {
  const out: Record<number, number> = {};
  ends.forEach((pence, i) => {
    if (pence) out[endYears[i]] = (out[endYears[i]] ?? 0) + pence;
  });
  return Object.keys(out).length ? { annualEnds: out } : {};
}

/**
 * A cube part as kept in the database (kept_figure, kind 'gap_cube'): arrays, not objects, so the
 * national cube is about 7 MB rather than 20. `unpackCube` reads only what `packCube` wrote and
 * gives null for anything else (a value from another version is then worked out again).
 */
type PackedCell = [string, string, string, string, number | null, number, number, number, number, number, ...number[]];
type PackedPractice = [string, string | null, string | null, string | null, string | null, string, number | null, PackedCell[]];
const PACKED_VERSION = 1;

export function packCube(practices: readonly CubePracticeCells[]): unknown {
  return {
    v: PACKED_VERSION,
    p: practices.map((p): PackedPractice => [
      p.code,
      p.icb,
      p.subIcb,
      p.pcn,
      p.pcnName,
      p.name,
      p.listSize,
      p.cells.map((c): PackedCell => [
        c.domain,
        c.category,
        c.funder,
        c.status,
        c.year,
        c.gaps,
        c.estimatedPence,
        c.vatPence,
        c.annualPence,
        c.noEstimate,
        ...c.ends,
      ]),
    ]),
  };
}

export function unpackCube(value: unknown, endCount: number): CubePracticeCells[] | null {
  const packed = value as { v?: unknown; p?: unknown } | null;
  if (!packed || packed.v !== PACKED_VERSION || !Array.isArray(packed.p)) return null;
  const noEnds: number[] = Object.freeze(Array.from({ length: endCount }, () => 0)) as number[];
  return (packed.p as PackedPractice[]).map(([code, icb, subIcb, pcn, pcnName, name, listSize, cells]) => ({
    code,
    icb,
    subIcb,
    pcn,
    pcnName,
    name,
    listSize,
    cells: cells.map(([domain, category, funder, status, year, gaps, estimatedPence, vatPence, annualPence, noEstimate, ...ends]) => ({
      icb,
      practiceCode: code,
      domain,
      category,
      funder,
      status: status as GapCubeCell["status"],
      year,
      gaps,
      estimatedPence,
      vatPence,
      annualPence,
      noEstimate,
      ends: ends.length === endCount && ends.some((e) => e !== 0) ? ends : noEnds,
    })),
  }));
}
