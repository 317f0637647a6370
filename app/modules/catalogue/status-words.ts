import type { FundingRequestStatus, GapStatus } from "#db/types";

/**
 * One status vocabulary for funding requests and the gaps in them (issue #17 item 7): the only
 * place these words are defined. Pure, so pages, exports and the API share it.
 *
 * A gap's status follows the most advanced live request it is in (workflow.gapStatusFromRequests),
 * so a gap is named with that request's word: a gap in a submitted request is "Submitted", in an
 * approved one "Approved", in a delivered one "Delivered". The gap statuses hold one step for
 * both "approved" and "funded" requests; where the requests are at hand (the gap page, a
 * request's page) `gapStatusWord` says "Funded" when its request is funded, elsewhere (register,
 * exports) the step is "Approved": the commissioner's decision, with or without the money released.
 */
export const REQUEST_STATUSES: Record<FundingRequestStatus, string> = {
  draft: "Draft",
  submitted: "Submitted",
  approved: "Approved",
  rejected: "Rejected",
  funded: "Funded",
  delivered: "Delivered",
};

export const GAP_STATUS_LABELS: Record<GapStatus, string> = {
  open: "Open",
  funding_requested: REQUEST_STATUSES.submitted,
  funded: REQUEST_STATUSES.approved,
  in_delivery: REQUEST_STATUSES.delivered,
  closed: "Closed",
};

/** A gap's status in words, given the statuses of the requests it is in (when known). */
export function gapStatusWord(status: GapStatus, requestStatuses: readonly FundingRequestStatus[] = []): string {
  if (status === "funded" && requestStatuses.includes("funded")) return REQUEST_STATUSES.funded;
  return GAP_STATUS_LABELS[status];
}
