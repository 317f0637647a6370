import { lifecycleKey, type LifecycleReferenceRow } from "./reference";

const ISO = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (s: string) => ISO.test(s) && new Date(`${s}T00:00:00Z`).toISOString().slice(0, 10) === s;

/**
 * Problems with the reference rows, as sentences naming the row; empty when the file is sound.
 * Checks: every date is a real YYYY-MM-DD; no key twice; within a family each build number
 * means one release; every row has a source; mainstream ≤ end of support < each ESU year end,
 * ESU years in order; a row without an end date says it is not yet published.
 */
export function checkLifecycleReference(rows: readonly LifecycleReferenceRow[]): string[] {
  const problems: string[] = [];
  const keys = new Set<string>();
  const builds = new Map<string, string>();
  for (const r of rows) {
    const name = `${r.family} ${r.edition} ${r.version}`;
    const key = lifecycleKey(r);
    if (keys.has(key)) problems.push(`${name}: the same family, edition and version appear twice`);
    keys.add(key);
    if (!r.source.trim()) problems.push(`${name}: no source`);
    const dates: [string, string | null][] = [
      ["mainstream end", r.mainstream_end],
      ["end of support", r.end_of_support],
      ...r.esu_year_ends.map((d, i) => [`ESU year ${i + 1} end`, d] as [string, string]),
    ];
    for (const [label, d] of dates)
      if (d !== null && !validDate(d)) problems.push(`${name}: ${label} "${d}" is not a real date (YYYY-MM-DD)`);
    if (r.end_of_support === null && !/not yet published/i.test(`${r.notes ?? ""} ${r.source}`)) {
      problems.push(`${name}: no end of support date, and the row does not say it is not yet published`);
    }
    if (r.mainstream_end && r.end_of_support && r.mainstream_end > r.end_of_support)
      problems.push(`${name}: mainstream end is after the end of support`);
    if (r.esu_year_ends.length && !r.end_of_support) problems.push(`${name}: ESU years without an end of support date`);
    let prev = r.end_of_support;
    for (const [i, d] of r.esu_year_ends.entries()) {
      if (prev && d <= prev) problems.push(`${name}: ESU year ${i + 1} ends on or before the date before it`);
      prev = d;
    }
    if (r.build) {
      if (!/^\d{4,5}$/.test(r.build)) problems.push(`${name}: build "${r.build}" is not a 4 or 5 digit build number`);
      const bk = `${r.family}|${r.build}`;
      const seen = builds.get(bk);
      if (seen && seen !== r.version) problems.push(`${name}: build ${r.build} already means ${r.family} ${seen}`);
      builds.set(bk, r.version);
    }
  }
  return problems;
}

/** Build number → release name within each family, from the rows (e.g. "Windows 11|26200" → "25H2"). */
export function buildIndex(rows: readonly LifecycleReferenceRow[]): Map<string, string> {
  return new Map(rows.filter((r) => r.build).map((r) => [`${r.family}|${r.build}`, r.version]));
}
