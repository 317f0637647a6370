/**
 * Emission and cost factors for paper, printing and post: what each key means, its fixed unit,
 * and the first versions seeded from the research note (../shared/reference/operating-model.md
 * §3.6 and §3.8). Pure: shared by the calculation, the admin form and the seed step.
 *
 * Versions are never changed in place. A new version applies from its effective date; a period
 * is always costed with the versions in force on its first day (see `factorsOn`).
 */

export const FACTOR_KEYS = [
  "paper_virgin",
  "paper_recycled",
  "sheet_gsm",
  "printing_per_sheet",
  "letter_posted",
  "letter_sheets",
  "sms_message",
  "nhs_app_message",
  "email_message",
  "postage_cost",
  "digital_message_cost",
  "records_floor_area",
  "floor_space_carbon",
  "floor_space_cost",
] as const;
export type FactorKey = (typeof FACTOR_KEYS)[number];
export const isFactorKey = (k: string): k is FactorKey => (FACTOR_KEYS as readonly string[]).includes(k);

export const FACTORS: Record<FactorKey, { label: string; unit: string; max: number }> = {
  paper_virgin: { label: "Paper production, virgin fibre", unit: "kg CO2e per tonne", max: 10_000 },
  paper_recycled: { label: "Paper production, recycled fibre", unit: "kg CO2e per tonne", max: 10_000 },
  sheet_gsm: { label: "Copier paper weight", unit: "g per m²", max: 300 },
  printing_per_sheet: { label: "Printing energy per sheet", unit: "g CO2e per sheet", max: 100 },
  letter_posted: { label: "Posted letter (paper, envelope, sorting and delivery)", unit: "g CO2e per letter", max: 1000 },
  letter_sheets: { label: "Printed sheets in a posted letter (already in the letter's factor)", unit: "sheets per letter", max: 20 },
  sms_message: { label: "Text message (SMS)", unit: "g CO2e per message", max: 100 },
  nhs_app_message: { label: "NHS App message", unit: "g CO2e per message", max: 100 },
  email_message: { label: "Email", unit: "g CO2e per message", max: 100 },
  postage_cost: { label: "Cost of a posted letter", unit: "pence per letter", max: 1000 },
  digital_message_cost: { label: "Cost of a digital message", unit: "pence per message", max: 1000 },
  records_floor_area: { label: "Floor area per 1,000 paper records", unit: "m² per 1,000 records", max: 100 },
  floor_space_carbon: { label: "Carbon from heating and lighting floor space", unit: "kg CO2e per m² per year", max: 10_000 },
  floor_space_cost: { label: "Cost of practice floor space", unit: "pence per m² per year", max: 10_000_000 },
};

export interface FactorVersion {
  id: number;
  key: string;
  value: number;
  unit: string;
  source: string;
  year: number | null;
  is_assumption: boolean;
  effective_from: string;
}

/** The date from which the seeded versions apply: early enough to cover any period people record. */
export const SEED_EFFECTIVE_FROM = "2000-01-01";

/** The first version of each factor, with its source; tags as the research note uses them. */
export const SEED_FACTORS: Omit<FactorVersion, "id" | "unit" | "effective_from">[] = [
  {
    key: "paper_virgin",
    value: 919.4,
    year: 2023,
    is_assumption: false,
    source:
      "DEFRA/DESNZ GHG conversion factors, material use, paper and board: paper, primary production (research §3.8, S41, as reproduced in public code repositories [SECONDARY]). [UNCONFIRMED] against the official spreadsheet and its year; a 2026 listing gives 1,345.08.",
  },
  {
    key: "paper_recycled",
    value: 707.2,
    year: 2023,
    is_assumption: true,
    source:
      "[DERIVED] 919.40 ÷ 1.3: virgin paper has about 30% higher lifecycle emissions than recycled (research §3.8, S84 [SECONDARY]). Assumption until the DEFRA closed-loop figure is confirmed.",
  },
  {
    key: "sheet_gsm",
    value: 80,
    year: null,
    is_assumption: true,
    source:
      "Assumption: standard 80 gsm copier paper. With the A4 area (0.210 × 0.297 m = 0.06237 m²) one sheet weighs 4.99 g [DERIVED] (research §3.8).",
  },
  {
    key: "printing_per_sheet",
    value: 1,
    year: 2025,
    is_assumption: true,
    source: "About 1 g CO2 per page for laser printing energy: vendor estimate (research §3.8, S44 ezeep [SECONDARY]).",
  },
  {
    key: "letter_posted",
    value: 25,
    year: 2024,
    is_assumption: true,
    source:
      "Assumption: central value of 22-29 g per posted letter. 22 g [DERIVED] from a posted referral letter (S43, Br Dent J 2024); 29 g whole-life UK letter (S44 Ecotricity [SECONDARY]); about 23 g per letter avoided by SMS [DERIVED] (S42). Research §3.8.",
  },
  {
    // The letter factor covers the letter's own paper and printing; those sheets are also in the
    // printer counts, so they are taken off the sheets before paper and printing are costed.
    key: "letter_sheets",
    value: 1,
    year: null,
    is_assumption: true,
    source:
      "Assumption: one printed A4 sheet per posted letter (research §3.8 suggests 1-2 sheets + envelope). Used so a letter's paper is counted once, in the posted-letter factor, not again in sheets printed (issue #13 item 7).",
  },
  {
    key: "sms_message",
    value: 0,
    year: null,
    is_assumption: true,
    source: "Assumption: treated as about zero relative to a letter [choice, not sourced] (research §3.8 suggested defaults).",
  },
  {
    key: "nhs_app_message",
    value: 0,
    year: null,
    is_assumption: true,
    source: "Assumption: treated as about zero relative to a letter [choice, not sourced] (research §3.8 suggested defaults).",
  },
  {
    key: "email_message",
    value: 4,
    year: 2025,
    is_assumption: true,
    source: "A short email about 4 g (up to 19 g with attachments) (research §3.8, S44 Ecotricity [SECONDARY]).",
  },
  {
    key: "postage_cost",
    value: 80,
    year: 2026,
    is_assumption: true,
    source:
      "Assumption, not in the research note: second-class business post with paper, envelope and printing, about 80p a letter. Replace with the practice's or ICB's own cost.",
  },
  {
    key: "digital_message_cost",
    value: 2,
    year: 2026,
    is_assumption: true,
    source:
      "Assumption, not in the research note: about 2p per text message; NHS App messages cost the practice nothing extra. NHS Digital put an SMS at about a quarter of a letter's cost (S42).",
  },
  {
    key: "records_floor_area",
    value: 0.14,
    year: 2015,
    is_assumption: false,
    source:
      "[DERIVED] One practice's 13,000 records freed about 1.86 m² of floor in dense racking (research §3.6, S38 [SECONDARY]). Used only where a site's records storage area is not recorded.",
  },
  {
    key: "floor_space_carbon",
    value: 30,
    year: null,
    is_assumption: true,
    source:
      "Assumption, not in the research note: heating and lighting an office floor, roughly 100-200 kWh per m² a year at about 0.2 kg CO2e per kWh.",
  },
  {
    key: "floor_space_cost",
    value: 20_000,
    year: null,
    is_assumption: true,
    source: "Assumption, not in the research note: about £200 per m² a year for GP premises (rent, rates and service charges).",
  },
];

/**
 * Later versions shipped with the app, each from its own effective date (never replacing a past
 * version: periods before the date keep the factors in force then). Written by
 * ensureEmissionFactors when the database lacks that key and date.
 */
export const LATER_FACTORS: Omit<FactorVersion, "id" | "unit">[] = [
  {
    key: "paper_virgin",
    value: 1345.08,
    year: 2026,
    is_assumption: false,
    effective_from: "2026-01-01",
    source:
      'DESNZ/DEFRA GHG conversion factors 2026, material use, paper and board: paper, primary material production: 1,345.08 kg CO2e per tonne, as listed in a public code repository labelled "DEFRA 2026" (research operating-model.md §3.8, S41 [SECONDARY]). [UNCONFIRMED] against the official DESNZ spreadsheet. About 46% above the 919.40 of the 2022-2023 sets. Applies from 1 January 2026, the set\'s reporting year; earlier periods keep 919.40.',
  },
  {
    key: "paper_recycled",
    value: 1050.08,
    year: 2026,
    is_assumption: false,
    effective_from: "2026-01-01",
    source:
      'DESNZ/DEFRA GHG conversion factors 2026, paper and board: paper, closed-loop source (recycled content): 1,050.08 kg CO2e per tonne, from the same "DEFRA 2026" listing (research operating-model.md §3.8, S41 [SECONDARY]). [UNCONFIRMED] against the official spreadsheet. Taken from the closed-loop figure, no longer derived from the virgin one. Applies from 1 January 2026.',
  },
];

/** The version of each factor in force on `date`: the latest effective on or before it. */
export function factorsOn(versions: readonly FactorVersion[], date: string): Map<string, FactorVersion> {
  const out = new Map<string, FactorVersion>();
  for (const v of versions) {
    if (v.effective_from > date) continue;
    const cur = out.get(v.key);
    if (!cur || v.effective_from > cur.effective_from) out.set(v.key, v);
  }
  return out;
}
