/** The Data Security and Protection Toolkit's published outcomes and its annual deadline (read by the DSPT import and by SEC-01). */

export type DsptOutcome = "met" | "exceeded" | "approaching" | "not_met" | "not_published";

export const OUTCOME_LABELS: Record<DsptOutcome, string> = {
  met: "Standards Met",
  exceeded: "Standards Exceeded",
  approaching: "Approaching Standards",
  not_met: "Standards Not Met",
  not_published: "Not Published",
};

/**
 * The deadline of a cycle: 30 June of its second year ("22/23" → 2023-06-30, "2025-26" →
 * 2026-06-30), the toolkit's annual deadline (feeds.md section 2: "2025-26: 30 Jun 2026").
 */
export function cycleDeadline(cycle: string): string | null {
  let m = /^(\d{2})\/(\d{2})$/.exec(cycle);
  if (m) return `20${m[2]}-06-30`;
  m = /^(\d{4})-(\d{2})$/.exec(cycle);
  if (m) return `${m[1].slice(0, 2)}${m[2]}-06-30`;
  return null;
}
