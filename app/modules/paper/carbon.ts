import { factorsOn, type FactorKey, type FactorVersion } from "./factors";
import { addMonthsYm, firstDay, last12Months, lastCompleteMonth, lastDay, monthOf, monthsBetween } from "~/utils/months";
import { lloydGeorgeCounts, type LloydGeorgeFacts } from "~/modules/catalogue/paper-records";

// Month arithmetic is shared (utils/months.ts) and the Lloyd George counts are the catalogue's (PAP rules read them);
// both re-exported for the paper pages.
export {
  addMonthsYm,
  firstDay,
  last12Months,
  lastCompleteMonth,
  lastDay,
  lloydGeorgeCounts,
  monthOf,
  monthsBetween,
  type LloydGeorgeFacts,
};

/**
 * Carbon (kg CO2e) from paper, printing, post and digital messages. Pure: no clock, no database.
 * A period is costed with the factor versions in force on its first day. Anything not recorded
 * gives "missing" with what is missing, never zero emissions.
 */

/** A4 is 210 × 297 mm. */
export const A4_AREA_M2 = 0.21 * 0.297;
/** NHS Carbon Footprint (emissions the NHS controls directly): net zero by 2040 (research §3.7, S40). */
export const NET_ZERO_DIRECT_YEAR = 2040;
/**
 * NHS Carbon Footprint Plus (the supply chain it can influence): net zero by 2045 (research §3.7,
 * S40). Paper, post and messaging services are bought in, so they count here (issue #13 item 7).
 */
export const NET_ZERO_PLUS_YEAR = 2045;
/** The year the paper trajectory runs to: its last line (the supply-chain part) reaches zero then. */
export const NET_ZERO_YEAR = NET_ZERO_PLUS_YEAR;

export const gramsToKg = (g: number) => g / 1000;
export const kgToTonnes = (kg: number) => kg / 1000;
export const tonnesToKg = (t: number) => t * 1000;
export const gramsToTonnes = (g: number) => g / 1_000_000;

/** Mass of one A4 sheet in grams from its paper weight (80 gsm → 4.99 g). */
export const sheetMassGrams = (gsm: number) => gsm * A4_AREA_M2;

export interface ActivityInput {
  period_start: string;
  period_end: string;
  site_code: string | null;
  sheets_printed: number | null;
  recycled_share_pct: number | null;
  letters_posted: number | null;
  sms_sent: number | null;
  nhs_app_messages: number | null;
  emails_sent: number | null;
}

export interface CarbonParts {
  paper: number;
  printing: number;
  post: number;
  digital: number;
}

export type PeriodCarbon = { status: "ok"; kg: number; parts: CarbonParts; factorIds: number[] } | { status: "missing"; missing: string[] };

export const INPUT_LABELS = {
  sheets_printed: "sheets printed",
  recycled_share_pct: "recycled paper share",
  letters_posted: "letters posted",
  sms_sent: "text messages sent",
  nhs_app_messages: "NHS App messages sent",
  emails_sent: "emails sent",
} as const;

const REQUIRED_FACTORS: FactorKey[] = [
  "paper_virgin",
  "paper_recycled",
  "sheet_gsm",
  "printing_per_sheet",
  "letter_posted",
  "letter_sheets",
  "sms_message",
  "nhs_app_message",
  "email_message",
];

/** kg CO2e for one recorded period, with the given factor versions (already chosen for its date). */
export function carbonForActivity(a: ActivityInput, factors: Map<string, FactorVersion>): PeriodCarbon {
  const missing: string[] = [];
  for (const k of Object.keys(INPUT_LABELS) as (keyof typeof INPUT_LABELS)[])
    if (a[k] === null || a[k] === undefined) missing.push(INPUT_LABELS[k]);
  for (const k of REQUIRED_FACTORS)
    if (!factors.has(k)) missing.push(`the ${k.replace(/_/g, " ")} emission factor in force on ${a.period_start}`);
  if (missing.length) return { status: "missing", missing };
  const f = (k: FactorKey) => factors.get(k)!.value;
  // A posted letter's factor already covers its own paper and printing; its sheets are in the
  // printer counts too, so they are taken off here and counted once (never below zero).
  const sheets = Math.max(0, a.sheets_printed! - a.letters_posted! * f("letter_sheets"));
  const recycled = a.recycled_share_pct! / 100;
  const tonnes = gramsToTonnes(sheets * sheetMassGrams(f("sheet_gsm")));
  const paper = tonnes * ((1 - recycled) * f("paper_virgin") + recycled * f("paper_recycled"));
  const printing = gramsToKg(sheets * f("printing_per_sheet"));
  const post = gramsToKg(a.letters_posted! * f("letter_posted"));
  const digital = gramsToKg(
    a.sms_sent! * f("sms_message") + a.nhs_app_messages! * f("nhs_app_message") + a.emails_sent! * f("email_message"),
  );
  const factorIds = REQUIRED_FACTORS.map((k) => factors.get(k)!.id);
  return { status: "ok", kg: paper + printing + post + digital, parts: { paper, printing, post, digital }, factorIds };
}

export interface MonthFigure {
  month: string;
  /** ok: every record covering the month gives a figure; missing: nothing recorded, or a record lacks data. */
  status: "ok" | "missing";
  kg: number | null;
  parts: CarbonParts | null;
  missing: string[];
  /** Totals of the inputs recorded for the month (records spanning several months are shared evenly). */
  inputs: { sheets: number; letters: number; digital: number; recycledSheets: number };
  factorIds: number[];
}

/**
 * One figure per month. A record covering several whole months is shared evenly between them.
 * Each record is costed with the factors in force on its own first day.
 */
export function monthlyCarbon(
  activities: readonly ActivityInput[],
  versions: readonly FactorVersion[],
  months: readonly string[],
): MonthFigure[] {
  const byMonth = new Map<string, { a: ActivityInput; share: number; c: PeriodCarbon }[]>();
  for (const a of activities) {
    const span = monthsBetween(monthOf(a.period_start), monthOf(a.period_end));
    const c = carbonForActivity(a, factorsOn(versions, a.period_start));
    for (const m of span) {
      const list = byMonth.get(m) ?? [];
      list.push({ a, share: 1 / span.length, c });
      byMonth.set(m, list);
    }
  }
  return months.map((month) => {
    const rows = byMonth.get(month) ?? [];
    const inputs = { sheets: 0, letters: 0, digital: 0, recycledSheets: 0 };
    for (const { a, share } of rows) {
      inputs.sheets += (a.sheets_printed ?? 0) * share;
      inputs.recycledSheets += ((a.sheets_printed ?? 0) * (a.recycled_share_pct ?? 0) * share) / 100;
      inputs.letters += (a.letters_posted ?? 0) * share;
      inputs.digital += ((a.sms_sent ?? 0) + (a.nhs_app_messages ?? 0) + (a.emails_sent ?? 0)) * share;
    }
    if (rows.length === 0) return { month, status: "missing", kg: null, parts: null, missing: ["nothing recorded"], inputs, factorIds: [] };
    const missing = [...new Set(rows.flatMap((r) => (r.c.status === "missing" ? r.c.missing : [])))];
    if (missing.length) return { month, status: "missing", kg: null, parts: null, missing, inputs, factorIds: [] };
    const parts: CarbonParts = { paper: 0, printing: 0, post: 0, digital: 0 };
    const ids = new Set<number>();
    for (const r of rows) {
      if (r.c.status !== "ok") continue;
      for (const k of Object.keys(parts) as (keyof CarbonParts)[]) parts[k] += r.c.parts[k] * r.share;
      for (const id of r.c.factorIds) ids.add(id);
    }
    return {
      month,
      status: "ok",
      kg: parts.paper + parts.printing + parts.post + parts.digital,
      parts,
      missing: [],
      inputs,
      factorIds: [...ids].sort((a, b) => a - b),
    };
  });
}

export interface YearFigure {
  year: number;
  /** Months of the year up to the last complete month. */
  months: number;
  recorded: number;
  /** Sum of the months with a figure. */
  kgRecorded: number;
  /** Null unless every month so far has a figure. */
  kg: number | null;
  /** A part year's total scaled to twelve months; equals kg for a whole year. */
  annualised: number | null;
  missingMonths: string[];
}

/** Calendar-year totals from monthly figures (months after `lastMonth` are not yet due). */
export function yearlyCarbon(monthly: readonly MonthFigure[], lastMonth: string): YearFigure[] {
  const years = new Map<number, MonthFigure[]>();
  for (const m of monthly) {
    if (m.month > lastMonth) continue;
    const y = Number(m.month.slice(0, 4));
    years.set(y, [...(years.get(y) ?? []), m]);
  }
  return [...years.entries()]
    .sort(([a], [b]) => a - b)
    .map(([year, list]) => {
      const due = monthsBetween(`${year}-01`, lastMonth < `${year}-12` ? lastMonth : `${year}-12`);
      const byMonth = new Map(list.map((m) => [m.month, m]));
      const ok = due.filter((m) => byMonth.get(m)?.status === "ok");
      const kgRecorded = ok.reduce((s, m) => s + byMonth.get(m)!.kg!, 0);
      const complete = ok.length === due.length;
      return {
        year,
        months: due.length,
        recorded: ok.length,
        kgRecorded,
        kg: complete ? kgRecorded : null,
        annualised: complete ? (kgRecorded * 12) / due.length : null,
        missingMonths: due.filter((m) => byMonth.get(m)?.status !== "ok"),
      };
    });
}

/** kg over the last twelve whole months, or missing naming the months without a figure. */
export function rolling12(monthly: readonly MonthFigure[], asOf: string): { kg: number | null; missingMonths: string[]; recorded: number } {
  const months = last12Months(asOf);
  const by = new Map(monthly.map((m) => [m.month, m]));
  const missingMonths = months.filter((m) => by.get(m)?.status !== "ok");
  const recorded = months.length - missingMonths.length;
  return { kg: missingMonths.length ? null : months.reduce((s, m) => s + by.get(m)!.kg!, 0), missingMonths, recorded };
}

/** kg CO2e per 1,000 registered patients; null when either side is missing or the list is empty. */
export const per1000 = (kg: number | null, listSize: number | null) => (kg === null || !listSize ? null : (kg / listSize) * 1000);

/**
 * The net zero line when the baseline mixes targets: printing energy (electricity used on the
 * premises, NHS Carbon Footprint) falls to zero in 2040; paper, post and messages (bought in,
 * NHS Carbon Footprint Plus) fall to zero in 2045. `directKg` is the printing part of the baseline.
 */
export function splitTrajectoryTarget(baselineYear: number, baselineKg: number, directKg: number, year: number): number {
  const direct = Math.min(Math.max(directKg, 0), baselineKg);
  return (
    trajectoryTarget(baselineYear, direct, year, NET_ZERO_DIRECT_YEAR) +
    trajectoryTarget(baselineYear, baselineKg - direct, year, NET_ZERO_PLUS_YEAR)
  );
}

/** The straight line from a baseline year's emissions to zero in the net zero year. */
export function trajectoryTarget(baselineYear: number, baselineKg: number, year: number, netZeroYear = NET_ZERO_YEAR): number {
  if (year <= baselineYear) return baselineKg;
  if (year >= netZeroYear) return 0;
  return (baselineKg * (netZeroYear - year)) / (netZeroYear - baselineYear);
}

export interface Savings {
  lloydGeorge:
    | { status: "ok"; records: number; floorM2: number; floorFromSites: boolean; kgPerYear: number; pencePerYear: number }
    | { status: "missing"; missing: string[] };
  letters:
    | {
        status: "ok";
        lettersPerYear: number;
        digitalPerYear: number;
        lettersMoved: number;
        targetShare: number;
        kgPerYear: number;
        pencePerYear: number;
        annualisedFrom: number;
        /** Moving every letter: the most there is to save. */
        allLettersKg: number;
        allLettersPence: number;
      }
    | { status: "missing"; missing: string[] };
}

/**
 * What a practice would save each year (factors in force on `asOf`):
 * - digitising and destroying its remaining paper records frees their floor space (the sites'
 *   recorded records storage, or the derived area per 1,000 records when no site records it);
 * - moving letters to digital messages until the digital share reaches `targetShare`, at last
 *   year's volumes (the recorded months scaled to twelve).
 */
export function savings(opts: {
  lg: LloydGeorgeFacts | null;
  storageM2: number | null;
  monthly: readonly MonthFigure[];
  asOf: string;
  versions: readonly FactorVersion[];
  targetShare: number;
}): Savings {
  const f = factorsOn(opts.versions, opts.asOf);
  const val = (k: FactorKey) => f.get(k)?.value ?? null;
  const counts = lloydGeorgeCounts(opts.lg);
  let lloydGeorge: Savings["lloydGeorge"];
  if (!opts.lg) lloydGeorge = { status: "missing", missing: ["Lloyd George record counts"] };
  else if (counts.held === null || counts.notDigitised === null) {
    const missing = (["envelopes_on_site", "envelopes_elsewhere", "digitised", "destroyed"] as const)
      .filter((k) => opts.lg![k] === null)
      .map((k) => k.replace(/_/g, " "));
    lloydGeorge = { status: "missing", missing };
  } else {
    const fromSites = opts.storageM2 !== null && opts.storageM2 > 0;
    const perThousand = val("records_floor_area");
    const carbon = val("floor_space_carbon");
    const cost = val("floor_space_cost");
    const missing = [
      fromSites || perThousand !== null ? "" : "records floor area factor",
      carbon === null ? "floor space carbon factor" : "",
      cost === null ? "floor space cost factor" : "",
    ].filter(Boolean);
    if (missing.length) lloydGeorge = { status: "missing", missing };
    else {
      const floorM2 = counts.held === 0 ? 0 : fromSites ? opts.storageM2! : (counts.held / 1000) * perThousand!;
      lloydGeorge = {
        status: "ok",
        records: counts.notDigitised,
        floorM2,
        floorFromSites: fromSites,
        kgPerYear: floorM2 * carbon!,
        pencePerYear: Math.round(floorM2 * cost!),
      };
    }
  }

  const months = last12Months(opts.asOf);
  const by = new Map(opts.monthly.map((m) => [m.month, m]));
  const recorded = months.filter((m) => by.get(m)?.status === "ok");
  let letters: Savings["letters"];
  const letterG = val("letter_posted");
  const smsG = val("sms_message");
  const postage = val("postage_cost");
  const digitalCost = val("digital_message_cost");
  if (recorded.length === 0) letters = { status: "missing", missing: ["paper activity for the last 12 months"] };
  else if (letterG === null || smsG === null || postage === null || digitalCost === null)
    letters = { status: "missing", missing: ["letter and message factors"] };
  else {
    const scale = 12 / recorded.length;
    const lettersPerYear = recorded.reduce((s, m) => s + by.get(m)!.inputs.letters, 0) * scale;
    const digitalPerYear = recorded.reduce((s, m) => s + by.get(m)!.inputs.digital, 0) * scale;
    const lettersMoved = Math.max(0, Math.round(opts.targetShare * (lettersPerYear + digitalPerYear) - digitalPerYear));
    letters = {
      status: "ok",
      lettersPerYear: Math.round(lettersPerYear),
      digitalPerYear: Math.round(digitalPerYear),
      lettersMoved,
      targetShare: opts.targetShare,
      kgPerYear: gramsToKg(lettersMoved * Math.max(0, letterG - smsG)),
      pencePerYear: Math.round(lettersMoved * Math.max(0, postage - digitalCost)),
      annualisedFrom: recorded.length,
      allLettersKg: gramsToKg(lettersPerYear * Math.max(0, letterG - smsG)),
      allLettersPence: Math.round(lettersPerYear * Math.max(0, postage - digitalCost)),
    };
  }
  return { lloydGeorge, letters };
}
