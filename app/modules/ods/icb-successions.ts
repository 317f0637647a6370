/**
 * The ICB successions of 1 April 2026 (42 ICBs became 36), as shared/reference/feeds.md section 7
 * records them from the ODS catalogue, with the names of the September 2025 ministerial
 * statement. `npm run ods:import -- --icb-successions-2026-04` applies them as if they were a
 * succ.csv file. An old code listed under two successors was split: its practices are placed by
 * the next epraccur, not moved here (ADR 0006).
 */
export const ICB_SUCCESSIONS_2026_04_DATE = "2026-04-01";
export const ICB_SUCCESSIONS_2026_04_SOURCE = "feeds.md section 7: ICB successions of 1 April 2026";

export const ICB_SUCCESSORS_2026_04: { code: string; name: string; predecessors: string[] }[] = [
  { code: "D7T5G", name: "Essex", predecessors: ["QH8", "QJG", "QM7"] },
  { code: "T6Y0W", name: "Norfolk and Suffolk", predecessors: ["QJG", "QMM"] },
  { code: "S1Y5D", name: "Central East", predecessors: ["QHG", "QM7", "QUE"] },
  { code: "S9B9J", name: "Surrey and Sussex", predecessors: ["QNX", "QXU", "QNQ"] },
  { code: "S0E4D", name: "Thames Valley", predecessors: ["QU9", "QNQ"] },
  { code: "Z9B2Z", name: "North West and North Central London", predecessors: ["QMJ", "QRV"] },
  { code: "QRL", name: "Hampshire and Isle of Wight", predecessors: ["QNQ"] },
];

/** Names for successor ICBs the register may not hold yet. */
export const KNOWN_ICB_NAMES: ReadonlyMap<string, string> = new Map(ICB_SUCCESSORS_2026_04.map((s) => [s.code, s.name]));

/** The successions in succ.csv's own layout, so they go through the same import as the file. */
export function icbSuccessionsCsv(): Buffer {
  const ymd = ICB_SUCCESSIONS_2026_04_DATE.replaceAll("-", "");
  const lines = ICB_SUCCESSORS_2026_04.flatMap((s) => s.predecessors.map((old) => `"${old}","${s.code}","","${ymd}","0"`));
  return Buffer.from(lines.join("\n") + "\n");
}
