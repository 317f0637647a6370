import { beforeAll, describe, expect, it } from "vitest";
import { ASSESSMENT_DOMAINS, attestedIn, DUTY_REQUIREMENTS, PRACTICE_REQUIREMENTS } from "~/modules/assessment/schema";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";
import { getPracticeCompliance } from "~/modules/compliance/service.server";
import * as practiceAssessment from "~/routes/practices.$ods.assessment._index";
import * as practiceDomain from "~/routes/practices.$ods.assessment.$domain";
import * as practiceSubmit from "~/routes/practices.$ods.assessment.submit";
import * as icbAssessments from "~/routes/icbs.$code_.assessments._index";
import * as duties from "~/routes/assessments.$id.duties";
import * as review from "~/routes/assessments.$id.review";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { call, cookiesFor, get, post, flashFor } from "../support/requests";
import { EMAILS, seedAssessmentUsers } from "../support/scoping";

// Issue 17: a practice starts its own self-assessment; the ICB's and delivery partner's duties
// (SUP-01 to SUP-06, the commissioning rules) are answered by them, never by the practice.
type Cookies = Record<"icbLead" | "qhmLead" | "partnerIcb" | "partnerPractice" | "practiceManager" | "otherManager", string>;
let c: Cookies;

beforeAll(async () => {
  const more = await seedAssessmentUsers("start.test");
  c = await cookiesFor({
    icbLead: EMAILS.icbLead,
    qhmLead: more.qhmLead,
    partnerIcb: EMAILS.partnerIcb,
    partnerPractice: EMAILS.partnerPractice,
    practiceManager: EMAILS.practiceManager,
    otherManager: more.otherManager,
  });
});

const start = (cookie: string, ods = "F84003") =>
  call(practiceAssessment.action, post(`/practices/${ods}/assessment`, { intent: "start" }, { cookie }), { ods });

const current = () =>
  getDb()
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select(["a.id", "a.status", "a.version", "c.id as cycle_id", "c.name", "c.icb_code", "c.due_date", "c.started_by_practice"])
    .where("a.practice_code", "=", "F84003")
    .orderBy("a.id", "desc")
    .executeTakeFirstOrThrow();

const dutyFields = (id: number, answers: Record<string, string>, versions: Record<string, number> = {}) => {
  const fields: Record<string, string> = { assessment_id: String(id) };
  for (const [rid, answer] of Object.entries(answers)) {
    fields[`${rid}.answer`] = answer;
    fields[`${rid}.evidence_note`] = `Evidence for ${rid}`;
    fields[`${rid}.evidence_link`] = "https://intranet.example.nhs.uk/gp-it";
    fields[`${rid}.version`] = String(versions[rid] ?? 0);
  }
  return fields;
};
const saveDuties = (cookie: string, id: number, fields: Record<string, string>) =>
  call(duties.action, post(`/assessments/${id}/duties`, fields, { cookie }), { id: String(id) });

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these bring
// F84003's own self-assessment to a stage through the pages, as its manager and ICB lead would.
/** F84003's manager starts a self-assessment of its own. */
async function started() {
  expect((await start(c.practiceManager)).status).toBe(302);
}
/** Started, then the ICB lead answers SUP-02 (met) and SUP-03 (not met), each at version 1. */
async function icbDutiesAnswered() {
  await started();
  const a = await current();
  expect((await saveDuties(c.icbLead, a.id, dutyFields(a.id, { "SUP-02": "met", "SUP-03": "not_met" }))).status).toBe(302);
}

describe("the catalogue says who answers", () => {
  it("SUP-01 to SUP-06 and the commissioning rules are not the practice's; the rest of the attested requirements are", () => {
    const byId = Object.fromEntries(DUTY_REQUIREMENTS.map((r) => [r.id, r.answeredBy]));
    expect(byId).toMatchObject({
      "SUP-01": "delivery_partner",
      "SUP-02": "icb",
      "SUP-03": "icb",
      "SUP-04": "icb",
      "SUP-05": "delivery_partner",
      "SUP-06": "icb",
      "FUN-01": "icb",
      "FUN-04": "icb",
    });
    expect(PRACTICE_REQUIREMENTS.some((r) => r.id.startsWith("SUP-") || r.id.startsWith("FUN-"))).toBe(false);
    expect(ASSESSMENT_DOMAINS.map((d) => d.key)).not.toContain("support");
  });
});

describe("a practice starts its own self-assessment", () => {
  it("offers the start to its manager when no cycle is open, and starts one in a cycle of its own, audited", async () => {
    const page = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(page.data).toMatchObject({ assessment: null, canStart: true, canAttest: true });

    const res = await start(c.practiceManager);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/practices/F84003/assessment");
    // The page says so once (a notice on the session, not in the address).
    const shown = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(shown.data.started).toBe(true);
    const again = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(again.data.started).toBe(false);
    const a = await current();
    expect(a).toMatchObject({ status: "not_started", icb_code: "QMF", started_by_practice: "F84003" });
    expect(a.name).toMatch(/^F84003 self-assessment 1, started by the practice on /);
    expect(a.due_date > todayIso()).toBe(true);
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["action", "entity_type"])
      .where((eb) =>
        eb.or([
          eb.and([eb("entity_type", "=", "assessment_cycle"), eb("entity_id", "=", String(a.cycle_id))]),
          eb.and([eb("entity_type", "=", "assessment"), eb("entity_id", "=", String(a.id))]),
        ]),
      )
      .orderBy("id")
      .execute();
    expect(events.map((e) => e.action)).toEqual(["assessment_cycle.open", "assessment.create"]);

    const after = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(after.data.canStart).toBe(false);
    // The practice's own requirements in the framework version its ICB has in force (the default here).
    expect(after.data.progress.total).toBe(attestedIn(DEFAULT_FRAMEWORK_VERSION).length);
  });

  it("refuses a second start while one is open, with the reason on the form", async () => {
    await started();
    const res = await start(c.practiceManager);
    expect(res.status).toBe(409);
    expect(res.data).toMatchObject({ ok: false, target: "start" });
    expect(res.data.formError).toMatch(/already has a self-assessment open/);
    const cycles = await getDb().selectFrom("assessment_cycle").select("id").where("started_by_practice", "=", "F84003").execute();
    expect(cycles).toHaveLength(1);
  });

  it("another practice's manager, a delivery partner or an ICB lead cannot start it for the practice", async () => {
    expect((await start(c.otherManager)).status).toBe(404);
    expect((await start(c.partnerIcb)).status).toBe(403);
    expect((await start(c.icbLead)).status).toBe(403);
  });

  it("the ICB lead sees it among the ICB's cycles, marked as started by the practice, and its duties in their queue", async () => {
    await started();
    const a = await current();
    const page = await call(icbAssessments.loader, get("/icbs/QMF/assessments", c.icbLead), { code: "QMF" });
    expect(page.data.cycles.rows.find((r: any) => r.id === a.cycle_id)).toMatchObject({ started_by_practice: "F84003", practices: 1 });
    const icbDuties = DUTY_REQUIREMENTS.filter((r) => r.answeredBy === "icb").length;
    expect(page.data.duties).toMatchObject({ total: 1, duties: icbDuties });
    expect(page.data.duties.rows[0]).toMatchObject({ id: a.id, practice_code: "F84003", answered: 0 });
    // The delivery partner's queue holds its own duties.
    const dp = await call(icbAssessments.loader, get("/icbs/QMF/assessments", c.partnerIcb), { code: "QMF" });
    expect(dp.data.duties).toMatchObject({ total: 1, duties: DUTY_REQUIREMENTS.filter((r) => r.answeredBy === "delivery_partner").length });
    // A partner serving only F84013 has nothing of F84003's in its queue (and no ICB page: 404).
    expect((await call(icbAssessments.loader, get("/icbs/QMF/assessments", c.partnerPractice), { code: "QMF" })).status).toBe(404);
  });
});

describe("duties of the ICB and the delivery partner", () => {
  it("the practice manager is not asked them, and cannot answer them by tampering with any form", async () => {
    await started();
    const a = await current();
    // No support section for the practice.
    const domain = await call(practiceDomain.loader, get("/practices/F84003/assessment/support", c.practiceManager), {
      ods: "F84003",
      domain: "support",
    });
    expect(domain.status).toBe(404);
    // SUP-02 slipped into a section the practice does answer is not saved.
    const first = ASSESSMENT_DOMAINS[0];
    const fields: Record<string, string> = { ...dutyFields(a.id, { "SUP-02": "met" }) };
    const res = await call(
      practiceDomain.action,
      post(`/practices/F84003/assessment/${first.key}`, fields, { cookie: c.practiceManager }),
      {
        ods: "F84003",
        domain: first.key,
      },
    );
    expect(res.status).toBe(302);
    // The duties page itself refuses the practice manager.
    expect((await call(duties.loader, get(`/assessments/${a.id}/duties`, c.practiceManager), { id: String(a.id) })).status).toBe(403);
    expect((await saveDuties(c.practiceManager, a.id, dutyFields(a.id, { "SUP-02": "met" }))).status).toBe(403);
    const sup = await getDb()
      .selectFrom("assessment_answer")
      .select("id")
      .where("assessment_id", "=", a.id)
      .where("requirement_id", "=", "SUP-02")
      .execute();
    expect(sup).toHaveLength(0);
  });

  it("another ICB's lead cannot see the duties page (404); the ICB lead cannot answer the delivery partner's duty (403)", async () => {
    await started();
    const a = await current();
    expect((await call(duties.loader, get(`/assessments/${a.id}/duties`, c.qhmLead), { id: String(a.id) })).status).toBe(404);
    expect((await saveDuties(c.qhmLead, a.id, dutyFields(a.id, { "SUP-02": "met" }))).status).toBe(404);
    expect((await saveDuties(c.icbLead, a.id, dutyFields(a.id, { "SUP-01": "met" }))).status).toBe(403);
    expect((await saveDuties(c.partnerIcb, a.id, dutyFields(a.id, { "SUP-02": "met" }))).status).toBe(403);
  });

  it("the ICB lead answers an ICB duty: saved as verified, audited, and the practice's result follows", async () => {
    await started();
    const a = await current();
    const page = await call(duties.loader, get(`/assessments/${a.id}/duties`, c.icbLead), { id: String(a.id) });
    expect(page.data.owners).toEqual(["icb"]);
    const editable = page.data.items.filter((i: any) => i.editable).map((i: any) => i.requirement.id);
    expect(editable).toEqual(DUTY_REQUIREMENTS.filter((r) => r.answeredBy === "icb").map((r) => r.id));

    const res = await saveDuties(c.icbLead, a.id, dutyFields(a.id, { "SUP-02": "met", "SUP-03": "not_met" }));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`/assessments/${a.id}/duties`);
    expect(await flashFor(c.icbLead)).toBe("Your answers have been saved.");
    const rows = await getDb()
      .selectFrom("assessment_answer")
      .select(["requirement_id", "answer", "review_status"])
      .where("assessment_id", "=", a.id)
      .orderBy("requirement_id")
      .execute();
    expect(rows).toEqual([
      { requirement_id: "SUP-02", answer: "met", review_status: "verified" },
      { requirement_id: "SUP-03", answer: "not_met", review_status: "verified" },
    ]);
    const events = await getDb()
      .selectFrom("audit_event")
      .select(["action", "after"])
      .where("entity_type", "=", "assessment")
      .where("entity_id", "=", String(a.id))
      .where("action", "=", "assessment.duty_answer")
      .execute();
    expect(events.map((e) => (e.after as any).requirement_id).sort()).toEqual(["SUP-02", "SUP-03"]);
    expect(events[0].after).toMatchObject({ answered_by: "icb", review_status: "verified" });
    const compliance = await getPracticeCompliance(getDb(), "F84003", todayIso());
    const sup3 = compliance.requirements.find((r) => r.requirement.id === "SUP-03")!.result;
    expect(sup3).toMatchObject({ status: "not_met" });
    expect(sup3!.reason).toMatch(/^The ICB answered "Not met" for this practice/);

    // A stale version is refused.
    const stale = await saveDuties(c.icbLead, a.id, dutyFields(a.id, { "SUP-02": "partial" }));
    expect(stale.data.formError).toMatch(/Someone else changed the answer to SUP-02/);
  });

  // Found when these tests began to run alone (issue 16): saving a duty did not write the catalogue
  // its answers refer to, so on a database where nothing else had yet, the save failed.
  it("a duty is saved on a database whose requirements nothing has written yet", async () => {
    await started();
    expect(await getDb().selectFrom("requirement").select("id").executeTakeFirst()).toBeUndefined();
    const a = await current();
    expect((await saveDuties(c.partnerIcb, a.id, dutyFields(a.id, { "SUP-01": "met" }))).status).toBe(302);
  });

  it("the delivery partner answers its duty, which waits for the ICB's review once the practice submits", async () => {
    await icbDutiesAnswered();
    let a = await current();
    const res = await saveDuties(c.partnerIcb, a.id, dutyFields(a.id, { "SUP-01": "met" }));
    expect(res.status).toBe(302);
    const row = await getDb()
      .selectFrom("assessment_answer")
      .select(["answer", "review_status"])
      .where("assessment_id", "=", a.id)
      .where("requirement_id", "=", "SUP-01")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ answer: "met", review_status: "pending" });

    // The practice answers only its own requirements, then submits.
    for (const d of ASSESSMENT_DOMAINS) {
      const fields: Record<string, string> = { assessment_id: String(a.id) };
      for (const r of d.requirements) Object.assign(fields, { [`${r.id}.answer`]: "met", [`${r.id}.version`]: "0" });
      const saved = await call(
        practiceDomain.action,
        post(`/practices/F84003/assessment/${d.key}`, fields, { cookie: c.practiceManager }),
        {
          ods: "F84003",
          domain: d.key,
        },
      );
      expect(saved.status).toBe(302);
    }
    a = await current();
    const submitted = await call(
      practiceSubmit.action,
      post(
        "/practices/F84003/assessment/submit",
        { assessment_id: String(a.id), version: String(a.version) },
        { cookie: c.practiceManager },
      ),
      { ods: "F84003" },
    );
    expect(submitted.status).toBe(302);
    const page = await call(icbAssessments.loader, get("/icbs/QMF/assessments", c.icbLead), { code: "QMF" });
    expect(page.data.queue.rows.map((q: any) => q.id)).toContain(a.id);
    const rv = await call(review.loader, get(`/assessments/${a.id}/review`, c.icbLead), { id: String(a.id) });
    const dutyItems = rv.data.domains.find((d: any) => d.key === "duties").items;
    expect(dutyItems.find((i: any) => i.requirement.id === "SUP-01").answer).toMatchObject({ answer: "met", reviewStatus: "pending" });
    expect(dutyItems.find((i: any) => i.requirement.id === "SUP-02").answer).toMatchObject({ reviewStatus: "verified" });
  });
});
