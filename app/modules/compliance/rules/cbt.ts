import { formatDate, num } from "./helpers";
import type { CbtMonthRecord, EvidenceRef, PracticeEstate } from "~/modules/catalogue/rule-types";

/**
 * What NHS England's cloud telephony (CBT) data says about a practice on a date
 * (app/modules/cbt; reference: ../shared/reference/feeds.md section 1). The month that counts is
 * the latest month, ended before the as-of date, whose imported data covers the practice's NHS
 * region (`cbtPublished`); the practice's row for it, or none: a practice on cloud telephony
 * that is missing from a published month has not shared its data for it. Practices on a phone
 * account shared with others are published as "Unassigned" and cannot be told apart (feeds.md).
 */
export interface CbtView {
  month: string;
  row: CbtMonthRecord | null;
}

export function cbtLatest(e: PracticeEstate, asOf: string): CbtView | null {
  const monthStart = `${asOf.slice(0, 7)}-01`;
  const published = (e.cbtPublished ?? []).filter((m) => m < monthStart);
  if (published.length === 0) return null;
  const month = published[published.length - 1];
  return { month, row: (e.cbt ?? []).find((r) => r.month === month) ?? null };
}

/** "August 2026" */
export const monthName = (month: string) => formatDate(month).replace(/^\d+ /, "");

export const cbtRef = (v: CbtView, outcome: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "cbt_month",
  id: v.month,
  label: v.row
    ? `NHS England cloud telephony data, ${monthName(v.month)}: ${v.row.inbound === null ? "inbound calls not given" : `${num(v.row.inbound)} inbound calls`}`
    : `NHS England cloud telephony data, ${monthName(v.month)}: practice not included`,
  outcome,
});
