/**
 * A file exported from a device management service repeats the same problem on hundreds of rows
 * ("Desktops" in every row's category). The preview leads with one line per kind of problem,
 * with how many rows have it and a few of their row numbers, instead of hundreds of messages.
 * Pure, shared by the preview page and the command line.
 */

export interface ProblemGroup {
  column: string;
  message: string;
  /** Rows with this problem. */
  rows: number;
  /** The first few row numbers, in file order. */
  examples: number[];
}

const EXAMPLES = 5;

/** Problems with the same column and message are one kind; most rows first, then file order. */
export function groupProblems(issues: readonly { row: number; column: string; message: string }[]): ProblemGroup[] {
  const groups = new Map<string, ProblemGroup & { first: number; seen: Set<number> }>();
  issues.forEach((x, i) => {
    const key = `${x.column}\u0000${x.message}`;
    let g = groups.get(key);
    if (!g) {
      g = { column: x.column, message: x.message, rows: 0, examples: [], first: i, seen: new Set() };
      groups.set(key, g);
    }
    if (g.seen.has(x.row)) return;
    g.seen.add(x.row);
    g.rows++;
    if (g.examples.length < EXAMPLES) g.examples.push(x.row);
  });
  return [...groups.values()]
    .sort((a, b) => b.rows - a.rows || a.first - b.first)
    .map(({ column, message, rows, examples }) => ({ column, message, rows, examples }));
}

/** "304 rows: Type "Desktops" is not recognised…" with example rows, as the command line prints it. */
export function describeGroup(g: ProblemGroup): string {
  const more = g.rows > g.examples.length ? ` and ${(g.rows - g.examples.length).toLocaleString("en-GB")} more` : "";
  return `${g.rows.toLocaleString("en-GB")} ${g.rows === 1 ? "row" : "rows"}, ${g.column}: ${g.message} (${g.rows === 1 ? "row" : "rows"} ${g.examples.join(", ")}${more})`;
}
