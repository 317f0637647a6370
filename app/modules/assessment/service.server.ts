import type { Db } from "#db/connect";
import type { AssessmentStatus } from "#db/types";
import { recordAudit } from "~/modules/audit/repository.server";
import { DOMAINS, REQUIREMENTS, requirementById, type Domain, type Requirement } from "~/modules/catalogue";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { getPracticeCompliance } from "~/modules/compliance/service.server";
import { badRequest, conflict, notFound } from "~/utils/errors";
import { formatDate } from "~/utils/format";
import { addDays } from "~/utils/today";
import * as repo from "./repository.server";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";
import { frameworkVersionsOf } from "~/modules/compliance/repository.server";
import {
  PRACTICE_STARTED_DAYS,
  assessmentDomain,
  assessmentDomainsIn,
  attestedIn,
  type DisputeInput,
  type DomainAnswersInput,
  type DomainState,
} from "./schema";

/** Every event of an assessment (answers, submission, review, disputes) is filed under it, so its history is one list. */
export const ASSESSMENT_ENTITY = "assessment";

export const STALE_ASSESSMENT =
  "Someone else changed this assessment since you opened the page, so nothing was saved. Reload the page to see the latest, then try again.";
export const STALE_ANSWER = (id: string) =>
  `Someone else changed the answer to ${id} since you opened the page, so nothing was saved. Reload the page to see their answer, then make your changes again.`;

const EDITABLE: AssessmentStatus[] = ["not_started", "in_progress", "returned"];

/** Where one domain of an assessment stands, for the task list. */
function domainState(status: AssessmentStatus, requirements: readonly Requirement[], answers: Map<string, repo.AnswerRow>) {
  const rows = requirements.map((r) => answers.get(r.id));
  const answered = rows.filter((a) => a?.answer).length;
  const returned = rows.filter((a) => a?.review_status === "returned").length;
  const verified = rows.filter((a) => a?.review_status === "verified").length;
  let state: DomainState =
    answered === 0 && !rows.some(Boolean) ? "not_started" : answered === requirements.length ? "completed" : "in_progress";
  if (status === "submitted") state = "submitted";
  if (status === "returned") state = returned ? "returned" : "submitted";
  if (verified === requirements.length) state = "verified";
  return { total: requirements.length, answered, returned, verified, state };
}

export function summary(a: repo.AssessmentRow, today: string) {
  const closed = a.closed_at !== null;
  return {
    id: a.id,
    cycleId: a.cycle_id,
    cycleName: a.cycle_name,
    icbCode: a.icb_code,
    dueDate: a.due_date,
    status: a.status,
    version: a.version,
    submittedAt: a.submitted_at,
    verifiedAt: a.verified_at,
    startedByPractice: a.started_by_practice !== null,
    closed,
    overdue: !closed && repo.OWED.includes(a.status) && a.due_date < today,
    editable: !closed && EDITABLE.includes(a.status),
  };
}
export type AssessmentSummary = ReturnType<typeof summary>;

/** Whether one answer can be changed now: anything before submission, only returned answers after. */
const answerEditable = (a: AssessmentSummary, row: repo.AnswerRow | undefined) =>
  a.editable && (a.status !== "returned" || row?.review_status === "returned");

export const answerDto = (row: repo.AnswerRow | undefined) =>
  row
    ? {
        id: row.id,
        answer: row.answer,
        evidence_note: row.evidence_note,
        evidence_link: row.evidence_link,
        answeredAt: row.answered_at,
        answeredBy: row.answered_by_name,
        reviewStatus: row.review_status,
        reviewComment: row.review_comment,
        reviewedAt: row.reviewed_at,
        reviewedBy: row.reviewed_by_name,
        version: row.version,
      }
    : null;
export type AnswerDto = NonNullable<ReturnType<typeof answerDto>>;

export const requirementDto = (r: Requirement) => ({
  id: r.id,
  title: r.title,
  description: r.description,
  evidence: r.evidence,
  answeredBy: r.answeredBy,
  domain: r.domain,
  category: r.category,
});

// ── The practice's side ──────────────────────────────────────────────────────

/** The framework version in force for the practice's ICB (the default when the ICB has not chosen): it decides what the forms ask. */
export async function frameworkVersionOf(db: Db, ods: string): Promise<string> {
  return (await frameworkVersionsOf(db, [ods])).get(ods) ?? DEFAULT_FRAMEWORK_VERSION;
}

/**
 * The practice's current assessment: where each domain stands, every requirement grouped by
 * domain with its answer (attested) or stored result and reason (automatic), and disputes.
 */
export async function getPracticeAssessment(db: Db, ods: string, today: string) {
  const [current, compliance, version] = await Promise.all([
    repo.findCurrentAssessment(db, ods),
    getPracticeCompliance(db, ods, today),
    frameworkVersionOf(db, ods),
  ]);
  const asked = attestedIn(version);
  const askedIds = new Set(asked.map((r) => r.id));
  const results = new Map(compliance.requirements.map((r) => [r.requirement.id, r.result]));
  const assessment = current ? summary(current, today) : null;
  const [answerRows, disputes] = current
    ? await Promise.all([repo.listAnswers(db, current.id), repo.listDisputes(db, current.id)])
    : [[], []];
  const answers = new Map(answerRows.map((a) => [a.requirement_id, a]));
  const openDisputes = new Map(disputes.filter((d) => d.status === "open").map((d) => [d.requirement_id, d]));
  const domains = assessment
    ? assessmentDomainsIn(version).map((d) => ({
        key: d.key,
        label: d.label,
        ...domainState(assessment.status, d.requirements, answers),
      }))
    : [];
  const attested = asked.map((r) => answers.get(r.id));
  return {
    assessment,
    // The practice may start one itself when it has none in a cycle still open.
    canStart: !assessment || assessment.closed,
    progress: {
      total: asked.length,
      answered: attested.filter((a) => a?.answer).length,
      returned: attested.filter((a) => a?.review_status === "returned").length,
      verified: attested.filter((a) => a?.review_status === "verified").length,
    },
    domains,
    evaluated: compliance.evaluated,
    requirements: (Object.keys(DOMAINS) as Domain[]).map((key) => ({
      key,
      label: DOMAINS[key],
      items: REQUIREMENTS.filter((r) => r.domain === key).map((r) => {
        const result = results.get(r.id) ?? null;
        return {
          requirement: requirementDto(r),
          attested: askedIds.has(r.id),
          answer: answerDto(answers.get(r.id)),
          result: result ? { status: result.status, reason: result.reason, asOf: result.asOf } : null,
          openDispute: openDisputes.has(r.id),
        };
      }),
    })),
    disputes: disputes.map((d) => ({ ...d, title: requirementById(d.requirement_id)?.title ?? d.requirement_id })),
  };
}

async function requireCurrent(db: Db, ods: string, today: string) {
  const current = await repo.findCurrentAssessment(db, ods);
  if (!current) throw notFound("assessment (this practice has not started a self-assessment yet)");
  return summary(current, today);
}

/**
 * The practice starts a self-assessment itself, without waiting for the ICB to open a cycle: a
 * cycle of its own in its ICB (so the ICB sees it among its cycles and, once submitted, in its
 * review queue), due in three months. Refused while it has an assessment in a cycle still open.
 */
export async function startPracticeAssessment(
  db: Db,
  actorId: number,
  practice: { ods_code: string; icb_code: string | null },
  today: string,
) {
  if (!practice.icb_code) throw badRequest("This practice has no ICB on record, so there is no one to review a self-assessment.");
  const icbCode = practice.icb_code;
  return db.transaction().execute(async (trx) => {
    // Lock the practice's row so two starts at once cannot both pass the check below.
    await repo.lockPractice(trx, practice.ods_code);
    const current = await repo.findCurrentAssessment(trx, practice.ods_code);
    if (current && current.closed_at === null) {
      throw conflict(`This practice already has a self-assessment open (${current.cycle_name}). Carry on with that one.`);
    }
    const n = (await repo.countPracticeStartedCycles(trx, practice.ods_code)) + 1;
    const name = `${practice.ods_code} self-assessment ${n}, started by the practice on ${formatDate(today)}`;
    const dueDate = addDays(today, PRACTICE_STARTED_DAYS);
    const cycle = await repo.insertCycle(trx, {
      icb_code: icbCode,
      name,
      due_date: dueDate,
      opened_by: actorId,
      started_by_practice: practice.ods_code,
    });
    const [assessment] = await repo.insertAssessments(trx, cycle.id, [practice.ods_code]);
    await recordAudit(trx, [
      {
        userId: actorId,
        action: "assessment_cycle.open",
        entityType: "assessment_cycle",
        entityId: String(cycle.id),
        after: { name, due_date: dueDate, icb_code: icbCode, selection: "started by the practice", practices: 1 },
      },
      {
        userId: actorId,
        action: "assessment.create",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(assessment.id),
        after: { cycle: name, practice_code: practice.ods_code, status: assessment.status, due_date: dueDate, started_by: "practice" },
      },
    ]);
    return { cycle, assessment };
  });
}

/** One domain's attestation requirements with the practice's answers, for the answer form. */
export async function getDomainPage(db: Db, ods: string, domainKey: string | undefined, today: string) {
  const domains = assessmentDomainsIn(await frameworkVersionOf(db, ods));
  const index = domains.findIndex((d) => d.key === domainKey);
  const domain = domains[index];
  if (!domain) throw notFound("assessment section");
  const assessment = await requireCurrent(db, ods, today);
  const answers = new Map((await repo.listAnswers(db, assessment.id)).map((a) => [a.requirement_id, a]));
  return {
    assessment,
    domain: { key: domain.key, label: domain.label, number: index + 1, of: domains.length },
    next: domains[index + 1]?.key ?? null,
    items: domain.requirements.map((r) => ({
      requirement: requirementDto(r),
      answer: answerDto(answers.get(r.id)),
      editable: answerEditable(assessment, answers.get(r.id)),
    })),
  };
}

const auditAnswer = (
  row: { requirement_id: string; answer: string | null; evidence_note: string | null; evidence_link: string | null } | undefined,
) =>
  row
    ? { requirement_id: row.requirement_id, answer: row.answer, evidence_note: row.evidence_note, evidence_link: row.evidence_link }
    : null;

/**
 * Saves what the practice has answered in one domain (blank answers allowed: save and come
 * back later). Only the practice's own assessment, only answers that may still change, and
 * each answer only from the version the page showed. Changes and their audit events commit together.
 */
export async function saveDomainAnswers(db: Db, actorId: number, ods: string, domainKey: string, input: DomainAnswersInput, today: string) {
  // Only the requirements the version in force asks: an answer posted for any other is ignored.
  const domain = assessmentDomain(domainKey, await frameworkVersionOf(db, ods));
  if (!domain) throw notFound("assessment section");
  await ensureCatalogue(db);
  return db.transaction().execute(async (trx) => {
    const found = await repo.findPracticeAssessment(trx, input.assessment_id, ods, true);
    if (!found) throw notFound("assessment");
    const a = summary(found, today);
    if (a.closed) throw conflict(`The ${a.cycleName} cycle has closed, so answers can no longer be changed.`);
    if (!a.editable) throw conflict("This assessment has been submitted, so its answers cannot be changed unless the ICB returns them.");
    const existing = new Map((await repo.listAnswers(trx, a.id)).map((r) => [r.requirement_id, r]));
    let saved = 0;
    for (const r of domain.requirements) {
      const v = input.answers[r.id];
      if (!v) continue;
      const row = existing.get(r.id);
      const values = { answer: v.answer, evidence_note: v.evidence_note, evidence_link: v.evidence_link };
      const unchanged = row
        ? row.answer === values.answer && row.evidence_note === values.evidence_note && row.evidence_link === values.evidence_link
        : !values.answer && !values.evidence_note && !values.evidence_link;
      if (unchanged) continue;
      if (!answerEditable(a, row))
        throw conflict(
          `The answer to ${r.id} has been ${row?.review_status === "verified" ? "verified" : "submitted"} and cannot be changed.`,
        );
      if ((row ? row.version : 0) !== v.version) throw conflict(STALE_ANSWER(r.id));
      const after = row
        ? await repo.updateAnswer(trx, a.id, row.id, v.version, values, actorId)
        : await repo.insertAnswer(trx, a.id, r.id, values, actorId);
      if (!after) throw conflict(STALE_ANSWER(r.id));
      await recordAudit(trx, {
        userId: actorId,
        action: "assessment.answer",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(a.id),
        before: auditAnswer(row),
        after: auditAnswer(after),
      });
      saved++;
    }
    if (saved && a.status === "not_started") {
      const started = await repo.updateAssessment(trx, a.id, a.version, { status: "in_progress" });
      if (!started) throw conflict(STALE_ASSESSMENT);
      await recordAudit(trx, {
        userId: actorId,
        action: "assessment.start",
        entityType: ASSESSMENT_ENTITY,
        entityId: String(a.id),
        before: { status: a.status },
        after: { status: "in_progress" },
      });
    }
    return { saved };
  });
}

const missingOf = (answers: Map<string, { answer: string | null }>, version: string) =>
  attestedIn(version).filter((r) => !answers.get(r.id)?.answer);

/** Check your answers: every domain's answers, and what is still unanswered. */
export async function getSubmitPage(db: Db, ods: string, today: string) {
  const [assessment, version] = await Promise.all([requireCurrent(db, ods, today), frameworkVersionOf(db, ods)]);
  const answers = new Map((await repo.listAnswers(db, assessment.id)).map((a) => [a.requirement_id, a]));
  return {
    assessment,
    missing: missingOf(answers, version).map(requirementDto),
    domains: assessmentDomainsIn(version).map((d) => ({
      key: d.key,
      label: d.label,
      items: d.requirements.map((r) => ({
        requirement: requirementDto(r),
        answer: answerDto(answers.get(r.id)),
        editable: answerEditable(assessment, answers.get(r.id)),
      })),
    })),
  };
}

/** Names what is still unanswered, briefly enough to read in an error summary. */
function missingMessage(missing: readonly Requirement[]) {
  const named = missing.slice(0, 8).map((r) => `${r.id} ${r.title}`);
  const more = missing.length > 8 ? ` and ${missing.length - 8} more` : "";
  return `Answer every requirement before you submit. ${missing.length === 1 ? "This one is" : `These ${missing.length} are`} not answered yet: ${named.join("; ")}${more}.`;
}

/**
 * Sends the assessment to the ICB. Refused until every attestation requirement has an answer;
 * on a resubmission the answers the ICB returned go back into its queue.
 */
export async function submitAssessment(
  db: Db,
  actorId: number,
  ods: string,
  input: { assessment_id: number; version: number },
  today: string,
) {
  const version = await frameworkVersionOf(db, ods);
  return db.transaction().execute(async (trx) => {
    const found = await repo.findPracticeAssessment(trx, input.assessment_id, ods, true);
    if (!found) throw notFound("assessment");
    const a = summary(found, today);
    if (a.closed) throw conflict(`The ${a.cycleName} cycle has closed, so the assessment can no longer be submitted.`);
    if (a.status === "submitted" || a.status === "verified") throw conflict("This assessment has already been submitted.");
    if (a.version !== input.version) throw conflict(STALE_ASSESSMENT);
    const answers = new Map((await repo.listAnswers(trx, a.id)).map((r) => [r.requirement_id, r]));
    const missing = missingOf(answers, version);
    if (missing.length) throw badRequest(missingMessage(missing));
    const reopened = await repo.reopenReturned(trx, a.id);
    const after = await repo.updateAssessment(trx, a.id, a.version, {
      status: "submitted",
      submitted_at: new Date(),
      submitted_by: actorId,
    });
    if (!after) throw conflict(STALE_ASSESSMENT);
    await recordAudit(trx, {
      userId: actorId,
      action: a.status === "returned" ? "assessment.resubmit" : "assessment.submit",
      entityType: ASSESSMENT_ENTITY,
      entityId: String(a.id),
      before: { status: a.status },
      after: {
        status: "submitted",
        answered: answers.size,
        ...(reopened.length ? { resubmitted: reopened.map((r) => r.requirement_id).join(", ") } : {}),
      },
    });
    return after;
  });
}

/** The practice disputes an automatic result (the one in force today), with its reasons. */
export async function raiseDispute(db: Db, actorId: number, ods: string, input: DisputeInput, today: string) {
  const requirement = requirementById(input.requirement_id);
  if (!requirement || !requirement.automatic) throw badRequest("Only results checked automatically from the registers can be disputed.");
  return db.transaction().execute(async (trx) => {
    const found = await repo.findPracticeAssessment(trx, input.assessment_id, ods, true);
    if (!found) throw notFound("assessment");
    if (found.closed_at) throw conflict(`The ${found.cycle_name} cycle has closed, so results can no longer be disputed in it.`);
    const compliance = await getPracticeCompliance(trx, ods, today);
    const result = compliance.requirements.find((r) => r.requirement.id === requirement.id)?.result;
    if (!result) throw badRequest(`There is no result for ${requirement.id} to dispute yet.`);
    if (await repo.findOpenDispute(trx, found.id, requirement.id)) {
      throw conflict(`You have already disputed the result for ${requirement.id}; the ICB has not responded yet.`);
    }
    const row = await repo.insertDispute(trx, {
      assessment_id: found.id,
      practice_code: ods,
      requirement_id: requirement.id,
      as_of: result.asOf,
      result_status: result.status,
      comment: input.comment,
      raised_by: actorId,
    });
    await recordAudit(trx, {
      userId: actorId,
      action: "assessment.dispute",
      entityType: ASSESSMENT_ENTITY,
      entityId: String(found.id),
      after: { requirement_id: row.requirement_id, result_status: row.result_status, as_of: row.as_of, comment: row.comment },
    });
    return row;
  });
}
