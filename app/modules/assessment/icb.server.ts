import type { Db, Trx } from "#db/connect";
import { formatDate } from "~/utils/format";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { recordAttestedResults, type AttestedOutcome } from "~/modules/compliance/attestation.server";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { ANSWERERS, requirementById } from "~/modules/catalogue";
import { getPolicy } from "~/modules/compliance/policy.server";
import { getPracticeCompliance } from "~/modules/compliance/service.server";
import { badRequest, conflict, forbidden, notFound } from "~/utils/errors";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import * as repo from "./repository.server";
import {
  ANSWERS,
  assessmentDomainsIn,
  attestedIn,
  DUTY_REQUIREMENTS,
  dutiesIn,
  type CycleFilters,
  type DomainAnswersInput,
  type DutyOwner,
  type OpenCycleInput,
  type ResolveDisputeInput,
  type ReviewDecisionsInput,
  type VerifyAllInput,
} from "./schema";
import {
  answerDto,
  ASSESSMENT_ENTITY,
  frameworkVersionOf,
  requirementDto,
  STALE_ANSWER,
  STALE_ASSESSMENT,
  summary,
  type AssessmentSummary,
} from "./service.server";

/** The ICB's side of self-assessment: cycles, their progress, the review queue and verification. */
export const CYCLE_ENTITY = "assessment_cycle";

const QUEUE_SIZE = 25;

/** An ICB's cycles with their progress, the queue of assessments waiting for verification, and its PCNs. */
export async function getIcbAssessments(db: Db, icbCode: string, page: number, today: string) {
  const [cycles, queue, pcns] = await Promise.all([
    repo.listCycles(db, icbCode, today, PAGE_SIZE, (page - 1) * PAGE_SIZE),
    repo.reviewQueue(db, icbCode, QUEUE_SIZE),
    repo.listIcbPcns(db, icbCode),
  ]);
  return { cycles: toPage(cycles.rows, cycles.total, page), queue, pcns };
}

const isUniqueViolation = (e: unknown, constraint: string) =>
  (e as { code?: string })?.code === "23505" &&
  String((e as { constraint?: string; message?: string }).constraint ?? (e as Error).message).includes(constraint);

/**
 * Opens a cycle for the ICB's chosen open practices (all, a PCN's, or a list) and creates each
 * practice's assessment, with audit events, in one transaction.
 */
export async function openCycle(db: Db, actorId: number, icbCode: string, input: OpenCycleInput) {
  try {
    return await db.transaction().execute(async (trx) => {
      if ("pcn" in input.selection) {
        const pcns = await repo.listIcbPcns(trx, icbCode);
        if (!pcns.some((p) => p.code === (input.selection as { pcn: string }).pcn)) throw badRequest("Choose one of this ICB's PCNs.");
      }
      const { codes, missing } = await repo.selectPractices(trx, icbCode, input.selection);
      if (missing.length) {
        throw badRequest(
          `These codes are not open practices in this ICB: ${missing.slice(0, 10).join(", ")}${missing.length > 10 ? ` and ${missing.length - 10} more` : ""}.`,
        );
      }
      if (codes.length === 0) throw badRequest("No open practices match, so there is nothing to assess.");
      const cycle = await repo.insertCycle(trx, { icb_code: icbCode, name: input.name, due_date: input.due_date, opened_by: actorId });
      const assessments = await repo.insertAssessments(trx, cycle.id, codes);
      const selection = "all" in input.selection ? "all" : "pcn" in input.selection ? `PCN ${input.selection.pcn}` : "list";
      await recordAudit(trx, [
        {
          userId: actorId,
          action: "assessment_cycle.open",
          entityType: CYCLE_ENTITY,
          entityId: String(cycle.id),
          after: { name: cycle.name, due_date: cycle.due_date, icb_code: icbCode, selection, practices: codes.length },
        },
        ...assessments.map((a) => ({
          userId: actorId,
          action: "assessment.create",
          entityType: ASSESSMENT_ENTITY,
          entityId: String(a.id),
          after: { cycle: cycle.name, practice_code: a.practice_code, status: a.status, due_date: cycle.due_date },
        })),
      ]);
      return { cycle, practices: codes.length };
    });
  } catch (e) {
    if (isUniqueViolation(e, "assessment_cycle_name_key"))
      throw conflict("This ICB already has a cycle with that name. Choose another name.");
    throw e;
  }
}

/** One cycle: its progress counts and its practices (filtered by status or overdue, and by name or code), paged. */
export async function getCyclePage(db: Db, icbCode: string, cycleId: number, filters: CycleFilters, page: number, today: string) {
  const cycle = await repo.findCycle(db, icbCode, cycleId);
  if (!cycle) throw notFound("assessment cycle");
  const [counts, list, history, policy] = await Promise.all([
    repo.cycleCounts(db, cycle.id, today),
    repo.listCycleAssessments(db, cycle.id, { ...filters, today, limit: PAGE_SIZE, offset: (page - 1) * PAGE_SIZE }),
    listAuditForEntity(db, CYCLE_ENTITY, String(cycle.id)),
    getPolicy(db, icbCode),
  ]);
  // What the ICB's practices are asked: the self-assessed requirements in its version in force.
  return {
    cycle,
    counts,
    practices: toPage(list.rows, list.total, page),
    total: attestedIn(String(policy.values.framework_version)).length,
    history,
  };
}

/** Closes a cycle: its answers can no longer change and nothing in it is overdue. */
export async function closeCycle(db: Db, actorId: number, icbCode: string, cycleId: number, version: number) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findCycle(trx, icbCode, cycleId);
    if (!before) throw notFound("assessment cycle");
    if (before.closed_at) throw conflict("This cycle is already closed.");
    const after = await repo.closeCycle(trx, icbCode, cycleId, version, actorId);
    if (!after) throw conflict("Someone else changed this cycle since you opened the page. Reload the page and try again.");
    await recordAudit(trx, {
      userId: actorId,
      action: "assessment_cycle.close",
      entityType: CYCLE_ENTITY,
      entityId: String(cycleId),
      before: { closed: false },
      after: { closed: true },
    });
    return after;
  });
}

/** Everything the ICB needs to review one assessment: answers by domain, disputes with today's reasons, and the history. */
export async function getReviewPage(db: Db, id: number, today: string) {
  const found = await repo.findAssessment(db, id);
  if (!found) throw notFound("assessment");
  const assessment = summary(found, today);
  const [answerRows, disputes, history, compliance, version] = await Promise.all([
    repo.listAnswers(db, id),
    repo.listDisputes(db, id),
    listAuditForEntity(db, ASSESSMENT_ENTITY, String(id), 200),
    getPracticeCompliance(db, found.practice_code, today),
    frameworkVersionOf(db, found.practice_code),
  ]);
  const answers = new Map(answerRows.map((a) => [a.requirement_id, a]));
  const results = new Map(compliance.requirements.map((r) => [r.requirement.id, r.result]));
  return {
    assessment,
    practice: { ods_code: found.practice_code, name: found.practice_name },
    counts: {
      pending: answerRows.filter((a) => a.review_status === "pending" && a.answer).length,
      verified: answerRows.filter((a) => a.review_status === "verified").length,
      returned: answerRows.filter((a) => a.review_status === "returned").length,
      total: attestedIn(version).length,
    },
    reviewable: assessment.status === "submitted" && !assessment.closed,
    domains: [
      ...assessmentDomainsIn(version).map((d) => ({
        key: d.key as string,
        label: d.label as string,
        items: d.requirements.map((r) => ({ requirement: requirementDto(r), answer: answerDto(answers.get(r.id)) })),
      })),
      // The ICB's own answers are verified as given; the delivery partner's wait here for review.
      {
        key: "duties",
        label: "Duties answered by the ICB and the delivery partner",
        items: dutiesIn(version).map((r) => ({ requirement: requirementDto(r), answer: answerDto(answers.get(r.id)) })),
      },
    ],
    disputes: disputes.map((d) => ({
      ...d,
      title: requirementById(d.requirement_id)?.title ?? d.requirement_id,
      currentReason: results.get(d.requirement_id)?.reason ?? null,
    })),
    history,
  };
}

async function lockForReview(trx: Trx, id: number, today: string) {
  const found = await repo.findAssessment(trx, id, true);
  if (!found) throw notFound("assessment");
  const a = summary(found, today);
  if (a.closed) throw conflict(`The ${a.cycleName} cycle has closed, so its answers can no longer be reviewed.`);
  if (a.status !== "submitted")
    throw conflict("This assessment is not waiting for review: the practice has not submitted it, or it has already been reviewed.");
  return { a, practiceCode: found.practice_code };
}

const attestedReason = (
  answer: keyof typeof ANSWERS,
  cycleName: string,
  note: string | null,
  today: string,
  by: "practice" | DutyOwner = "practice",
) => {
  const evidence = note ? ` Evidence: ${note.length > 300 ? `${note.slice(0, 297)}...` : note}` : "";
  if (by === "icb")
    return `The ICB answered "${ANSWERS[answer]}" for this practice in its ${cycleName} self-assessment on ${formatDate(today)}.${evidence}`;
  const who = by === "delivery_partner" ? "The GP IT delivery partner answered" : "The practice attested";
  return `${who} "${ANSWERS[answer]}" in its ${cycleName} self-assessment, verified by the ICB on ${formatDate(today)}.${evidence}`;
};

/**
 * Verified answers to attestation-only requirements become the practice's results for them;
 * answers to requirements that also have a register check are merged into that check's result.
 */
async function feedCompliance(
  trx: Trx,
  actorId: number,
  a: AssessmentSummary,
  practiceCode: string,
  rows: { requirement_id: string; answer: string | null; evidence_note: string | null }[],
  today: string,
) {
  const outcomes: AttestedOutcome[] = [];
  for (const row of rows) {
    const requirement = requirementById(row.requirement_id);
    if (!requirement || requirement.evidence !== "attestation" || !row.answer) continue;
    const answer = row.answer as keyof typeof ANSWERS;
    outcomes.push({
      practiceCode,
      requirementId: requirement.id,
      asOf: today,
      status: answer,
      reason: attestedReason(answer, a.cycleName, row.evidence_note, today, requirement.answeredBy),
      evidence: [
        {
          type: "attestation",
          id: String(a.id),
          label:
            requirement.answeredBy === "practice"
              ? `${a.cycleName} self-assessment`
              : `${a.cycleName} self-assessment (${ANSWERERS[requirement.answeredBy]})`,
          outcome: answer === "met" || answer === "not_applicable" ? "ok" : "fail",
        },
      ],
      userId: actorId,
    });
  }
  await recordAttestedResults(trx, outcomes);
  // Requirements evidenced by register data and attestation are re-checked, so the verified
  // answer joins the register result (see compliance/attested-merge.ts) in this transaction.
  if (rows.some((r) => r.answer && requirementById(r.requirement_id)?.evidence === "both")) {
    await evaluatePractice(trx, practiceCode, today, { userId: actorId });
  }
}

/**
 * After each decision: once nothing is left to review, the assessment is verified (every
 * answer verified) or returned to the practice (some answers returned).
 */
async function settle(trx: Trx, actorId: number, a: AssessmentSummary) {
  const counts = await repo.reviewCounts(trx, a.id);
  if (counts.pending > 0) return a.status;
  const status = counts.returned > 0 ? "returned" : "verified";
  const after = await repo.updateAssessment(
    trx,
    a.id,
    a.version,
    status === "verified" ? { status, verified_at: new Date(), verified_by: actorId } : { status },
  );
  if (!after) throw conflict(STALE_ASSESSMENT);
  await recordAudit(trx, {
    userId: actorId,
    action: `assessment.${status}`,
    entityType: ASSESSMENT_ENTITY,
    entityId: String(a.id),
    before: { status: a.status },
    after: { status, verified: counts.verified, returned: counts.returned },
  });
  return status;
}

const auditReview = (r: { requirement_id: string; review_status: string; review_comment: string | null } | undefined | null) =>
  r ? { requirement_id: r.requirement_id, review_status: r.review_status, review_comment: r.review_comment } : null;

/**
 * The ICB's decisions on some of the answers waiting for review: each verified or returned
 * (returning needs a comment), each from the version the page showed, all in one transaction.
 */
export async function reviewAnswers(db: Db, actorId: number, id: number, decisions: ReviewDecisionsInput, today: string) {
  if (decisions.length === 0) throw badRequest("Choose verify or return for at least one answer, then save your decisions.");
  return db.transaction().execute(async (trx) => {
    const { a, practiceCode } = await lockForReview(trx, id, today);
    const current = new Map((await repo.listAnswers(trx, id)).map((r) => [r.id, r]));
    const verified = [];
    const events = [];
    for (const d of decisions) {
      const before = current.get(d.answer_id);
      if (!before) throw notFound("answer");
      if (before.review_status !== "pending" || before.version !== d.version) throw conflict(STALE_ANSWER(before.requirement_id));
      const status = d.decision === "verify" ? ("verified" as const) : ("returned" as const);
      const after = await repo.reviewAnswer(trx, id, before.id, d.version, {
        review_status: status,
        review_comment: d.comment,
        reviewed_by: actorId,
      });
      if (!after) throw conflict(STALE_ANSWER(before.requirement_id));
      if (status === "verified") verified.push(after);
      events.push({
        userId: actorId,
        action: d.decision === "verify" ? "assessment.verify_answer" : "assessment.return_answer",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(id),
        before: auditReview(before),
        after: auditReview(after),
      });
    }
    await recordAudit(trx, events);
    await feedCompliance(trx, actorId, a, practiceCode, verified, today);
    return { decided: decisions.length, assessmentStatus: await settle(trx, actorId, a) };
  });
}

/** Verifies every answer still waiting for review, each with its own audit event. */
export async function verifyAllPending(db: Db, actorId: number, id: number, input: VerifyAllInput, today: string) {
  return db.transaction().execute(async (trx) => {
    const { a, practiceCode } = await lockForReview(trx, id, today);
    if (a.version !== input.version) throw conflict(STALE_ASSESSMENT);
    const pending = (await repo.listAnswers(trx, id)).filter((r) => r.review_status === "pending");
    const verified = [];
    const events = [];
    for (const before of pending) {
      const after = await repo.reviewAnswer(trx, id, before.id, null, {
        review_status: "verified",
        review_comment: input.comment,
        reviewed_by: actorId,
      });
      if (!after) throw conflict(STALE_ASSESSMENT);
      verified.push(after);
      events.push({
        userId: actorId,
        action: "assessment.verify_answer",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(id),
        before: auditReview(before),
        after: auditReview(after),
      });
    }
    await recordAudit(trx, events);
    await feedCompliance(trx, actorId, a, practiceCode, verified, today);
    return { verified: pending.length, assessmentStatus: await settle(trx, actorId, a) };
  });
}

/** The ICB answers a dispute: the practice is right (the records will be corrected) or the result stands. */
export async function resolveDispute(db: Db, actorId: number, id: number, input: ResolveDisputeInput) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findDispute(trx, id, input.dispute_id);
    if (!before) throw notFound("dispute");
    if (before.status !== "open") throw conflict("This dispute has already been answered.");
    const after = await repo.resolveDispute(trx, id, input.dispute_id, input.version, {
      status: input.outcome,
      resolution_comment: input.resolution_comment,
      resolved_by: actorId,
    });
    if (!after) throw conflict("Someone else answered this dispute since you opened the page. Reload the page to see their answer.");
    await recordAudit(trx, {
      userId: actorId,
      action: "assessment.dispute_resolve",
      entityType: ASSESSMENT_ENTITY,
      entityId: String(id),
      before: { requirement_id: before.requirement_id, dispute: before.status },
      after: { requirement_id: after.requirement_id, dispute: after.status, resolution_comment: after.resolution_comment },
    });
    return after;
  });
}

// ── Duties of the ICB and the delivery partner ───────────────────────────────

const dutiesOf = (owners: readonly DutyOwner[]) => DUTY_REQUIREMENTS.filter((r) => (owners as string[]).includes(r.answeredBy));

/**
 * The assessments whose duties this user still has to answer, in the ICB: all of its practices
 * for an ICB lead, those a delivery partner serves (null: all of them) for a partner.
 */
export async function getDutyQueue(db: Db, icbCode: string, owners: readonly DutyOwner[], practiceCodes: string[] | null) {
  const ids = dutiesOf(owners).map((r) => r.id);
  const queue = await repo.dutyQueue(db, icbCode, ids, practiceCodes, QUEUE_SIZE);
  return { ...queue, duties: ids.length };
}

/** The duties of one practice's assessment that this user answers, with the answers so far; the others are shown read-only. */
export async function getDutiesPage(db: Db, id: number, owners: readonly DutyOwner[], today: string) {
  const found = await repo.findAssessment(db, id);
  if (!found) throw notFound("assessment");
  const assessment = summary(found, today);
  const [answerRows, history] = await Promise.all([repo.listAnswers(db, id), listAuditForEntity(db, ASSESSMENT_ENTITY, String(id), 200)]);
  const answers = new Map(answerRows.map((a) => [a.requirement_id, a]));
  return {
    assessment,
    practice: { ods_code: found.practice_code, name: found.practice_name },
    owners,
    items: DUTY_REQUIREMENTS.map((r) => {
      const row = answers.get(r.id);
      const mine = (owners as string[]).includes(r.answeredBy);
      return {
        requirement: requirementDto(r),
        answer: answerDto(row),
        // Open cycle only; a partner's answer the ICB has verified is settled.
        editable: mine && !assessment.closed && !(r.answeredBy === "delivery_partner" && row?.review_status === "verified"),
      };
    }),
    history: history.filter((h) => h.action === "assessment.duty_answer"),
  };
}

/**
 * The ICB lead or delivery partner answers the duties that are theirs for one practice. A duty
 * that is not theirs (form tampering) is refused outright. The ICB's own answers are recorded as
 * verified and feed the practice's results at once; the delivery partner's wait for the ICB's
 * review. Each answer only from the version the page showed; answers and audit events commit together.
 */
export async function saveDutyAnswers(
  db: Db,
  actorId: number,
  id: number,
  owners: readonly DutyOwner[],
  input: DomainAnswersInput,
  today: string,
) {
  const mine = new Set(dutiesOf(owners).map((r) => r.id));
  const posted = Object.keys(input.answers).filter((k) => input.answers[k]);
  const foreign = posted.filter((k) => !mine.has(k));
  if (foreign.length)
    throw forbidden(`You cannot answer ${foreign.join(", ")}: ${foreign.length === 1 ? "it is" : "they are"} not your duty to answer.`);
  if (input.assessment_id !== id) throw badRequest("This page is out of date. Reload it and try again.");
  // An answer's row refers to its requirement's row, which nothing else on this path may have written yet.
  await ensureCatalogue(db);
  return db.transaction().execute(async (trx) => {
    const found = await repo.findAssessment(trx, id, true);
    if (!found) throw notFound("assessment");
    const a = summary(found, today);
    if (a.closed) throw conflict(`The ${a.cycleName} cycle has closed, so answers can no longer be changed.`);
    const existing = new Map((await repo.listAnswers(trx, id)).map((r) => [r.requirement_id, r]));
    const verified = [];
    const events = [];
    for (const r of DUTY_REQUIREMENTS) {
      const v = input.answers[r.id];
      if (!v || !mine.has(r.id)) continue;
      const row = existing.get(r.id);
      const values = { answer: v.answer, evidence_note: v.evidence_note, evidence_link: v.evidence_link };
      const unchanged = row
        ? row.answer === values.answer && row.evidence_note === values.evidence_note && row.evidence_link === values.evidence_link
        : !values.answer && !values.evidence_note && !values.evidence_link;
      if (unchanged) continue;
      if (r.answeredBy === "delivery_partner" && row?.review_status === "verified")
        throw conflict(`The ICB has verified the answer to ${r.id}, so it cannot be changed.`);
      if ((row ? row.version : 0) !== v.version) throw conflict(STALE_ANSWER(r.id));
      const after = row
        ? await repo.updateAnswer(trx, id, row.id, v.version, values, actorId)
        : await repo.insertAnswer(trx, id, r.id, values, actorId);
      if (!after) throw conflict(STALE_ANSWER(r.id));
      let reviewStatus = after.review_status;
      if (r.answeredBy === "icb" && after.answer) {
        verified.push(await repo.markAnswerVerified(trx, id, after.id, actorId));
        reviewStatus = "verified";
      } else if (after.review_status !== "pending") {
        await repo.markAnswerPending(trx, id, after.id);
        reviewStatus = "pending";
      }
      events.push({
        userId: actorId,
        action: "assessment.duty_answer",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(id),
        before: row
          ? { requirement_id: r.id, answer: row.answer, evidence_note: row.evidence_note, evidence_link: row.evidence_link }
          : null,
        after: {
          requirement_id: r.id,
          answered_by: r.answeredBy,
          answer: after.answer,
          evidence_note: after.evidence_note,
          evidence_link: after.evidence_link,
          review_status: reviewStatus,
        },
      });
    }
    await recordAudit(trx, events);
    await feedCompliance(trx, actorId, a, found.practice_code, verified, today);
    return { saved: events.length };
  });
}
