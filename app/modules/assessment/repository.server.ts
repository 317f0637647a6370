import { sql, type ExpressionBuilder } from "kysely";
import type { Db } from "#db/connect";
import type { AssessmentStatus, AttestedAnswer, Database, DisputeStatus, ReviewStatus } from "#db/types";
import type { CycleFilter } from "./schema";

/** Statuses in which the practice still owes the ICB something; past the due date they are overdue. */
export const OWED: AssessmentStatus[] = ["not_started", "in_progress", "returned"];

// ── Organisations ────────────────────────────────────────────────────────────

export function findIcb(db: Db, code: string) {
  return db.selectFrom("icb").select(["code", "name"]).where("code", "=", code).executeTakeFirst();
}

export function findPractice(db: Db, ods: string) {
  return db.selectFrom("practice").select(["ods_code", "name", "icb_code", "pcn_code"]).where("ods_code", "=", ods).executeTakeFirst();
}

/** Locks a practice's row for the rest of the transaction (one self-assessment start at a time). */
export function lockPractice(db: Db, ods: string) {
  return db.selectFrom("practice").select("ods_code").where("ods_code", "=", ods).forUpdate().executeTakeFirst();
}

/** The ICB's open PCNs (those with an open practice), for choosing a cycle's practices. */
export function listIcbPcns(db: Db, icbCode: string) {
  return db
    .selectFrom("pcn")
    .innerJoin("practice", "practice.pcn_code", "pcn.code")
    .select(["pcn.code", "pcn.name"])
    .where("practice.icb_code", "=", icbCode)
    .where("practice.status", "=", "A")
    .groupBy(["pcn.code", "pcn.name"])
    .orderBy("pcn.name")
    .orderBy("pcn.code")
    .execute();
}

/** Open practices of an ICB: all of them, one PCN's, or those of a list (with the codes not found). */
export async function selectPractices(db: Db, icbCode: string, selection: { all: true } | { pcn: string } | { practices: string[] }) {
  let q = db.selectFrom("practice").select("ods_code").where("icb_code", "=", icbCode).where("status", "=", "A").orderBy("ods_code");
  if ("pcn" in selection) q = q.where("pcn_code", "=", selection.pcn);
  if ("practices" in selection) q = q.where("ods_code", "in", selection.practices.length ? selection.practices : [""]);
  const codes = (await q.execute()).map((r) => r.ods_code);
  const found = new Set(codes);
  const missing = "practices" in selection ? selection.practices.filter((c) => !found.has(c)) : [];
  return { codes, missing };
}

// ── Cycles ───────────────────────────────────────────────────────────────────

export async function insertCycle(
  db: Db,
  v: { icb_code: string; name: string; due_date: string; opened_by: number; started_by_practice?: string | null },
) {
  return db.insertInto("assessment_cycle").values(v).returningAll().executeTakeFirstOrThrow();
}

export async function insertAssessments(db: Db, cycleId: number, codes: string[]) {
  if (codes.length === 0) return [];
  return db
    .insertInto("assessment")
    .values(codes.map((practice_code) => ({ cycle_id: cycleId, practice_code })))
    .returning(["id", "practice_code", "status", "version"])
    .execute();
}

export function findCycle(db: Db, icbCode: string, id: number) {
  return db.selectFrom("assessment_cycle").selectAll().where("id", "=", id).where("icb_code", "=", icbCode).executeTakeFirst();
}

export function closeCycle(db: Db, icbCode: string, id: number, version: number, userId: number) {
  return db
    .updateTable("assessment_cycle")
    .set((eb) => ({ closed_at: new Date(), closed_by: userId, version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("icb_code", "=", icbCode)
    .where("version", "=", version)
    .where("closed_at", "is", null)
    .returningAll()
    .executeTakeFirst();
}

type CountEb = ExpressionBuilder<Database & { a: Database["assessment"]; c: Database["assessment_cycle"] }, "a" | "c">;

/** Counts by status, plus overdue (owed and past the due date in a cycle still open), in one select list. */
const statusCounts = (eb: CountEb, today: string) => [
  eb.fn.count<number>("a.id").as("practices"),
  eb.fn.count<number>("a.id").filterWhere("a.status", "=", "not_started").as("not_started"),
  eb.fn.count<number>("a.id").filterWhere("a.status", "=", "in_progress").as("in_progress"),
  eb.fn.count<number>("a.id").filterWhere("a.status", "=", "submitted").as("submitted"),
  eb.fn.count<number>("a.id").filterWhere("a.status", "=", "returned").as("returned"),
  eb.fn.count<number>("a.id").filterWhere("a.status", "=", "verified").as("verified"),
  eb.fn
    .count<number>("a.id")
    .filterWhere((w) => w.and([w("a.status", "in", OWED), w("c.due_date", "<", today), w("c.closed_at", "is", null)]))
    .as("overdue"),
];

/** An ICB's cycles, newest first, each with its progress counts: one query for the page. */
export async function listCycles(db: Db, icbCode: string, today: string, limit: number, offset: number) {
  const [rows, total] = await Promise.all([
    db
      .selectFrom("assessment_cycle as c")
      .leftJoin("assessment as a", "a.cycle_id", "c.id")
      .select(["c.id", "c.name", "c.due_date", "c.opened_at", "c.closed_at", "c.version", "c.started_by_practice"])
      .select((eb) => statusCounts(eb as unknown as CountEb, today))
      .where("c.icb_code", "=", icbCode)
      .groupBy("c.id")
      .orderBy("c.opened_at", "desc")
      .orderBy("c.id", "desc")
      .limit(limit)
      .offset(offset)
      .execute(),
    db
      .selectFrom("assessment_cycle")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("icb_code", "=", icbCode)
      .executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** One cycle's progress counts. */
export function cycleCounts(db: Db, cycleId: number, today: string) {
  return db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select((eb) => statusCounts(eb as unknown as CountEb, today))
    .where("a.cycle_id", "=", cycleId)
    .executeTakeFirstOrThrow();
}

/** Submitted assessments waiting for the ICB, longest waiting first. */
export async function reviewQueue(db: Db, icbCode: string, limit: number) {
  const base = db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .where("c.icb_code", "=", icbCode)
    .where("a.status", "=", "submitted");
  const [rows, total] = await Promise.all([
    base
      .innerJoin("practice as p", "p.ods_code", "a.practice_code")
      .select([
        "a.id",
        "a.practice_code",
        "a.submitted_at",
        "p.name as practice_name",
        "c.id as cycle_id",
        "c.name as cycle_name",
        "c.due_date",
      ])
      .select((eb) =>
        eb
          .selectFrom("assessment_answer as x")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("x.assessment_id", "=", "a.id")
          .where("x.review_status", "=", "pending")
          .as("pending"),
      )
      .orderBy("a.submitted_at")
      .orderBy("a.id")
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

/** The practices in a cycle with their assessment's progress, filtered and paged; one query per list and one count. */
export async function listCycleAssessments(
  db: Db,
  cycleId: number,
  f: { status?: CycleFilter; q?: string; today: string; limit: number; offset: number },
) {
  let base = db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .innerJoin("practice as p", "p.ods_code", "a.practice_code")
    .where("a.cycle_id", "=", cycleId);
  if (f.status === "overdue") base = base.where("a.status", "in", OWED).where("c.due_date", "<", f.today).where("c.closed_at", "is", null);
  else if (f.status) base = base.where("a.status", "=", f.status);
  if (f.q) {
    const like = `%${f.q.toLowerCase().replace(/[\\%_]/g, (ch) => `\\${ch}`)}%`;
    base = base.where((eb) => eb.or([eb(sql`lower(p.name)`, "like", like), eb("p.ods_code", "=", f.q!.toUpperCase())]));
  }
  const [rows, total] = await Promise.all([
    base
      .leftJoin("pcn", "pcn.code", "p.pcn_code")
      .select([
        "a.id",
        "a.practice_code",
        "a.status",
        "a.submitted_at",
        "a.verified_at",
        "p.name as practice_name",
        "p.pcn_code",
        "pcn.name as pcn_name",
      ])
      .select((eb) => [
        eb
          .selectFrom("assessment_answer as x")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("x.assessment_id", "=", "a.id")
          .where("x.answer", "is not", null)
          .as("answered"),
        eb
          .selectFrom("result_dispute as d")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("d.assessment_id", "=", "a.id")
          .where("d.status", "=", "open")
          .as("open_disputes"),
        eb.and([eb("a.status", "in", OWED), eb("c.due_date", "<", f.today), eb("c.closed_at", "is", null)]).as("overdue"),
      ])
      .orderBy("p.name")
      .orderBy("a.id")
      .limit(f.limit)
      .offset(f.offset)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows, total: Number(total.n) };
}

// ── Assessments ──────────────────────────────────────────────────────────────

const assessmentColumns = [
  "a.id",
  "a.cycle_id",
  "a.practice_code",
  "a.status",
  "a.submitted_at",
  "a.submitted_by",
  "a.verified_at",
  "a.verified_by",
  "a.version",
  "c.name as cycle_name",
  "c.icb_code",
  "c.due_date",
  "c.opened_at",
  "c.closed_at",
  "c.started_by_practice",
] as const;

/**
 * The practice's current assessment: the one in its most recently opened cycle that is still
 * open, else the most recent one of all (so the outcome stays visible after a cycle closes).
 */
export function findCurrentAssessment(db: Db, ods: string) {
  return db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select(assessmentColumns)
    .where("a.practice_code", "=", ods)
    .orderBy(sql`c.closed_at is null`, "desc")
    .orderBy("c.opened_at", "desc")
    .orderBy("a.id", "desc")
    .limit(1)
    .executeTakeFirst();
}

/** The practice's other assessments (earlier cycles), newest first. */
export function listPracticeAssessments(db: Db, ods: string, limit = 10) {
  return db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select(assessmentColumns)
    .where("a.practice_code", "=", ods)
    .orderBy("c.opened_at", "desc")
    .orderBy("a.id", "desc")
    .limit(limit)
    .execute();
}

/** An assessment by id, only if it is this practice's; locked for the rest of the transaction when asked. */
export function findPracticeAssessment(db: Db, id: number, ods: string, lock = false) {
  let q = db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select(assessmentColumns)
    .where("a.id", "=", id)
    .where("a.practice_code", "=", ods);
  if (lock) q = q.forUpdate("a");
  return q.executeTakeFirst();
}

/** An assessment by id with its practice (for the ICB's review and its access check). */
export function findAssessment(db: Db, id: number, lock = false) {
  let q = db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .innerJoin("practice as p", "p.ods_code", "a.practice_code")
    .select(assessmentColumns)
    .select(["p.name as practice_name", "p.icb_code as practice_icb_code"])
    .where("a.id", "=", id);
  if (lock) q = q.forUpdate("a");
  return q.executeTakeFirst();
}
export type AssessmentRow = NonNullable<Awaited<ReturnType<typeof findCurrentAssessment>>>;

export function updateAssessment(
  db: Db,
  id: number,
  version: number,
  set: Partial<{
    status: AssessmentStatus;
    submitted_at: Date;
    submitted_by: number;
    verified_at: Date | null;
    verified_by: number | null;
  }>,
) {
  return db
    .updateTable("assessment")
    .set((eb) => ({ ...set, updated_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("version", "=", version)
    .returning(["id", "status", "version", "submitted_at", "verified_at"])
    .executeTakeFirst();
}

/** How many self-assessments this practice has started itself (to number the next one's cycle). */
export async function countPracticeStartedCycles(db: Db, ods: string) {
  const row = await db
    .selectFrom("assessment_cycle")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("started_by_practice", "=", ods)
    .executeTakeFirstOrThrow();
  return Number(row.n);
}

/**
 * Assessments of the ICB's practices in cycles still open where some of the given duties
 * (requirement ids) have no answer yet: the ICB lead's or delivery partner's queue, oldest first.
 * `practiceCodes` limits it to the practices a delivery partner serves (null: all of the ICB's).
 */
export async function dutyQueue(db: Db, icbCode: string, requirementIds: readonly string[], practiceCodes: string[] | null, limit: number) {
  if (requirementIds.length === 0 || practiceCodes?.length === 0) return { rows: [], total: 0 };
  let base = db
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .innerJoin("practice as p", "p.ods_code", "a.practice_code")
    .where("c.icb_code", "=", icbCode)
    .where("c.closed_at", "is", null)
    .where(
      (eb) =>
        eb
          .selectFrom("assessment_answer as x")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("x.assessment_id", "=", "a.id")
          .where("x.requirement_id", "in", [...requirementIds])
          .where("x.answer", "is not", null),
      "<",
      requirementIds.length,
    );
  if (practiceCodes) base = base.where("a.practice_code", "in", practiceCodes);
  const [rows, total] = await Promise.all([
    base
      .select(["a.id", "a.practice_code", "a.status", "p.name as practice_name", "c.name as cycle_name", "c.due_date", "c.opened_at"])
      .select((eb) =>
        eb
          .selectFrom("assessment_answer as x")
          .select((e) => e.fn.countAll<number>().as("n"))
          .whereRef("x.assessment_id", "=", "a.id")
          .where("x.requirement_id", "in", [...requirementIds])
          .where("x.answer", "is not", null)
          .as("answered"),
      )
      .orderBy("c.opened_at")
      .orderBy("a.id")
      .limit(limit)
      .execute(),
    base.select((eb) => eb.fn.countAll<number>().as("n")).executeTakeFirstOrThrow(),
  ]);
  return { rows: rows.map((r) => ({ ...r, answered: Number(r.answered) })), total: Number(total.n) };
}

// ── Answers ──────────────────────────────────────────────────────────────────

export function listAnswers(db: Db, assessmentId: number) {
  return db
    .selectFrom("assessment_answer as x")
    .leftJoin("app_user as u", "u.id", "x.answered_by")
    .leftJoin("app_user as r", "r.id", "x.reviewed_by")
    .select([
      "x.id",
      "x.requirement_id",
      "x.answer",
      "x.evidence_note",
      "x.evidence_link",
      "x.answered_at",
      "x.review_status",
      "x.review_comment",
      "x.reviewed_at",
      "x.version",
      "u.name as answered_by_name",
      "r.name as reviewed_by_name",
    ])
    .where("x.assessment_id", "=", assessmentId)
    .orderBy("x.requirement_id")
    .execute();
}
export type AnswerRow = Awaited<ReturnType<typeof listAnswers>>[number];

export interface AnswerValues {
  answer: AttestedAnswer | null;
  evidence_note: string | null;
  evidence_link: string | null;
}

export function insertAnswer(db: Db, assessmentId: number, requirementId: string, v: AnswerValues, userId: number) {
  return db
    .insertInto("assessment_answer")
    .values({ assessment_id: assessmentId, requirement_id: requirementId, ...v, answered_by: userId, answered_at: new Date() })
    .returning(["id", "requirement_id", "answer", "evidence_note", "evidence_link", "review_status", "version"])
    .executeTakeFirstOrThrow();
}

export function updateAnswer(db: Db, assessmentId: number, id: number, version: number, v: AnswerValues, userId: number) {
  return db
    .updateTable("assessment_answer")
    .set((eb) => ({ ...v, answered_by: userId, answered_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("assessment_id", "=", assessmentId)
    .where("version", "=", version)
    .returning(["id", "requirement_id", "answer", "evidence_note", "evidence_link", "review_status", "version"])
    .executeTakeFirst();
}

/** A duty answered by the ICB itself: recorded as verified by it (it is the ICB's own word). */
export function markAnswerVerified(db: Db, assessmentId: number, id: number, userId: number) {
  return db
    .updateTable("assessment_answer")
    .set({ review_status: "verified", review_comment: null, reviewed_by: userId, reviewed_at: new Date() })
    .where("id", "=", id)
    .where("assessment_id", "=", assessmentId)
    .returning(["id", "requirement_id", "answer", "evidence_note", "review_status", "version"])
    .executeTakeFirstOrThrow();
}

/** A duty answered again by the delivery partner goes back into the ICB's review. */
export function markAnswerPending(db: Db, assessmentId: number, id: number) {
  return db
    .updateTable("assessment_answer")
    .set({ review_status: "pending" })
    .where("id", "=", id)
    .where("assessment_id", "=", assessmentId)
    .execute();
}

/** On resubmission, answers the ICB returned go back into its queue. */
export function reopenReturned(db: Db, assessmentId: number) {
  return db
    .updateTable("assessment_answer")
    .set((eb) => ({ review_status: "pending" as const, version: eb("version", "+", 1) }))
    .where("assessment_id", "=", assessmentId)
    .where("review_status", "=", "returned")
    .returning(["id", "requirement_id"])
    .execute();
}

/** Records the ICB's decision on a pending answer of this assessment (stale version or decided already: nothing). */
export function reviewAnswer(
  db: Db,
  assessmentId: number,
  id: number,
  version: number | null,
  v: { review_status: Exclude<ReviewStatus, "pending">; review_comment: string | null; reviewed_by: number },
) {
  let q = db
    .updateTable("assessment_answer")
    .set((eb) => ({ ...v, reviewed_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("assessment_id", "=", assessmentId)
    .where("review_status", "=", "pending");
  if (version !== null) q = q.where("version", "=", version);
  return q.returning(["id", "requirement_id", "answer", "evidence_note", "review_status", "review_comment", "version"]).executeTakeFirst();
}

export async function reviewCounts(db: Db, assessmentId: number) {
  const rows = await db
    .selectFrom("assessment_answer")
    .select(["review_status", (eb) => eb.fn.countAll<number>().as("n")])
    .where("assessment_id", "=", assessmentId)
    .groupBy("review_status")
    .execute();
  const out: Record<ReviewStatus, number> = { pending: 0, verified: 0, returned: 0 };
  for (const r of rows) out[r.review_status] = Number(r.n);
  return out;
}

// ── Disputes ─────────────────────────────────────────────────────────────────

export function listDisputes(db: Db, assessmentId: number) {
  return db
    .selectFrom("result_dispute as d")
    .leftJoin("app_user as u", "u.id", "d.raised_by")
    .leftJoin("app_user as r", "r.id", "d.resolved_by")
    .select([
      "d.id",
      "d.requirement_id",
      "d.as_of",
      "d.result_status",
      "d.comment",
      "d.raised_at",
      "d.status",
      "d.resolution_comment",
      "d.resolved_at",
      "d.version",
      "u.name as raised_by_name",
      "r.name as resolved_by_name",
    ])
    .where("d.assessment_id", "=", assessmentId)
    .orderBy(sql`d.status = 'open'`, "desc")
    .orderBy("d.raised_at", "desc")
    .orderBy("d.id", "desc")
    .execute();
}
export type DisputeRow = Awaited<ReturnType<typeof listDisputes>>[number];

export function findOpenDispute(db: Db, assessmentId: number, requirementId: string) {
  return db
    .selectFrom("result_dispute")
    .select("id")
    .where("assessment_id", "=", assessmentId)
    .where("requirement_id", "=", requirementId)
    .where("status", "=", "open")
    .executeTakeFirst();
}

export function insertDispute(
  db: Db,
  v: {
    assessment_id: number;
    practice_code: string;
    requirement_id: string;
    as_of: string;
    result_status: string;
    comment: string;
    raised_by: number;
  },
) {
  return db.insertInto("result_dispute").values(v).returningAll().executeTakeFirstOrThrow();
}

export function resolveDispute(
  db: Db,
  assessmentId: number,
  id: number,
  version: number,
  v: { status: Exclude<DisputeStatus, "open">; resolution_comment: string; resolved_by: number },
) {
  return db
    .updateTable("result_dispute")
    .set((eb) => ({ ...v, resolved_at: new Date(), version: eb("version", "+", 1) }))
    .where("id", "=", id)
    .where("assessment_id", "=", assessmentId)
    .where("version", "=", version)
    .where("status", "=", "open")
    .returningAll()
    .executeTakeFirst();
}

export function findDispute(db: Db, assessmentId: number, id: number) {
  return db.selectFrom("result_dispute").selectAll().where("id", "=", id).where("assessment_id", "=", assessmentId).executeTakeFirst();
}
