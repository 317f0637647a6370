/** Cyber Essentials certificate levels (read by the certificate import and by SEC-05). */

export type CeLevel = "ce" | "ce_plus";

export const LEVEL_LABELS: Record<CeLevel, string> = {
  ce: "Cyber Essentials",
  ce_plus: "Cyber Essentials Plus",
};
