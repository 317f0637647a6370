import type { RegisterRow } from "./register.server";

/** A row's properties in the order they are packed: every one the page shows. */
const FIELDS = [
  "id",
  "requirementId",
  "title",
  "practiceCode",
  "practiceName",
  "reason",
  "funder",
  "estimatePence",
  "knownPence",
  "missing",
  "vatPence",
  "elsewhere",
  "priority",
  "priorityScore",
  "status",
  "firstSeen",
  "deadline",
  "selectable",
] as const satisfies readonly (keyof RegisterRow)[];

// A property added to RegisterRow must be packed too (or the page would lose it): this fails to compile otherwise.
type Unpacked = Exclude<keyof RegisterRow, (typeof FIELDS)[number]>;
const everyFieldPacked: [Unpacked] extends [never] ? true : Unpacked = true;
void everyFieldPacked;

/** A row's values in the order of FIELDS. */
export type PackedRegisterRow = RegisterRow[(typeof FIELDS)[number]][];

/**
 * The gap register's page of rows (25 gaps, 18 properties each) as its loader sends them: arrays
 * rather than objects, as the practice compliance page's rows (practice-rows-wire.ts). Remix
 * writes loader data into the page for hydration as turbo-stream inside a JavaScript string, where
 * each property costs some 13 bytes of reference whatever its value (issue 12, page weight).
 * `unpackRegisterRows` gives the page, and tests, the objects again.
 */
export const packRegisterRows = (rows: readonly RegisterRow[]): PackedRegisterRow[] => rows.map((r) => FIELDS.map((k) => r[k]));

export const unpackRegisterRows = (rows: readonly PackedRegisterRow[]): RegisterRow[] =>
  rows.map((values) => Object.fromEntries(FIELDS.map((k, i) => [k, values[i]])) as unknown as RegisterRow);
