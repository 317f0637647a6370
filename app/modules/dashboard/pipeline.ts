import type { FundingRequestStatus } from "#db/types";
import { financialYearLabel } from "~/modules/pricing/financial-year";

/**
 * The funding pipeline for a financial year: the amount of each request at its current stage.
 * A request sits in one stage at a time, so the stages add up to everything asked for and not
 * turned down (drafts and rejected requests are shown apart, outside that total). The budget is
 * compared with what has been committed: approved, funded or delivered.
 */
export const PIPELINE_STAGES = ["submitted", "approved", "funded", "delivered"] as const;
export type PipelineStage = (typeof PIPELINE_STAGES)[number];
export const STAGE_LABELS: Record<PipelineStage, string> = {
  submitted: "Requested (awaiting a decision)",
  approved: "Approved (not yet funded)",
  funded: "Funded (not yet delivered)",
  delivered: "Delivered",
};

export interface RequestTotal {
  financial_year: number;
  status: string;
  requests: number;
  pence: number;
  /** VAT on `pence` as stored with the requests (funding/split.ts); absent: none worked out. */
  vatPence?: number;
  /** Requests with no VAT worked out: they count at their ex-VAT amount in `vatPence` (as the request list does). */
  noVat?: number;
}

/** Requests, their amount ex VAT and the VAT on it (inc VAT is the two added), and how many have no VAT worked out. */
export interface StageTotal {
  requests: number;
  pence: number;
  vatPence: number;
  noVat: number;
}

export interface PipelineYear {
  year: number;
  label: string;
  stages: ({ stage: PipelineStage; label: string } & StageTotal)[];
  /** Sum of the stages: everything requested and not rejected. */
  requested: { requests: number; pence: number };
  /** VAT on `requested.pence` (the stages' VAT added), and the requests in it with no VAT worked out. */
  requestedVat: { vatPence: number; noVat: number };
  /** Approved, funded or delivered: what counts against the budget. */
  committedPence: number;
  budgetPence: number | null;
  /** Budget less committed (negative when over); null with no budget set. */
  remainingPence: number | null;
  /** Requested (all stages) less the budget; null with no budget set. */
  requestedOverBudgetPence: number | null;
  drafts: { requests: number; pence: number };
  rejected: { requests: number; pence: number };
}

export function pipelineFor(
  years: readonly number[],
  totals: readonly RequestTotal[],
  budgets: ReadonlyMap<number, number>,
): PipelineYear[] {
  return years.map((year) => {
    const of = (status: FundingRequestStatus) => {
      const rows = totals.filter((t) => t.financial_year === year && t.status === status);
      return { requests: rows.reduce((s, r) => s + r.requests, 0), pence: rows.reduce((s, r) => s + r.pence, 0) };
    };
    const vatOf = (status: FundingRequestStatus) => {
      const rows = totals.filter((t) => t.financial_year === year && t.status === status);
      return { vatPence: rows.reduce((s, r) => s + (r.vatPence ?? 0), 0), noVat: rows.reduce((s, r) => s + (r.noVat ?? 0), 0) };
    };
    const stages = PIPELINE_STAGES.map((stage) => ({ stage, label: STAGE_LABELS[stage], ...of(stage), ...vatOf(stage) }));
    const requested = { requests: stages.reduce((s, x) => s + x.requests, 0), pence: stages.reduce((s, x) => s + x.pence, 0) };
    const committedPence = stages.filter((s) => s.stage !== "submitted").reduce((s, x) => s + x.pence, 0);
    const budget = budgets.get(year);
    const budgetPence = budget === undefined ? null : budget;
    return {
      year,
      label: financialYearLabel(year),
      stages,
      requested,
      requestedVat: { vatPence: stages.reduce((s, x) => s + x.vatPence, 0), noVat: stages.reduce((s, x) => s + x.noVat, 0) },
      committedPence,
      budgetPence,
      remainingPence: budgetPence === null ? null : budgetPence - committedPence,
      requestedOverBudgetPence: budgetPence === null ? null : requested.pence - budgetPence,
      drafts: of("draft"),
      rejected: of("rejected"),
    };
  });
}
