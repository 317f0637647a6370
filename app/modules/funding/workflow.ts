import type { FundingRequestStatus, GapStatus } from "#db/types";
import { formatPence } from "~/modules/pricing/money";
import { REQUEST_STATUSES } from "~/modules/catalogue/status-words";

/**
 * The funding request workflow as pure functions: which steps exist, who may take them, what a
 * gap's status becomes from the requests it belongs to, and the budget arithmetic. No database,
 * no clock: the service feeds in what it has read and writes what these return.
 */
export { REQUEST_STATUSES };
export const REQUEST_STATUS_KEYS = Object.keys(REQUEST_STATUSES) as FundingRequestStatus[];

/** Statuses whose money counts against the year's budget. */
export const COMMITTED_STATUSES: readonly FundingRequestStatus[] = ["approved", "funded", "delivered"];

export type Step = "submit" | "approve" | "reject" | "fund" | "deliver";
export const STEPS: readonly Step[] = ["submit", "approve", "reject", "fund", "deliver"];

/** From-state and to-state of each step, and whether it is a commissioner's decision. */
export const STEP_RULES: Record<
  Step,
  { from: FundingRequestStatus; to: FundingRequestStatus; decide: boolean; label: string; done: string }
> = {
  submit: { from: "draft", to: "submitted", decide: false, label: "Submit for a decision", done: "submitted" },
  approve: { from: "submitted", to: "approved", decide: true, label: "Approve", done: "approved" },
  reject: { from: "submitted", to: "rejected", decide: true, label: "Reject", done: "rejected" },
  fund: { from: "approved", to: "funded", decide: true, label: "Record as funded", done: "funded" },
  deliver: { from: "funded", to: "delivered", decide: true, label: "Record as delivered", done: "delivered" },
};

export interface Actor {
  /** Holds funding:request over the request (its ICB, or every practice in it). */
  canRequest: boolean;
  /** Holds funding:decide over the request's ICB (ICB lead or admin). */
  canDecide: boolean;
  /** Created the request. */
  isCreator: boolean;
  /**
   * The ICB's policy on approving a request you raised (policy `funding_self_approval`):
   * not allowed (the default), or allowed with a recorded reason.
   */
  selfApproval?: "not_allowed" | "with_reason";
}

export const SELF_APPROVAL_REFUSED =
  "You raised this request, so someone else at the ICB must approve it (separation of duties). The ICB's local policy does not allow approving your own requests.";

/** Why a step cannot be taken, or null when it can. 403-type refusals and 409-type ones differ. */
export type Refusal = { kind: "forbidden" | "state"; message: string };

/** "This request is …": how each state reads in a sentence. */
const STATE_PHRASE: Record<FundingRequestStatus, string> = {
  draft: "still a draft",
  submitted: "waiting for a decision",
  approved: "approved",
  rejected: "rejected",
  funded: "funded",
  delivered: "delivered",
};

export function checkStep(step: Step, status: FundingRequestStatus, actor: Actor): Refusal | null {
  const rule = STEP_RULES[step];
  if (rule.decide) {
    if (!actor.canDecide) return { kind: "forbidden", message: "Only the ICB's digital lead can decide funding requests." };
    if (step === "approve" && actor.isCreator && (actor.selfApproval ?? "not_allowed") === "not_allowed")
      return { kind: "forbidden", message: SELF_APPROVAL_REFUSED };
  } else if (!(actor.canRequest && (actor.isCreator || actor.canDecide))) {
    return { kind: "forbidden", message: "Only the person who drafted this request or the ICB's digital lead can submit it." };
  }
  if (status !== rule.from) {
    return {
      kind: "state",
      message: `This request is ${STATE_PHRASE[status]}, so it cannot be ${rule.done} now. Reload the page to see what has happened.`,
    };
  }
  return null;
}

/** Editing (title, amount, gaps) is for drafts, by their author or the ICB lead. */
export function checkEdit(status: FundingRequestStatus, actor: Actor): Refusal | null {
  if (!(actor.canRequest && (actor.isCreator || actor.canDecide))) {
    return { kind: "forbidden", message: "Only the person who drafted this request or the ICB's digital lead can change it." };
  }
  if (status !== "draft") return { kind: "state", message: `This request is ${STATE_PHRASE[status]}: only drafts can be changed.` };
  return null;
}

/** The steps this actor may take now, in the order a page offers them. */
export function allowedSteps(status: FundingRequestStatus, actor: Actor): Step[] {
  return STEPS.filter((s) => checkStep(s, status, actor) === null);
}

export const canEdit = (status: FundingRequestStatus, actor: Actor) => checkEdit(status, actor) === null;

const RANK: Record<FundingRequestStatus, number> = { rejected: 0, draft: 0, submitted: 1, approved: 2, funded: 2, delivered: 3 };
const GAP_STATUS_BY_RANK: GapStatus[] = ["open", "funding_requested", "funded", "in_delivery"];

/**
 * A gap's status from the requests it belongs to: the most advanced live request wins
 * (submitted → funding requested, approved or funded → funded, delivered → in delivery); with
 * none past draft it is open. Rejected requests and drafts do not count. A closed gap stays
 * closed: only evaluation closes or reopens gaps.
 */
export function gapStatusFromRequests(current: GapStatus, requestStatuses: readonly FundingRequestStatus[]): GapStatus {
  if (current === "closed") return "closed";
  const rank = requestStatuses.reduce((m, s) => Math.max(m, RANK[s]), 0);
  return GAP_STATUS_BY_RANK[rank];
}

export interface BudgetPosition {
  budgetPence: number | null;
  /** Approved, funded and delivered requests for the year. */
  committedPence: number;
  /** Budget minus committed; null with no budget set. Negative when over. */
  remainingPence: number | null;
}

export function budgetPosition(budgetPence: number | null, committedPence: number): BudgetPosition {
  return { budgetPence, committedPence, remainingPence: budgetPence === null ? null : budgetPence - committedPence };
}

/**
 * Whether approving `amountPence` needs an explicit override: with no budget set for the year,
 * or when approval would take the committed total over the budget. Returns the plain-words
 * reason, or null when the approval fits.
 */
export function approvalNeedsOverride(position: BudgetPosition, amountPence: number): string | null {
  if (position.budgetPence === null) return "No budget is set for this financial year.";
  const after = position.committedPence + amountPence;
  if (after > position.budgetPence)
    return `Approving this would take the year's approved, funded and delivered total to ${formatPence(after)}, over the budget of ${formatPence(position.budgetPence)} by ${formatPence(after - position.budgetPence)}.`;
  return null;
}

/** Sum of gap estimates, or null when any gap has no estimate (the amount must then be entered). */
export function totalEstimate(estimates: readonly (number | null)[]): number | null {
  let sum = 0;
  for (const e of estimates) {
    if (e === null) return null;
    sum += e;
  }
  return sum;
}

/** A reason is needed when the amount differs from a complete estimate, or there is none. */
export const amountNeedsReason = (amountPence: number, estimatePence: number | null) =>
  estimatePence === null || amountPence !== estimatePence;
