import type { ContractCategory, ContractFramework, ContractPayer } from "#db/types";

/**
 * The words of the supplier contracts register (issue 15 item 4), shared by the register, its
 * import and the forecast. Framework names as NHS England uses them (../shared/reference/
 * operating-model.md TEL-03 and CLN-04, sources S21, S24, S60, S61).
 */
export const CONTRACT_CATEGORIES: Record<ContractCategory, string> = {
  telephony: "Telephony",
  clinical_system: "Clinical system modules",
  online_consultation: "Online consultation",
  connectivity: "Connectivity",
  support: "Support",
  other: "Other",
};

export const CONTRACT_FRAMEWORKS: Record<ContractFramework, string> = {
  better_purchasing_framework: "Advanced Telephony Better Purchasing Framework",
  digital_care_services: "Digital Care Services Catalogue (DSIC)",
  tech_innovation_framework: "Tech Innovation Framework",
  gp_it_futures: "GP IT Futures (continuity)",
  other: "Other framework",
};

export const CONTRACT_PAYERS: Record<ContractPayer, string> = {
  icb: "ICB",
  practice: "Practice",
  other: "Other",
};

/**
 * The requirements a contract of each category bears on, for the forecast: when a telephony
 * contract ends with no successor the practice must renew through the Better Purchasing
 * Framework (TEL-03) and stay on cloud telephony (TEL-02); a clinical system contract is bought
 * through the national catalogue (CLN-04).
 */
export const CONTRACT_REQUIREMENTS: Partial<Record<ContractCategory, readonly string[]>> = {
  telephony: ["TEL-02", "TEL-03"],
  clinical_system: ["CLN-04"],
  online_consultation: ["CLN-06"],
};

/** `iso` less `months` calendar months (31 March less 3 months is 31 December; 31 May less 3 is 28 or 29 February). */
export function monthsBefore(iso: string, months: number): string {
  const [y, m, d] = iso.split("-").map(Number);
  const total = y * 12 + (m - 1) - months;
  const ny = Math.floor(total / 12);
  const nm = (total % 12) + 1;
  const last = new Date(Date.UTC(ny, nm, 0)).getUTCDate();
  return `${ny}-${String(nm).padStart(2, "0")}-${String(Math.min(d, last)).padStart(2, "0")}`;
}

/** The last day to give notice: the end date less the notice period; null with no notice period. */
export const noticeDate = (c: { ends_on: string; notice_months: number }) =>
  c.notice_months > 0 ? monthsBefore(c.ends_on, c.notice_months) : null;
