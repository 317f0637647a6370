import type { ContractCategory, ContractPayer } from "#db/types";
import { CONTRACT_CATEGORIES, CONTRACT_REQUIREMENTS, noticeDate } from "~/modules/catalogue/contracts";
import { addDays } from "~/utils/today";
import { financialYearOf } from "~/modules/pricing/financial-year";

/**
 * Supplier contracts on the forecast timeline (issue 15 item 4): each running contract's notice
 * date (the last day to give notice: the end date less the notice period) and its end (the last
 * day in force, or the day it was ended early) inside the horizon, with the practice or ICB, the
 * annual cost and who pays, and the requirements the contract bears on. An end with no successor
 * (no other contract of the same category for the same practice or ICB in force the next day) is
 * marked: for telephony, the practice must renew through the Better Purchasing Framework (TEL-03)
 * and stay on cloud telephony (TEL-02). Pure: the rows come from the register.
 */

export interface ContractRowForForecast {
  id: number;
  practice_code: string | null;
  icb_code: string | null;
  supplier: string;
  category: ContractCategory;
  service: string | null;
  reference: string;
  starts_on: string;
  ends_on: string;
  ended_on: string | null;
  notice_months: number;
  annual_cost_pence: number;
  paid_by: ContractPayer;
}

export interface ContractEvent {
  date: string;
  kind: "notice" | "end";
  financialYear: number;
  contractId: number;
  /** The practice's code, or null for an ICB's own contract. */
  practiceCode: string | null;
  icbCode: string | null;
  supplier: string;
  reference: string;
  category: ContractCategory;
  annualCostPence: number;
  paidBy: ContractPayer;
  /** Requirements the contract bears on (the catalogue's CONTRACT_REQUIREMENTS). */
  affects: readonly string[];
  /** For an end: whether another contract of the same category carries on the next day. */
  successor: boolean | null;
  /** Plain words: "X-on telephony contract XON-1 ends; no successor recorded (TEL-02, TEL-03)". */
  description: string;
}

const lastDay = (c: ContractRowForForecast) => (c.ended_on && c.ended_on < c.ends_on ? c.ended_on : c.ends_on);

/** Events in (asOf, until], by date, then practice/ICB, then contract. */
export function contractEvents(contracts: readonly ContractRowForForecast[], asOf: string, until: string): ContractEvent[] {
  const events: ContractEvent[] = [];
  const holder = (c: ContractRowForForecast) => c.practice_code ?? c.icb_code ?? "";
  for (const c of contracts) {
    const end = lastDay(c);
    const what = `${c.supplier} ${CONTRACT_CATEGORIES[c.category].toLowerCase()} contract ${c.reference}`;
    const affects = CONTRACT_REQUIREMENTS[c.category] ?? [];
    const base = {
      financialYear: 0,
      contractId: c.id,
      practiceCode: c.practice_code,
      icbCode: c.icb_code,
      supplier: c.supplier,
      reference: c.reference,
      category: c.category,
      annualCostPence: c.annual_cost_pence,
      paidBy: c.paid_by,
      affects,
    };
    // Notice: only for a contract not already ended early, and not before it starts.
    if (c.notice_months > 0 && !c.ended_on) {
      const notice = noticeDate(c)!;
      if (notice > asOf && notice <= until && notice >= c.starts_on)
        events.push({
          ...base,
          date: notice,
          kind: "notice",
          financialYear: financialYearOf(notice),
          successor: null,
          description: `Last day to give ${c.notice_months} month${c.notice_months === 1 ? "" : "s"}' notice on the ${what} (it ends ${c.ends_on})`,
        });
    }
    if (end > asOf && end <= until) {
      const next = addDays(end, 1);
      const successor = contracts.some(
        (o) => o !== c && holder(o) === holder(c) && o.category === c.category && o.starts_on <= next && lastDay(o) >= next,
      );
      const gap = successor ? "" : `; no successor recorded${affects.length ? ` (${affects.join(", ")})` : ""}`;
      events.push({
        ...base,
        date: end,
        kind: "end",
        financialYear: financialYearOf(end),
        successor,
        description: `${what[0].toUpperCase()}${what.slice(1)} ${c.ended_on && c.ended_on < c.ends_on ? "is ended early" : "ends"}${gap}`,
      });
    }
  }
  return events.sort(
    (a, b) =>
      a.date.localeCompare(b.date) ||
      (a.practiceCode ?? a.icbCode ?? "").localeCompare(b.practiceCode ?? b.icbCode ?? "") ||
      a.contractId - b.contractId ||
      a.kind.localeCompare(b.kind),
  );
}
