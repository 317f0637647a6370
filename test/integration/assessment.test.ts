import { beforeAll, describe, expect, it } from "vitest";
import { assessmentDomainsIn, attestedIn, dutiesIn } from "~/modules/assessment/schema";
import { inFrameworkVersion } from "~/modules/catalogue";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";

import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { getPracticeCompliance } from "~/modules/compliance/service.server";
import * as practiceAssessment from "~/routes/practices.$ods.assessment._index";
import * as practiceDomain from "~/routes/practices.$ods.assessment.$domain";
import * as practiceSubmit from "~/routes/practices.$ods.assessment.submit";
import * as icbAssessments from "~/routes/icbs.$code_.assessments._index";
import * as icbCycle from "~/routes/icbs.$code_.assessments.$cycleId";
import * as review from "~/routes/assessments.$id.review";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { call, cookiesFor, get, post } from "../support/requests";
import { EMAILS, seedAssessmentUsers } from "../support/scoping";

// The test ICBs have not chosen a framework version: their practices are asked the default version's self-assessed requirements.
const ATTESTED_REQUIREMENTS = attestedIn(DEFAULT_FRAMEWORK_VERSION);
const ASSESSMENT_DOMAINS = assessmentDomainsIn(DEFAULT_FRAMEWORK_VERSION);

type Cookies = Record<"admin" | "icbLead" | "qhmLead" | "partnerIcb" | "practiceManager" | "otherManager", string>;
let c: Cookies;

const TODAY = todayIso();
const FUTURE = "31/03/2099";

beforeAll(async () => {
  const more = await seedAssessmentUsers("test.nhs.test");
  c = await cookiesFor({
    admin: EMAILS.admin,
    icbLead: EMAILS.icbLead,
    qhmLead: more.qhmLead,
    partnerIcb: EMAILS.partnerIcb,
    practiceManager: EMAILS.practiceManager,
    otherManager: more.otherManager,
  });
});

const audit = (entityType: string, entityId: number | string) =>
  getDb()
    .selectFrom("audit_event")
    .select(["action", "before", "after", "user_id"])
    .where("entity_type", "=", entityType)
    .where("entity_id", "=", String(entityId))
    .orderBy("id")
    .execute();

async function openCycleAs(cookie: string, fields: Record<string, string>) {
  return call(icbAssessments.action, post("/icbs/QMF/assessments", fields, { cookie }), { code: "QMF" });
}

async function assessmentOf(ods: string, cycleName: string) {
  return getDb()
    .selectFrom("assessment as a")
    .innerJoin("assessment_cycle as c", "c.id", "a.cycle_id")
    .select(["a.id", "a.status", "a.version"])
    .where("a.practice_code", "=", ods)
    .where("c.name", "=", cycleName)
    .executeTakeFirstOrThrow();
}

/** The form fields answering every requirement of a domain, as the domain page posts them. */
function domainFields(assessmentId: number, domainKey: string, answer = "met", versions: Record<string, number> = {}) {
  const domain = ASSESSMENT_DOMAINS.find((d) => d.key === domainKey)!;
  const fields: Record<string, string> = { assessment_id: String(assessmentId) };
  for (const r of domain.requirements) {
    fields[`${r.id}.answer`] = answer;
    fields[`${r.id}.evidence_note`] = `Evidence for ${r.id}`;
    fields[`${r.id}.evidence_link`] = "";
    fields[`${r.id}.version`] = String(versions[r.id] ?? 0);
  }
  return fields;
}

const saveDomain = (cookie: string, ods: string, domainKey: string, fields: Record<string, string>) =>
  call(practiceDomain.action, post(`/practices/${ods}/assessment/${domainKey}`, fields, { cookie }), { ods, domain: domainKey });

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these bring
// the annual review to the stage a test needs through the pages, as the ICB lead and practice
// manager would.
const ANNUAL = "Annual review 2026/27";
/** The ICB lead opens the annual review for F84003 and F84013, both not started. */
async function annualReviewOpened() {
  const res = await openCycleAs(c.icbLead, { name: ANNUAL, due_date: FUTURE, scope: "list", practice_codes: "F84003, F84013" });
  expect(res.status).toBe(302);
}
/** Opened, then F84003's manager answers SEC-04 alone (met, with a link): in progress, SEC-04 at version 1. */
async function sec04Answered() {
  await annualReviewOpened();
  const a = await assessmentOf("F84003", ANNUAL);
  const fields = domainFields(a.id, "cyber_ig");
  for (const k of Object.keys(fields))
    if (!k.startsWith("SEC-04") && (k.endsWith(".answer") || k.endsWith(".evidence_note"))) fields[k] = "";
  fields["SEC-04.evidence_link"] = "https://intranet.example.nhs.uk/backups";
  expect((await saveDomain(c.practiceManager, "F84003", "cyber_ig", fields)).status).toBe(302);
}
/** Opened, then F84003 answers every requirement as met and submits, and the ICB lead verifies them all. */
async function f84003Verified() {
  await annualReviewOpened();
  let a = await assessmentOf("F84003", ANNUAL);
  for (const d of ASSESSMENT_DOMAINS)
    expect((await saveDomain(c.practiceManager, "F84003", d.key, domainFields(a.id, d.key))).status, d.key).toBe(302);
  a = await assessmentOf("F84003", ANNUAL);
  const submit = await call(
    practiceSubmit.action,
    post("/practices/F84003/assessment/submit", { assessment_id: String(a.id), version: String(a.version) }, { cookie: c.practiceManager }),
    { ods: "F84003" },
  );
  expect(submit.status).toBe(302);
  a = await assessmentOf("F84003", ANNUAL);
  const verified = await call(
    review.action,
    post(`/assessments/${a.id}/review`, { intent: "verify-all", version: String(a.version) }, { cookie: c.icbLead }),
    { id: String(a.id) },
  );
  expect(verified.data).toMatchObject({ ok: true });
  expect((await assessmentOf("F84003", ANNUAL)).status).toBe("verified");
}

describe("opening a cycle", () => {
  it("an ICB lead opens a cycle for a list of practices, with audit events for the cycle and each assessment", async () => {
    const res = await openCycleAs(c.icbLead, {
      name: "Annual review 2026/27",
      due_date: FUTURE,
      scope: "list",
      practice_codes: "f84003, F84013",
    });
    expect(res.status).toBe(302);
    const cycle = await getDb()
      .selectFrom("assessment_cycle")
      .selectAll()
      .where("name", "=", "Annual review 2026/27")
      .executeTakeFirstOrThrow();
    expect(res.location).toBe(`/icbs/QMF/assessments/${cycle.id}`);
    expect(cycle).toMatchObject({ icb_code: "QMF", due_date: "2099-03-31", closed_at: null });
    const rows = await getDb()
      .selectFrom("assessment")
      .select(["practice_code", "status"])
      .where("cycle_id", "=", cycle.id)
      .orderBy("practice_code")
      .execute();
    expect(rows).toEqual([
      { practice_code: "F84003", status: "not_started" },
      { practice_code: "F84013", status: "not_started" },
    ]);
    expect((await audit("assessment_cycle", cycle.id)).map((a) => a.action)).toEqual(["assessment_cycle.open"]);
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    expect((await audit("assessment", a.id)).map((e) => e.action)).toEqual(["assessment.create"]);
  });

  it("names practices that are not open practices of the ICB, and refuses a name already used", async () => {
    await annualReviewOpened();
    const res = await openCycleAs(c.icbLead, {
      name: "Spot check",
      due_date: FUTURE,
      scope: "list",
      practice_codes: "F84003 A81001 ZZZ999",
    });
    expect(res.status).toBe(400);
    expect(res.data.formError).toBe("These codes are not open practices in this ICB: A81001, ZZZ999.");
    const dup = await openCycleAs(c.icbLead, { name: "Annual review 2026/27", due_date: FUTURE, scope: "all" });
    expect(dup.data.formError).toMatch(/already has a cycle with that name/);
    const past = await openCycleAs(c.icbLead, { name: "Past", due_date: "01/01/2020", scope: "all" });
    expect(past.data.fieldErrors.due_date).toBe("The due date must be today or later");
    expect(await getDb().selectFrom("assessment_cycle").select("name").execute()).toHaveLength(1);
  });

  it("opens for a PCN's practices, and only a lead of that ICB may open one", async () => {
    await annualReviewOpened();
    const res = await openCycleAs(c.icbLead, { name: "Hackney Marshes check", due_date: FUTURE, scope: "pcn", pcn_code: "U05451" });
    expect(res.status).toBe(302);
    expect((await openCycleAs(c.partnerIcb, { name: "DP", due_date: FUTURE, scope: "all" })).status).toBe(403);
    expect((await openCycleAs(c.practiceManager, { name: "PM", due_date: FUTURE, scope: "all" })).status).toBe(404);
    expect((await openCycleAs(c.qhmLead, { name: "QHM", due_date: FUTURE, scope: "all" })).status).toBe(404);
    expect(
      (
        await call(
          icbAssessments.action,
          post("/icbs/QHM/assessments", { name: "Other", due_date: FUTURE, scope: "pcn", pcn_code: "U05451" }, { cookie: c.qhmLead }),
          { code: "QHM" },
        )
      ).data.formError,
    ).toBe("Choose one of this ICB's PCNs.");
    const names = (await getDb().selectFrom("assessment_cycle").select("name").orderBy("id").execute()).map((r) => r.name);
    expect(names).toEqual(["Annual review 2026/27", "Hackney Marshes check"]);
    // Practices answer the cycle opened most recently: close the PCN one so the annual review is current.
    const cycle = await getDb()
      .selectFrom("assessment_cycle")
      .select(["id", "version"])
      .where("name", "=", "Hackney Marshes check")
      .executeTakeFirstOrThrow();
    const closed = await call(
      icbCycle.action,
      post(`/icbs/QMF/assessments/${cycle.id}`, { version: String(cycle.version) }, { cookie: c.icbLead }),
      { code: "QMF", cycleId: String(cycle.id) },
    );
    expect(closed.data).toEqual({ ok: true });
    expect((await audit("assessment_cycle", cycle.id)).map((a) => a.action)).toEqual(["assessment_cycle.open", "assessment_cycle.close"]);
  });
});

describe("answering", () => {
  it("saves part of a domain and comes back to it later, with the answers audited", async () => {
    await annualReviewOpened();
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    const fields = domainFields(a.id, "cyber_ig");
    for (const k of Object.keys(fields)) if (k.endsWith(".answer") && !k.startsWith("SEC-04")) fields[k] = "";
    for (const k of Object.keys(fields)) if (k.endsWith(".evidence_note") && !k.startsWith("SEC-04")) fields[k] = "";
    fields["SEC-04.evidence_link"] = "https://intranet.example.nhs.uk/backups";
    const res = await saveDomain(c.practiceManager, "F84003", "cyber_ig", fields);
    expect(res.status).toBe(302);
    expect(res.location).toBe("/practices/F84003/assessment/premises");
    const page = await call(practiceDomain.loader, get("/practices/F84003/assessment/cyber_ig", c.practiceManager), {
      ods: "F84003",
      domain: "cyber_ig",
    });
    const sec04 = page.data.items.find((i: any) => i.requirement.id === "SEC-04");
    expect(sec04.answer).toMatchObject({ answer: "met", evidence_link: "https://intranet.example.nhs.uk/backups", version: 1 });
    expect(page.data.items.filter((i: any) => i.answer).length).toBe(1);
    expect((await assessmentOf("F84003", "Annual review 2026/27")).status).toBe("in_progress");
    const events = await audit("assessment", a.id);
    expect(events.map((e) => e.action)).toEqual(["assessment.create", "assessment.answer", "assessment.start"]);
    expect(events[1].after).toMatchObject({ requirement_id: "SEC-04", answer: "met" });

    const overview = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(overview.data.progress).toMatchObject({ answered: 1, total: ATTESTED_REQUIREMENTS.length });
    expect(overview.data.domains.find((d: any) => d.key === "cyber_ig")).toMatchObject({ state: "in_progress", answered: 1 });
    expect(overview.data.domains.find((d: any) => d.key === "telephony")).toMatchObject({ state: "not_started", answered: 0 });
  });

  it("takes only https evidence links, and refuses a change made from an out-of-date page", async () => {
    await sec04Answered();
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    const http = await saveDomain(c.practiceManager, "F84003", "cyber_ig", {
      assessment_id: String(a.id),
      "SEC-04.answer": "met",
      "SEC-04.evidence_link": "http://intranet/backups",
      "SEC-04.version": "1",
    });
    expect(http.data.fieldErrors["SEC-04.evidence_link"]).toBe("The evidence link for SEC-04 must be a web address starting with https://");
    const js = await saveDomain(c.practiceManager, "F84003", "cyber_ig", {
      assessment_id: String(a.id),
      "SEC-04.answer": "met",
      "SEC-04.evidence_link": "javascript:alert(1)",
      "SEC-04.version": "1",
    });
    expect(js.data.fieldErrors["SEC-04.evidence_link"]).toMatch(/https:\/\//);
    const stale = await saveDomain(c.practiceManager, "F84003", "cyber_ig", {
      assessment_id: String(a.id),
      "SEC-04.answer": "partial",
      "SEC-04.version": "0",
    });
    expect(stale.data.formError).toMatch(/Someone else changed the answer to SEC-04/);
    const row = await getDb()
      .selectFrom("assessment_answer")
      .select(["answer", "version"])
      .where("assessment_id", "=", a.id)
      .where("requirement_id", "=", "SEC-04")
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ answer: "met", version: 1 });
  });

  it("a practice manager cannot answer for another practice, even by putting its assessment id in the form", async () => {
    await annualReviewOpened();
    const theirs = await assessmentOf("F84013", "Annual review 2026/27");
    const direct = await saveDomain(c.practiceManager, "F84013", "telephony", domainFields(theirs.id, "telephony"));
    expect(direct.status).toBe(404);
    const tampered = await saveDomain(c.practiceManager, "F84003", "telephony", domainFields(theirs.id, "telephony"));
    expect(tampered.status).toBe(404);
    const submitted = await call(
      practiceSubmit.action,
      post(
        "/practices/F84003/assessment/submit",
        { assessment_id: String(theirs.id), version: String(theirs.version) },
        { cookie: c.practiceManager },
      ),
      { ods: "F84003" },
    );
    expect(submitted.status).toBe(404);
    const disputed = await call(
      practiceAssessment.action,
      post("/practices/F84003/assessment", { assessment_id: String(theirs.id), "DEV-02.comment": "Wrong" }, { cookie: c.practiceManager }),
      { ods: "F84003" },
    );
    expect(disputed.status).toBe(404);
    expect(await getDb().selectFrom("assessment_answer").select("id").where("assessment_id", "=", theirs.id).execute()).toEqual([]);
    expect(await getDb().selectFrom("result_dispute").select("id").execute()).toEqual([]);
  });

  it("delivery partners and ICB leads cannot answer", async () => {
    await annualReviewOpened();
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    expect((await saveDomain(c.partnerIcb, "F84003", "telephony", domainFields(a.id, "telephony"))).status).toBe(403);
    expect((await saveDomain(c.icbLead, "F84003", "telephony", domainFields(a.id, "telephony"))).status).toBe(403);
  });
});

describe("submitting and verifying", () => {
  it("refuses to submit until every attestation requirement is answered, naming what is missing", async () => {
    await sec04Answered();
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    const res = await call(
      practiceSubmit.action,
      post(
        "/practices/F84003/assessment/submit",
        { assessment_id: String(a.id), version: String(a.version) },
        { cookie: c.practiceManager },
      ),
      { ods: "F84003" },
    );
    expect(res.status).toBe(400);
    expect(res.data.formError).toMatch(
      new RegExp(
        `^Answer every requirement before you submit\\. These ${ATTESTED_REQUIREMENTS.length - 1} are not answered yet: TEL-\\d+ `,
      ),
    );
    expect(res.data.formError).toMatch(new RegExp(`and ${ATTESTED_REQUIREMENTS.length - 9} more\\.$`));
    expect((await assessmentOf("F84003", "Annual review 2026/27")).status).toBe("in_progress");
  });

  it("a delivery partner cannot verify, nor a lead of another ICB, nor the practice itself", async () => {
    await sec04Answered();
    const a = await assessmentOf("F84003", "Annual review 2026/27");
    const verifyAll = (cookie: string) =>
      call(review.action, post(`/assessments/${a.id}/review`, { intent: "verify-all", version: String(a.version) }, { cookie }), {
        id: String(a.id),
      });
    expect((await verifyAll(c.partnerIcb)).status).toBe(403);
    expect((await verifyAll(c.practiceManager)).status).toBe(403);
    expect((await verifyAll(c.qhmLead)).status).toBe(404);
    expect((await call(review.loader, get(`/assessments/${a.id}/review`, c.qhmLead), { id: String(a.id) })).status).toBe(404);
    expect((await call(review.loader, get(`/assessments/${a.id}/review`, c.partnerIcb), { id: String(a.id) })).status).toBe(403);
    expect((await call(icbCycle.loader, get("/icbs/QMF/assessments/1", c.qhmLead), { code: "QMF", cycleId: "1" })).status).toBe(404);
    // Not submitted yet: even the lead cannot verify.
    expect((await verifyAll(c.icbLead)).data.formError).toMatch(/not waiting for review/);
  });

  it("return → change → resubmit → verify, with every step audited and verified answers becoming compliance results", async () => {
    await sec04Answered();
    const db = getDb();
    let a = await assessmentOf("F84003", "Annual review 2026/27");
    const sec04 = await db
      .selectFrom("assessment_answer")
      .select("version")
      .where("assessment_id", "=", a.id)
      .where("requirement_id", "=", "SEC-04")
      .executeTakeFirstOrThrow();
    for (const d of ASSESSMENT_DOMAINS) {
      const res = await saveDomain(c.practiceManager, "F84003", d.key, domainFields(a.id, d.key, "met", { "SEC-04": sec04.version }));
      expect(res.status, d.key).toBe(302);
    }
    a = await assessmentOf("F84003", "Annual review 2026/27");
    const submit = await call(
      practiceSubmit.action,
      post(
        "/practices/F84003/assessment/submit",
        { assessment_id: String(a.id), version: String(a.version) },
        { cookie: c.practiceManager },
      ),
      { ods: "F84003" },
    );
    expect(submit.location).toBe("/practices/F84003/assessment");
    expect((await assessmentOf("F84003", "Annual review 2026/27")).status).toBe("submitted");

    // Submitted answers are locked.
    const locked = await saveDomain(c.practiceManager, "F84003", "telephony", domainFields(a.id, "telephony", "partial", { "TEL-01": 1 }));
    expect(locked.data?.formError ?? "").toMatch(/submitted/);

    // The queue and the cycle page show it.
    const index = await call(icbAssessments.loader, get("/icbs/QMF/assessments", c.icbLead), { code: "QMF" });
    expect(index.data.queue.rows.map((q: any) => q.practice_code)).toEqual(["F84003"]);
    const annual = index.data.cycles.rows.find((r: any) => r.name === "Annual review 2026/27");
    expect(annual).toMatchObject({ practices: 2, not_started: 1, submitted: 1, overdue: 0 });

    // The lead returns one answer with a comment (required) and verifies another.
    const page = await call(review.loader, get(`/assessments/${a.id}/review`, c.icbLead), { id: String(a.id) });
    expect(page.data.reviewable).toBe(true);
    const answers = page.data.domains.flatMap((d: any) => d.items);
    const bcp = answers.find((i: any) => i.requirement.id === "BCP-01").answer;
    const sec = answers.find((i: any) => i.requirement.id === "SEC-04").answer;
    const noComment = await call(
      review.action,
      post(
        `/assessments/${a.id}/review`,
        { intent: "decide", [`a${bcp.id}.decision`]: "return", [`a${bcp.id}.version`]: String(bcp.version) },
        { cookie: c.icbLead },
      ),
      { id: String(a.id) },
    );
    expect(noComment.data.fieldErrors[`a${bcp.id}.comment`]).toBe("Say what the practice needs to change");
    const decided = await call(
      review.action,
      post(
        `/assessments/${a.id}/review`,
        {
          intent: "decide",
          [`a${bcp.id}.decision`]: "return",
          [`a${bcp.id}.comment`]: "Attach the plan's review date.",
          [`a${bcp.id}.version`]: String(bcp.version),
          [`a${sec.id}.decision`]: "verify",
          [`a${sec.id}.comment`]: "",
          [`a${sec.id}.version`]: String(sec.version),
        },
        { cookie: c.icbLead },
      ),
      { id: String(a.id) },
    );
    expect(decided.data).toMatchObject({ ok: true, message: "2 decisions saved." });
    a = await assessmentOf("F84003", "Annual review 2026/27");
    const rest = await call(
      review.action,
      post(`/assessments/${a.id}/review`, { intent: "verify-all", version: String(a.version) }, { cookie: c.icbLead }),
      { id: String(a.id) },
    );
    expect(rest.data).toMatchObject({ ok: true });
    expect(rest.data.message).toMatch(new RegExp(`^${ATTESTED_REQUIREMENTS.length - 2} answers verified\\. .*gone back to the practice`));
    expect((await assessmentOf("F84003", "Annual review 2026/27")).status).toBe("returned");

    // The practice sees the outcome; only the returned answer can change.
    const overview = await call(practiceAssessment.loader, get("/practices/F84003/assessment", c.practiceManager), { ods: "F84003" });
    expect(overview.data.assessment.status).toBe("returned");
    const bcpItem = overview.data.requirements.flatMap((d: any) => d.items).find((i: any) => i.requirement.id === "BCP-01");
    expect(bcpItem.answer).toMatchObject({ reviewStatus: "returned", reviewComment: "Attach the plan's review date." });
    const verifiedChange = await saveDomain(c.practiceManager, "F84003", "cyber_ig", {
      assessment_id: String(a.id),
      "SEC-04.answer": "not_met",
      "SEC-04.version": String(sec.version + 1),
    });
    expect(verifiedChange.data.formError).toBe("The answer to SEC-04 has been verified and cannot be changed.");
    const bcpRow = await db.selectFrom("assessment_answer").select("version").where("id", "=", bcp.id).executeTakeFirstOrThrow();
    const fixed = await saveDomain(c.practiceManager, "F84003", "business_continuity", {
      assessment_id: String(a.id),
      "BCP-01.answer": "partial",
      "BCP-01.evidence_note": "Plan reviewed 1 October 2026; next review due April 2027.",
      "BCP-01.version": String(bcpRow.version),
    });
    expect(fixed.status).toBe(302);
    a = await assessmentOf("F84003", "Annual review 2026/27");
    const resubmit = await call(
      practiceSubmit.action,
      post(
        "/practices/F84003/assessment/submit",
        { assessment_id: String(a.id), version: String(a.version) },
        { cookie: c.practiceManager },
      ),
      { ods: "F84003" },
    );
    expect(resubmit.status).toBe(302);
    const again = await db
      .selectFrom("assessment_answer")
      .select(["review_status", "answer"])
      .where("id", "=", bcp.id)
      .executeTakeFirstOrThrow();
    expect(again).toEqual({ review_status: "pending", answer: "partial" });

    // Verifying the last answer verifies the assessment.
    a = await assessmentOf("F84003", "Annual review 2026/27");
    const last = await call(
      review.action,
      post(`/assessments/${a.id}/review`, { intent: "verify-all", version: String(a.version) }, { cookie: c.icbLead }),
      { id: String(a.id) },
    );
    expect(last.data.message).toBe("1 answer verified. Every answer is now verified, so the assessment is verified.");
    const done = await db.selectFrom("assessment").select(["status", "verified_at"]).where("id", "=", a.id).executeTakeFirstOrThrow();
    expect(done.status).toBe("verified");
    expect(done.verified_at).toBeInstanceOf(Date);

    const actions = (await audit("assessment", a.id)).map((e) => e.action);
    // Every requirement once, plus SEC-04's first partial save and BCP-01's change after it was returned.
    expect(actions.filter((x) => x === "assessment.answer")).toHaveLength(ATTESTED_REQUIREMENTS.length + 2);
    expect(actions.filter((x) => x === "assessment.verify_answer")).toHaveLength(ATTESTED_REQUIREMENTS.length);
    expect(actions.filter((x) => !["assessment.answer", "assessment.verify_answer"].includes(x))).toEqual([
      "assessment.create",
      "assessment.start",
      "assessment.submit",
      "assessment.return_answer",
      "assessment.returned",
      "assessment.resubmit",
      "assessment.verified",
    ]);

    // Attestation-only answers now count in compliance; register-and-attestation ones are
    // re-checked with the verified answer merged into the register result.
    const compliance = await getPracticeCompliance(db, "F84003", TODAY);
    const result = (id: string) => compliance.requirements.find((r) => r.requirement.id === id)!.result;
    expect(result("BCP-01")).toMatchObject({ status: "partial", asOf: TODAY });
    expect(result("BCP-01")!.reason).toMatch(
      /^The practice attested "Partly met" in its Annual review 2026\/27 self-assessment, verified by the ICB on .*Evidence: Plan reviewed/,
    );
    expect(result("BCP-01")!.evidence).toEqual([
      { type: "attestation", id: String(a.id), label: "Annual review 2026/27 self-assessment", outcome: "fail" },
    ]);
    expect(result("SEC-04")).toMatchObject({ status: "met" });
    expect(result("SEC-05")!.reason).toMatch(
      /In its Annual review 2026\/27 self-assessment the practice attested the rest as met, verified by the ICB on /,
    );
    expect(result("SEC-05")!.evidence.some((e: { type: string }) => e.type === "attestation")).toBe(true);
    // Verifying register-and-attestation answers re-checked the practice, so every requirement in force now has a result
    // (SEC-09 and CLN-03 are only in the 2026 model, and QMF has the 2021-23 one: the practice was not asked them),
    // except the ICB's and delivery partner's duties, which they answer, not the practice (issue 17).
    const inForce = compliance.requirements.filter((r) => inFrameworkVersion(r.requirement.id, DEFAULT_FRAMEWORK_VERSION));
    expect(inForce.length).toBe(compliance.requirements.length - 2);
    const unanswered = inForce.filter((r) => !r.result).map((r) => r.requirement.id);
    expect(unanswered.sort()).toEqual(
      dutiesIn(DEFAULT_FRAMEWORK_VERSION)
        .map((r) => r.id)
        .sort(),
    );
  });
});

describe("disputing an automatic result", () => {
  it("the practice disputes a result with a comment; the lead replies; both audited", async () => {
    await annualReviewOpened();
    const db = getDb();
    await evaluatePractice(db, "F84013", TODAY);
    const a = await assessmentOf("F84013", "Annual review 2026/27");
    const raise = (comment: string) =>
      call(
        practiceAssessment.action,
        post("/practices/F84013/assessment", { assessment_id: String(a.id), "DEV-02.comment": comment }, { cookie: c.otherManager }),
        { ods: "F84013" },
      );
    expect((await raise("")).data.fieldErrors["DEV-02.comment"]).toBe("Say why you think this result is wrong");
    expect((await raise("Our PCs were replaced in October.")).data).toEqual({ ok: true, target: "DEV-02" });
    expect((await raise("Again")).data.formError).toMatch(/already disputed the result for DEV-02/);
    const attested = await call(
      practiceAssessment.action,
      post("/practices/F84013/assessment", { assessment_id: String(a.id), "BCP-01.comment": "x" }, { cookie: c.otherManager }),
      { ods: "F84013" },
    );
    expect(attested.data.formError).toBe("Only results checked automatically from the registers can be disputed.");
    const dp = await call(
      practiceAssessment.action,
      post("/practices/F84013/assessment", { assessment_id: String(a.id), "DEV-03.comment": "x" }, { cookie: c.partnerIcb }),
      { ods: "F84013" },
    );
    expect(dp.status).toBe(403);

    const page = await call(review.loader, get(`/assessments/${a.id}/review`, c.icbLead), { id: String(a.id) });
    const [dispute] = page.data.disputes;
    expect(dispute).toMatchObject({ requirement_id: "DEV-02", status: "open", comment: "Our PCs were replaced in October." });
    expect(dispute.currentReason).toBeTruthy();
    const reply = await call(
      review.action,
      post(
        `/assessments/${a.id}/review`,
        {
          intent: "resolve-dispute",
          [`d${dispute.id}.outcome`]: "accepted",
          [`d${dispute.id}.resolution_comment`]: "The partner will update the register.",
          [`d${dispute.id}.version`]: String(dispute.version),
        },
        { cookie: c.icbLead },
      ),
      { id: String(a.id) },
    );
    expect(reply.data).toMatchObject({ ok: true });
    const twice = await call(
      review.action,
      post(
        `/assessments/${a.id}/review`,
        {
          intent: "resolve-dispute",
          [`d${dispute.id}.outcome`]: "rejected",
          [`d${dispute.id}.resolution_comment`]: "No",
          [`d${dispute.id}.version`]: String(dispute.version),
        },
        { cookie: c.icbLead },
      ),
      { id: String(a.id) },
    );
    expect(twice.data.formError).toBe("This dispute has already been answered.");
    const overview = await call(practiceAssessment.loader, get("/practices/F84013/assessment", c.otherManager), { ods: "F84013" });
    expect(overview.data.disputes).toMatchObject([
      { requirement_id: "DEV-02", status: "accepted", resolution_comment: "The partner will update the register." },
    ]);
    expect((await audit("assessment", a.id)).map((e) => e.action).slice(-2)).toEqual(["assessment.dispute", "assessment.dispute_resolve"]);
  });
});

describe("cycle progress", () => {
  it("counts practices by status, flags overdue ones and filters by them", async () => {
    await f84003Verified();
    const db = getDb();
    const cycle = await db
      .selectFrom("assessment_cycle")
      .select(["id"])
      .where("name", "=", "Annual review 2026/27")
      .executeTakeFirstOrThrow();
    await db.updateTable("assessment_cycle").set({ due_date: "2020-01-01" }).where("id", "=", cycle.id).execute();
    const params = { code: "QMF", cycleId: String(cycle.id) };
    const all = await call(icbCycle.loader, get(`/icbs/QMF/assessments/${cycle.id}`, c.icbLead), params);
    expect(all.data.counts).toMatchObject({ practices: 2, not_started: 1, verified: 1, overdue: 1 });
    expect(all.data.practices.rows.map((r: any) => [r.practice_code, r.status, r.overdue, r.answered])).toEqual([
      ["F84003", "verified", false, ATTESTED_REQUIREMENTS.length],
      ["F84013", "not_started", true, 0],
    ]);
    expect(all.data.practices.rows[1].open_disputes).toBe(0);
    const overdue = await call(icbCycle.loader, get(`/icbs/QMF/assessments/${cycle.id}?status=overdue`, c.icbLead), params);
    expect(overdue.data.practices.rows.map((r: any) => r.practice_code)).toEqual(["F84013"]);
    const search = await call(icbCycle.loader, get(`/icbs/QMF/assessments/${cycle.id}?q=clapton`, c.partnerIcb), params);
    expect(search.data.practices.rows.map((r: any) => r.practice_code)).toEqual(["F84003"]);
    expect(search.data.canVerify).toBe(false);
    const practicePage = await call(practiceAssessment.loader, get("/practices/F84013/assessment", c.otherManager), { ods: "F84013" });
    expect(practicePage.data.assessment.overdue).toBe(true);
  });

  it("closing a cycle stops answers changing", async () => {
    // Its due date passed, so its practices are overdue until it closes.
    await annualReviewOpened();
    await getDb().updateTable("assessment_cycle").set({ due_date: "2020-01-01" }).where("name", "=", ANNUAL).execute();
    const db = getDb();
    const cycle = await db
      .selectFrom("assessment_cycle")
      .select(["id", "version"])
      .where("name", "=", "Annual review 2026/27")
      .executeTakeFirstOrThrow();
    const stale = await call(
      icbCycle.action,
      post(`/icbs/QMF/assessments/${cycle.id}`, { version: String(cycle.version + 5) }, { cookie: c.icbLead }),
      { code: "QMF", cycleId: String(cycle.id) },
    );
    expect(stale.data.formError).toMatch(/Someone else changed this cycle/);
    expect(
      (
        await call(
          icbCycle.action,
          post(`/icbs/QMF/assessments/${cycle.id}`, { version: String(cycle.version) }, { cookie: c.partnerIcb }),
          { code: "QMF", cycleId: String(cycle.id) },
        )
      ).status,
    ).toBe(403);
    const closed = await call(
      icbCycle.action,
      post(`/icbs/QMF/assessments/${cycle.id}`, { version: String(cycle.version) }, { cookie: c.icbLead }),
      { code: "QMF", cycleId: String(cycle.id) },
    );
    expect(closed.data).toEqual({ ok: true });
    const a = await assessmentOf("F84013", "Annual review 2026/27");
    const res = await saveDomain(c.otherManager, "F84013", "telephony", domainFields(a.id, "telephony"));
    expect(res.data.formError).toBe("The Annual review 2026/27 cycle has closed, so answers can no longer be changed.");
    const counts = await call(icbCycle.loader, get(`/icbs/QMF/assessments/${cycle.id}`, c.icbLead), {
      code: "QMF",
      cycleId: String(cycle.id),
    });
    expect(counts.data.counts.overdue).toBe(0);
  });
});

describe("the framework version in force decides what is asked", () => {
  it("asks only the self-assessed requirements of the ICB's version: SEC-09 and CLN-03 under 2026, not under 2021-23", async () => {
    await annualReviewOpened();
    const db = getDb();
    const ids = (page: { data: { items: { requirement: { id: string } }[] } }) => page.data.items.map((i) => i.requirement.id);
    const cyberPage = () =>
      call(practiceDomain.loader, get("/practices/F84013/assessment/cyber_ig", c.otherManager), { ods: "F84013", domain: "cyber_ig" });
    const overview = () => call(practiceAssessment.loader, get("/practices/F84013/assessment", c.otherManager), { ods: "F84013" });

    // QMF has not chosen: the 2021-23 model, which has neither.
    expect(DEFAULT_FRAMEWORK_VERSION).toBe("2021-23");
    expect(ids(await cyberPage())).not.toContain("SEC-09");
    expect((await overview()).data.progress.total).toBe(attestedIn("2021-23").length);
    expect(attestedIn("2021-23").map((r) => r.id)).not.toContain("CLN-03");

    await db
      .insertInto("icb_policy")
      .values({ icb_code: "QMF", key: "framework_version", value: JSON.stringify("2026") })
      .execute();
    try {
      expect(ids(await cyberPage())).toContain("SEC-09");
      expect((await overview()).data.progress.total).toBe(attestedIn("2026").length);
      expect(attestedIn("2026").length).toBe(attestedIn("2021-23").length + 2);
      expect(attestedIn("2026").map((r) => r.id)).toEqual(expect.arrayContaining(["SEC-09", "CLN-03"]));
    } finally {
      await db.deleteFrom("icb_policy").where("icb_code", "=", "QMF").where("key", "=", "framework_version").execute();
    }
  });
});
