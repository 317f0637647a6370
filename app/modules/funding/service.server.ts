import type { Db, Trx } from "#db/connect";
import type { FundingRequestStatus, GapStatus } from "#db/types";
import { recordAudit } from "~/modules/audit/repository.server";
import type { SessionUser } from "~/modules/auth/service.server";
import { loadCostedGaps, type CostedGap } from "~/modules/gaps/costed.server";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { AppError, badRequest, conflict, forbidden, invalid, notFound } from "~/utils/errors";
import { scopeCoversIcb, scopeFor, scopeIsEmpty, type Scope } from "~/utils/permissions";
import { getPolicy } from "~/modules/compliance/policy.server";
import { potsOf } from "./budget.server";
import * as repo from "./repository.server";
import * as requestRepo from "./requests-repository.server";
import type { RequestFields, TransitionInput } from "./schema";
import { potOverrides, potPosition, splitRequestAmount, type Pot, type PotPosition } from "./split";
import {
  allowedSteps,
  budgetPosition,
  canEdit,
  checkEdit,
  checkStep,
  gapStatusFromRequests,
  REQUEST_STATUSES,
  STEP_RULES,
  totalEstimate,
  type Actor,
  type Refusal,
  type Step,
} from "./workflow";

export const REQUEST_ENTITY = "funding_request";
const ALL_GAP_STATUSES: GapStatus[] = ["open", "funding_requested", "funded", "in_delivery", "closed"];

const CHANGED =
  "Someone else changed this funding request since you opened it, so nothing was saved. Reload the page to see what changed, then try again.";

const fail = (r: Refusal) => (r.kind === "forbidden" ? forbidden(r.message) : conflict(r.message));

/** The gaps a request may bundle, re-checked against the user's funding:request scope. */
export interface PreparedGaps {
  gaps: CostedGap[];
  icbCode: string;
  estimatePence: number | null;
  knownPence: number;
  /** Other requests each gap is already in. */
  otherRequests: Record<number, { id: number; title: string; status: FundingRequestStatus }[]>;
}

/**
 * Loads and checks gap ids as submitted (hidden inputs can be tampered with): every id must be a
 * gap whose practice the user may raise requests for (else 404, nothing is said about it), none
 * closed, all in one ICB.
 */
export async function prepareGaps(
  db: Db,
  scope: Scope,
  ids: readonly number[],
  today: string,
  excludeRequestId?: number,
): Promise<PreparedGaps> {
  if (ids.length === 0) throw badRequest("Choose at least one gap.");
  const gaps = await loadCostedGaps(db, { scope, ids, statuses: ALL_GAP_STATUSES }, today);
  if (gaps.length !== new Set(ids).size) throw notFound("gap");
  const closed = gaps.filter((g) => g.status === "closed");
  if (closed.length) {
    throw invalid({
      gaps: `Gap ${closed.map((g) => `#${g.id}`).join(", ")} ${closed.length === 1 ? "is" : "are"} closed (the requirement is now met), so ${closed.length === 1 ? "it needs" : "they need"} no funding. Remove ${closed.length === 1 ? "it" : "them"} from the request.`,
    });
  }
  const icbs = [...new Set(gaps.map((g) => g.icbCode))];
  if (icbs.length !== 1 || !icbs[0])
    throw invalid({
      gaps: "All the gaps in a request must be in one ICB: the ICB decides and pays. Make one request per ICB.",
    });
  const others = await repo.requestsForGaps(db, ids);
  const otherRequests: PreparedGaps["otherRequests"] = {};
  for (const o of others) {
    if (o.id === excludeRequestId) continue;
    (otherRequests[o.gap_id] ??= []).push({ id: o.id, title: o.title, status: o.status as FundingRequestStatus });
  }
  return {
    gaps,
    icbCode: icbs[0],
    estimatePence: totalEstimate(gaps.map((g) => g.estimate.pence)),
    knownPence: gaps.reduce((s, g) => s + g.estimate.knownPence, 0),
    otherRequests,
  };
}

/** What a request looks like in its audit trail: readable values, so the history reads as a diff. */
function auditable(
  r: {
    title: string;
    financial_year: number;
    amount_pence: number;
    amount_reason: string | null;
    justification: string;
    status: FundingRequestStatus;
    decision_reason?: string | null;
    budget_override_reason?: string | null;
    capital_pence?: number;
    vat_pence?: number | null;
    self_approval_reason?: string | null;
  },
  gapIds: readonly number[],
) {
  const capital = Number(r.capital_pence ?? 0);
  return {
    status: REQUEST_STATUSES[r.status],
    title: r.title,
    financial_year: financialYearLabel(r.financial_year),
    amount: formatPence(Number(r.amount_pence)),
    capital: formatPence(capital),
    revenue: formatPence(Number(r.amount_pence) - capital),
    vat: r.vat_pence === null || r.vat_pence === undefined ? null : formatPence(Number(r.vat_pence)),
    amount_reason: r.amount_reason,
    justification: r.justification,
    gaps: gapIds.map((id) => `#${id}`).join(", "),
    decision_reason: r.decision_reason ?? null,
    budget_override_reason: r.budget_override_reason ?? null,
    ...(r.self_approval_reason ? { self_approval_reason: r.self_approval_reason } : {}),
  };
}

/**
 * Sets each gap's status from every live request it belongs to (workflow.gapStatusFromRequests)
 * and records a `status` gap event for each gap that moved, in the caller's transaction. Closed
 * gaps never move.
 */
export async function refreshGapStatuses(trx: Trx, gapIds: readonly number[], userId: number | null, onDate: string, detail: string) {
  if (gapIds.length === 0) return 0;
  const ids = [...new Set(gapIds)];
  const [gaps, links] = await Promise.all([requestRepo.lockGapStatuses(trx, ids), repo.requestsForGaps(trx, ids)]);
  const byGap = new Map<number, FundingRequestStatus[]>();
  for (const l of links) byGap.set(l.gap_id, [...(byGap.get(l.gap_id) ?? []), l.status as FundingRequestStatus]);
  const moves = gaps
    .map((g) => ({ id: g.id, from: g.status, to: gapStatusFromRequests(g.status, byGap.get(g.id) ?? []) }))
    .filter((m) => m.from !== m.to);
  if (moves.length === 0) return 0;
  await requestRepo.moveGapStatuses(
    trx,
    moves,
    moves.map((m) => ({
      gap_id: m.id,
      on_date: onDate,
      kind: "status" as const,
      from_status: m.from,
      to_status: m.to,
      detail,
      user_id: userId,
    })),
  );
  return moves.length;
}

async function actorFor(
  db: Db,
  user: SessionUser,
  request: { icb_code: string; created_by: number | null },
  visibleToRequester: boolean,
): Promise<Actor> {
  const canDecide = scopeCoversIcb(scopeFor(user.memberships, "funding:decide"), request.icb_code);
  const isCreator = request.created_by === user.id;
  // The ICB's policy matters only to someone who may decide a request they raised.
  const selfApproval =
    canDecide && isCreator ? ((await getPolicy(db, request.icb_code)).values.funding_self_approval as Actor["selfApproval"]) : undefined;
  return { canRequest: visibleToRequester, canDecide, isCreator, selfApproval };
}

/** The capital part and VAT of an amount for these gaps (split.ts), as stored on the request. */
function splitColumns(amountPence: number, gaps: readonly CostedGap[]) {
  const split = splitRequestAmount(
    amountPence,
    gaps.map((g) => g.estimate),
  );
  return { capital_pence: split.capitalPence, vat_pence: split.vatPence };
}

/** A request's links to its gaps, each with the gap's estimate when it was added. */
const gapLinks = (gaps: readonly CostedGap[]) => gaps.map((g) => ({ gapId: g.id, estimatePence: g.estimate.pence }));

function checkAmountReason(schemaFields: RequestFields, estimatePence: number | null) {
  if (!schemaFields.amount_reason && (estimatePence === null || schemaFields.amount !== estimatePence)) {
    throw invalid({
      amount_reason:
        estimatePence === null
          ? "Explain how you arrived at the amount: some gaps have no estimate"
          : `Give a reason for the amount: it differs from the estimate of ${formatPence(estimatePence)}`,
    });
  }
}

/** Creates a draft (or submits it at once) for gaps the user may raise requests for. */
export async function createRequest(
  db: Db,
  user: SessionUser,
  gapIds: readonly number[],
  fields: RequestFields,
  opts: { submit: boolean; today: string },
) {
  const scope = scopeFor(user.memberships, "funding:request");
  if (scopeIsEmpty(scope)) throw forbidden();
  return db.transaction().execute(async (trx) => {
    const prepared = await prepareGaps(trx, scope, gapIds, opts.today);
    checkAmountReason(fields, prepared.estimatePence);
    const status: FundingRequestStatus = opts.submit ? "submitted" : "draft";
    const created = await requestRepo.insertRequest(trx, {
      icb_code: prepared.icbCode,
      title: fields.title,
      financial_year: fields.financial_year,
      amount_pence: fields.amount,
      amount_reason: fields.amount_reason,
      justification: fields.justification,
      status,
      created_by: user.id,
      submitted_at: opts.submit ? new Date() : null,
      ...splitColumns(fields.amount, prepared.gaps),
    });
    await requestRepo.linkRequestGaps(trx, created.id, gapLinks(prepared.gaps));
    const ids = prepared.gaps.map((g) => g.id);
    await recordAudit(trx, {
      userId: user.id,
      action: opts.submit ? "funding_request.create_and_submit" : "funding_request.create",
      entityType: REQUEST_ENTITY,
      entityId: String(created.id),
      after: auditable(created, ids),
    });
    if (opts.submit) await refreshGapStatuses(trx, ids, user.id, opts.today, `Funding request #${created.id} submitted`);
    return created;
  });
}

async function loadForChange(trx: Trx, user: SessionUser, id: number) {
  const requestScope = scopeFor(user.memberships, "funding:request");
  const row = await requestRepo.lockRequest(trx, id);
  if (!row) throw notFound("funding request");
  const visible = await repo.findVisibleRequest(trx, requestScope, id);
  if (!visible) throw notFound("funding request");
  return { row, actor: await actorFor(trx, user, row, true) };
}

/** Changes a draft: its fields and its gaps (added gaps are re-checked like new ones). */
export async function updateDraft(
  db: Db,
  user: SessionUser,
  id: number,
  version: number,
  gapIds: readonly number[],
  fields: RequestFields,
  today: string,
) {
  const scope = scopeFor(user.memberships, "funding:request");
  return db.transaction().execute(async (trx) => {
    const { row, actor } = await loadForChange(trx, user, id);
    const refusal = checkEdit(row.status, actor);
    if (refusal) throw fail(refusal);
    if (row.version !== version) throw conflict(CHANGED);
    const prepared = await prepareGaps(trx, scope, gapIds, today, id);
    if (prepared.icbCode !== row.icb_code) throw invalid({ gaps: "All the gaps in a request must be in the request's ICB." });
    checkAmountReason(fields, prepared.estimatePence);
    const beforeIds = await repo.requestGapIds(trx, id);
    const updated = await requestRepo.updateRequestAtVersion(trx, id, version, {
      title: fields.title,
      financial_year: fields.financial_year,
      amount_pence: fields.amount,
      amount_reason: fields.amount_reason,
      justification: fields.justification,
      ...splitColumns(fields.amount, prepared.gaps),
      updated_at: new Date(),
    });
    if (!updated) throw conflict(CHANGED);
    const afterIds = prepared.gaps.map((g) => g.id);
    const removed = beforeIds.filter((g) => !afterIds.includes(g));
    const added = prepared.gaps.filter((g) => !beforeIds.includes(g.id));
    await requestRepo.unlinkRequestGaps(trx, id, removed);
    await requestRepo.linkRequestGaps(trx, id, gapLinks(added));
    await recordAudit(trx, {
      userId: user.id,
      action: "funding_request.update",
      entityType: REQUEST_ENTITY,
      entityId: String(id),
      before: auditable(row, beforeIds),
      after: auditable(updated, afterIds),
    });
    await refreshGapStatuses(trx, [...removed, ...added.map((g) => g.id)], user.id, today, `Funding request #${id} changed`);
    return updated;
  });
}

/**
 * Why approving needs an override, in one message, or null when it fits: no budget for the
 * year at all, or per pot (split.ts potOverrides) a pot not set or too small.
 */
function overridesFor(
  budget: { amount_pence: number; capital_pence: number | null; revenue_pence: number | null } | undefined,
  committed: { capital: number; revenue: number },
  request: { amount_pence: number; capital_pence: number; financial_year: number },
): string | null {
  if (!budget) return "No budget is set for this financial year.";
  const pots = potsOf(budget);
  const capital = Number(request.capital_pence);
  const reasons = potOverrides(
    { capital: potPosition(pots.capital, committed.capital), revenue: potPosition(pots.revenue, committed.revenue) },
    { capitalPence: capital, revenuePence: Number(request.amount_pence) - capital },
    financialYearLabel(request.financial_year),
  );
  return reasons.length ? reasons.join(" ") : null;
}

/** Budget problems on approval: a field error next to the override box, which the page then shows. */
export const BUDGET_OVERRIDE = "budget_override";
const budgetOverrideNeeded = (message: string) => new AppError(400, message, { fieldErrors: { override: message }, code: BUDGET_OVERRIDE });

/**
 * One step of the workflow, checked and done in one transaction: who may take it, that the
 * request has not changed since the page was opened, the budget on approval, then the request,
 * its gaps' statuses (with gap events) and the audit event.
 */
export async function transition(db: Db, user: SessionUser, id: number, input: TransitionInput, today: string) {
  const step = input.intent as Step;
  return db.transaction().execute(async (trx) => {
    const { row, actor } = await loadForChange(trx, user, id);
    const refusal = checkStep(step, row.status, actor);
    if (refusal?.kind === "forbidden") throw fail(refusal);
    if (row.version !== input.version) throw conflict(CHANGED);
    if (refusal) throw fail(refusal);
    const rule = STEP_RULES[step];
    const now = new Date();
    let overrideReason: string | null = null;
    let selfApprovalReason: string | null = null;
    if (step === "approve") {
      if (actor.isCreator) {
        // Policy allows it (checkStep refused otherwise): the reason is recorded on the request and in its audit event.
        if (!input.self_approval_reason)
          throw invalid({ self_approval_reason: "Enter the reason you are approving a request you raised yourself" });
        selfApprovalReason = input.self_approval_reason;
      }
      const budget = await repo.findBudget(trx, row.icb_code, row.financial_year, { forUpdate: true });
      const committed = await repo.committedSplit(trx, row.icb_code, row.financial_year, id);
      const over = overridesFor(budget, committed, row);
      if (over) {
        if (!input.override) throw budgetOverrideNeeded(`${over} To approve anyway, tick the override and give a reason.`);
        overrideReason = input.override_reason;
      }
    }
    const gapIds = await repo.requestGapIds(trx, id);
    if (step === "submit") {
      // A draft can wait while the estate is fixed: a gap that has closed since needs no money.
      const closed = (await repo.listRequestGapLines(trx, [id])).filter((l) => l.status === "closed");
      if (closed.length) {
        const which = closed.map((l) => `#${l.gap_id}`).join(", ");
        const one = closed.length === 1;
        throw conflict(
          `Gap ${which} ${one ? "has" : "have"} closed since this request was drafted (the requirement is now met), so ${one ? "it needs" : "they need"} no funding. Edit the request to remove ${one ? "it" : "them"}, then submit it. Nothing was submitted.`,
        );
      }
    }
    const updated = await requestRepo.updateRequestAtVersion(trx, id, input.version, {
      status: rule.to,
      updated_at: now,
      ...(step === "submit" ? { submitted_at: now } : {}),
      ...(step === "approve" || step === "reject"
        ? { decided_by: user.id, decided_at: now, decision_reason: input.reason, budget_override_reason: overrideReason }
        : {}),
      ...(step === "approve" ? { self_approval_reason: selfApprovalReason } : {}),
      ...(step === "fund" ? { funded_at: now } : {}),
      ...(step === "deliver" ? { delivered_at: now } : {}),
    });
    if (!updated) throw conflict(CHANGED);
    await recordAudit(trx, {
      userId: user.id,
      action: `funding_request.${step}`,
      entityType: REQUEST_ENTITY,
      entityId: String(id),
      before: auditable(row, gapIds),
      after: auditable(updated, gapIds),
    });
    await refreshGapStatuses(trx, gapIds, user.id, today, `Funding request #${id} ${rule.done}`);
    return updated;
  });
}

/** The request page: the request, its gaps (closed ones too), budget position, history, and what this user may do. */
export async function getRequestPage(db: Db, user: SessionUser, id: number, today: string) {
  const scope = scopeFor(user.memberships, "funding:request");
  const request = await repo.findVisibleRequest(db, scope, id);
  if (!request) throw notFound("funding request");
  const [links, budget, committedAll, history] = await Promise.all([
    repo.requestGapEstimates(db, id),
    repo.findBudget(db, request.icb_code, request.financial_year),
    repo.committedSplit(db, request.icb_code, request.financial_year),
    repo.auditFor(db, REQUEST_ENTITY, [String(id)]),
  ]);
  const committed = committedAll.total;
  const ids = links.map((l) => l.gap_id);
  // Gaps are shown whatever the viewer's gap scope: the request itself is in scope, and a request
  // is only visible when all its gaps are.
  const gaps = await loadCostedGaps(db, { scope: { all: true }, ids, statuses: ALL_GAP_STATUSES }, today);
  const atRequest = new Map(links.map((l) => [l.gap_id, l.estimate_pence === null ? null : Number(l.estimate_pence)]));
  const estimateNow = totalEstimate(gaps.map((g) => g.estimate.pence));
  const estimateAtRequest = totalEstimate(links.map((l) => (l.estimate_pence === null ? null : Number(l.estimate_pence))));
  const actor = await actorFor(db, user, request, true);
  const position = budgetPosition(budget ? Number(budget.amount_pence) : null, committed);
  const inCommitted = ["approved", "funded", "delivered"].includes(request.status);
  const amount = Number(request.amount_pence);
  const capital = Number(request.capital_pence);
  const without = inCommitted
    ? { total: committed - amount, capital: committedAll.capital - capital, revenue: committedAll.revenue - (amount - capital) }
    : committedAll;
  const pots = potsOf(budget);
  const potPositions: Record<Pot, PotPosition> = {
    capital: potPosition(pots.capital, committedAll.capital),
    revenue: potPosition(pots.revenue, committedAll.revenue),
  };
  return {
    request: {
      ...request,
      amount_pence: amount,
      capital_pence: capital,
      revenue_pence: amount - capital,
      vat_pence: request.vat_pence === null ? null : Number(request.vat_pence),
    },
    gaps: gaps.map((g) => ({ ...g, estimateAtRequest: atRequest.get(g.id) ?? null })),
    estimateNow,
    estimateAtRequest,
    budget: {
      ...position,
      pots: potPositions,
      year: request.financial_year,
      overrideNeeded: request.status === "submitted" ? overridesFor(budget, without, request) : null,
    },
    /** The viewer raised it and the ICB lets them approve it with a reason. */
    selfApprovalNeedsReason: actor.isCreator && actor.canDecide && actor.selfApproval === "with_reason",
    history,
    steps: allowedSteps(request.status, actor),
    canEdit: canEdit(request.status, actor),
    currentYear: financialYearOf(today),
  };
}

/** Requests in scope, one page, with totals per status for the whole filtered list. */
export async function listRequestsPage(
  db: Db,
  scope: Scope,
  filters: Parameters<typeof repo.listRequests>[2],
  page: number,
  pageSize: number,
) {
  const { rows, totals } = await repo.listRequests(db, scope, filters, page, pageSize);
  const total = totals.reduce((s, t) => s + t.n, 0);
  return {
    rows: rows.map((r) => ({
      ...r,
      amount_pence: Number(r.amount_pence),
      vat_pence: r.vat_pence === null ? null : Number(r.vat_pence),
      gap_count: Number(r.gap_count ?? 0),
    })),
    total,
    totals: (Object.keys(REQUEST_STATUSES) as FundingRequestStatus[]).map(
      (s) => totals.find((t) => t.status === s) ?? { status: s, n: 0, pence: 0, vatPence: 0, noVat: 0 },
    ),
  };
}

/** Drafts in an ICB this user may change (their own, or any for the ICB's lead), newest first. */
export async function listEditableDrafts(db: Db, user: SessionUser, icbCode: string) {
  const scope = scopeFor(user.memberships, "funding:request");
  const canDecide = scopeCoversIcb(scopeFor(user.memberships, "funding:decide"), icbCode);
  return requestRepo.editableDrafts(db, scope, icbCode, canDecide ? null : user.id);
}
