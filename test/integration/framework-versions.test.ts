import { describe, expect, it } from "vitest";
import { listAuditForEntity } from "~/modules/audit/repository.server";
import { recordAttestedResults } from "~/modules/compliance/attestation.server";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import "~/modules/jobs/recheck.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as policy from "~/routes/icbs.$code_.policy";
import * as practicePage from "~/routes/practices.$ods.compliance._index";
import { getDb } from "~/utils/db.server";
import { icbChangeStamp } from "~/utils/icb-cache.server";
import { todayIso } from "~/utils/today";
import { addMainSites } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { call, get, noticeFor, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";
import { unpackRows } from "~/modules/compliance/practice-rows-wire";

// Issue #13 item 8: each ICB chooses the framework version in force. SEC-09 (NIS incident
// reporting) and CLN-03 (clinical system migration) come from the 2026 ICB-practice agreement
// only; QMF (F84003, F84013) and QHM (A81001) start on 2026, then QMF goes back to 2021-23.

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  await evaluateScope(db, { all: true }, todayIso());
});

const load = (icb: string, qs = "", cookie = cookies.icbLead) =>
  call(policy.loader, get(`/icbs/${icb}/policy${qs}`, cookie), { code: icb });
const send = (icb: string, fields: Record<string, string>, cookie = cookies.icbLead) =>
  call(policy.action, post(`/icbs/${icb}/policy`, fields, { cookie }), { code: icb });
const entry = (data: any) => data.groups.flatMap((g: any) => g.entries).find((e: any) => e.key === "framework_version");

/** The stored result in force today for a practice and requirement. */
async function inForce(ods: string, requirementId: string) {
  return getDb()
    .selectFrom("evaluation_result")
    .select(["status", "reason"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", requirementId)
    .where("as_of", "<=", todayIso())
    .orderBy("as_of", "desc")
    .executeTakeFirst();
}
const gapOf = (ods: string, requirementId: string) =>
  getDb()
    .selectFrom("gap")
    .select(["id", "status", "closed_on"])
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", requirementId)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();

/** Switches an ICB through its policy page and returns the queued job's id. */
async function switchTo(icb: string, version: string, cookie: string | undefined) {
  const current = entry((await load(icb, "", cookie)).data);
  const res = await send(
    icb,
    { intent: "set", key: "framework_version", value: version, version: current.version === null ? "" : String(current.version) },
    cookie,
  );
  expect(res.status).toBe(302);
  const notice = await noticeFor(cookie ?? cookies.icbLead);
  expect(notice, res.location ?? undefined).toMatchObject({
    notice: "policy-changed",
    detail: { key: "framework_version", job: expect.any(Number) },
  });
  return notice!.detail.job as number;
}

// Each test starts with both ICBs on the default version and today's results (its own
// transaction, rolled back after it); these bring the ICBs to a stage through the policy page and
// the queued re-checks, as the earlier steps did.
const attested = (practiceCode: string, requirementId: string) => ({
  practiceCode,
  requirementId,
  asOf: todayIso(),
  status: "not_met" as const,
  reason: "Attested as not met.",
  evidence: [],
  userId: null,
});
/** Verified self-assessments: SEC-09 not met at F84003 and A81001, CLN-03 at F84003. */
const recordVerifiedAnswers = () =>
  recordAttestedResults(getDb(), [attested("F84003", "SEC-09"), attested("F84003", "CLN-03"), attested("A81001", "SEC-09")]);
/** The ICB funds F84003's CLN-03 gap. */
const fundF84003Cln03 = () =>
  getDb()
    .updateTable("gap")
    .set({ status: "funded" })
    .where("practice_code", "=", "F84003")
    .where("requirement_id", "=", "CLN-03")
    .execute();
/**
 * QMF (by its lead) and QHM (by an admin) on 2026, re-checked; SEC-09 verified not met at F84003
 * and A81001, CLN-03 at F84003, whose CLN-03 gap the ICB has funded.
 */
async function bothOn2026WithAnswers() {
  const jobs = [await switchTo("QMF", "2026", cookies.icbLead), await switchTo("QHM", "2026", cookies.admin)];
  expect((await runPendingJobs(getDb())).sort()).toEqual(jobs.sort());
  await recordVerifiedAnswers();
  await fundF84003Cln03();
}
/** Then QMF back on 2021-23 (its policy value at version 2), re-checked. */
async function qmfBackOn2021() {
  await bothOn2026WithAnswers();
  const job = await switchTo("QMF", "2021-23", cookies.icbLead);
  expect(await runPendingJobs(getDb())).toEqual([job]);
}
/** Then QMF on 2026 again (version 3), re-checked. */
async function qmfOn2026Again() {
  await qmfBackOn2021();
  const job = await switchTo("QMF", "2026", cookies.icbLead);
  expect(await runPendingJobs(getDb())).toEqual([job]);
}

describe("framework version in force per ICB", () => {
  it("defaults to the 2021-23 model, shown with both versions' effective dates and sources", async () => {
    const { data } = await load("QMF");
    expect(entry(data)).toMatchObject({ value: "2021-23", default: "2021-23", overridden: false, version: null, kind: "choice" });
    expect(
      data.frameworkVersions.map((v: any) => [
        v.id,
        v.effectiveFrom,
        v.effectiveFromUnconfirmed,
        v.inForce,
        v.sources.map((s: any) => s.ref),
      ]),
    ).toEqual([
      ["2021-23", "2021-04-01", true, true, ["S1", "S9"]],
      ["2026", "2026-05-27", true, false, ["S16"]],
    ]);
  });

  it("is changed only by the ICB's lead or an admin: a delivery partner gets 403, a practice manager and another ICB's lead 404", async () => {
    const fields = { intent: "set", key: "framework_version", value: "2026", version: "" };
    expect((await send("QMF", fields, cookies.partnerIcb)).status).toBe(403);
    expect((await send("QMF", fields, cookies.partnerPractice)).status).toBe(404);
    expect((await send("QMF", fields, cookies.practiceManager)).status).toBe(404);
    expect((await send("QHM", fields, cookies.icbLead)).status).toBe(404);
    expect(entry((await load("QMF")).data).overridden).toBe(false);
  });

  it("queues a re-check of the ICB with the change, audited, and judges nothing in the request", async () => {
    const qmf = await switchTo("QMF", "2026", cookies.icbLead);
    const qhm = await switchTo("QHM", "2026", cookies.admin);
    // The page after the change: the value, and (once) the re-check it queued.
    const after = (await load("QMF")).data;
    expect(entry(after)).toMatchObject({ value: "2026", overridden: true, version: 1 });
    expect(after.recheck).toEqual({ job: qmf });
    expect((await load("QMF")).data.recheck).toEqual({});
    const audit = await listAuditForEntity(getDb(), "icb_policy", "QMF:framework_version");
    expect(audit.map((a) => [a.action, a.after])).toEqual([["policy.set", { value: "2026", version: 1 }]]);
    const queued = (await listAuditForEntity(getDb(), "icb", "QMF")).filter((a) => a.action === "compliance.recheck.queue");
    expect(queued.map((a) => (a.after as { jobId: number }).jobId)).toEqual([qmf]);
    expect((await runPendingJobs(getDb())).sort()).toEqual([qmf, qhm].sort());

    // Verified self-assessments under 2026: SEC-09 not met at a practice in each ICB, CLN-03 at F84003.
    await recordVerifiedAnswers();
    expect(await gapOf("F84003", "SEC-09")).toMatchObject({ status: "open" });
    // The ICB has funded F84003's CLN-03 gap.
    await fundF84003Cln03();
  });

  it("going back to 2021-23 sets aside that ICB's 2026-only results and closes their unfunded gaps; funded gaps and the other ICB are untouched", async () => {
    await bothOn2026WithAnswers();
    const job = await switchTo("QMF", "2021-23", cookies.icbLead);
    // The request itself changed no result.
    expect(await inForce("F84003", "SEC-09")).toMatchObject({ status: "not_met" });
    expect(await runPendingJobs(getDb())).toEqual([job]);

    expect(await inForce("F84003", "SEC-09")).toMatchObject({
      status: "not_applicable",
      reason: expect.stringMatching(/not part of the GP IT operating model 2021-23/),
    });
    expect(await inForce("F84003", "CLN-03")).toMatchObject({ status: "not_applicable" });
    const sec09 = await gapOf("F84003", "SEC-09");
    expect(sec09).toMatchObject({ status: "closed", closed_on: todayIso() });
    const event = await getDb()
      .selectFrom("gap_event")
      .select("detail")
      .where("gap_id", "=", sec09.id)
      .where("kind", "=", "closed")
      .executeTakeFirstOrThrow();
    expect(event.detail).toMatch(/not in the framework version the ICB now has in force/);
    // Money already committed is not written off by the version change.
    expect(await gapOf("F84003", "CLN-03")).toMatchObject({ status: "funded", closed_on: null });
    // QHM stays on 2026: its practice's SEC-09 result and gap are as they were.
    expect(await inForce("A81001", "SEC-09")).toMatchObject({ status: "not_met" });
    expect(await gapOf("A81001", "SEC-09")).toMatchObject({ status: "open", closed_on: null });
    // Automatic requirements are in both versions: nothing else changed for QMF.
    expect(await inForce("F84003", "DEV-09")).not.toMatchObject({ status: "not_applicable" });

    // The practice's page says which version it is judged against, and which requirements are outside it.
    const page = await call(practicePage.loader, get("/practices/F84003/compliance", cookies.practiceManager), { ods: "F84003" });
    expect(page.data.frameworkVersion).toEqual({ id: "2021-23", name: "GP IT operating model 2021-23" });
    const row = (id: string) => unpackRows(page.data.rows).find((r) => r.requirement.id === id);
    expect(row("SEC-09")).toMatchObject({ inForce: false, result: { status: "not_applicable" } });
    expect(row("BCP-01")).toMatchObject({ inForce: true, requirement: { title: "Practice continuity plan" } });

    // A verification under 2021-23 of an answer to a 2026-only requirement is stored set aside: no gap opens.
    await recordAttestedResults(getDb(), [attested("F84013", "SEC-09")]);
    expect(await inForce("F84013", "SEC-09")).toMatchObject({ status: "not_applicable" });
    expect(
      await getDb().selectFrom("gap").select("id").where("practice_code", "=", "F84013").where("requirement_id", "=", "SEC-09").execute(),
    ).toEqual([]);

    // Re-checking again with nothing changed writes nothing.
    const again = await evaluateScope(getDb(), { icb: "QMF" }, todayIso());
    expect(again.counts.written).toBe(0);
    expect(again.counts.gaps).toEqual({ opened: 0, changed: 0, closed: 0 });
  });

  it("back on 2026, a set-aside answer is not known until verified again", async () => {
    await qmfBackOn2021();
    const job = await switchTo("QMF", "2026", cookies.icbLead);
    expect(await runPendingJobs(getDb())).toEqual([job]);
    expect(await inForce("F84003", "SEC-09")).toMatchObject({ status: "unknown", reason: expect.stringMatching(/needs verifying again/) });
    expect(await gapOf("F84003", "CLN-03")).toMatchObject({ status: "funded", closed_on: null });
  });

  it("moves the change stamps the ICB's cached pages are keyed on: the choice its own, the versions' rows everyone's", async () => {
    await qmfOn2026Again();
    const db = getDb();
    const stamps = async () => [await icbChangeStamp(db, "QMF"), await icbChangeStamp(db, "QHM")];
    const before = await stamps();
    await db
      .updateTable("icb_policy")
      .set({ updated_at: new Date() })
      .where("icb_code", "=", "QMF")
      .where("key", "=", "framework_version")
      .execute();
    const afterChoice = await stamps();
    expect([afterChoice[0] !== before[0], afterChoice[1] !== before[1]]).toEqual([true, false]);
    await db.updateTable("framework_version").set({ updated_at: new Date() }).where("id", "=", "2026").execute();
    const afterVersions = await stamps();
    expect([afterVersions[0] !== afterChoice[0], afterVersions[1] !== afterChoice[1]]).toEqual([true, true]);
    // The catalogue sync wrote both versions with their dates and sources.
    const rows = await db
      .selectFrom("framework_version")
      .select(["id", "effective_from", "effective_from_unconfirmed", "sources"])
      .orderBy("sort_order")
      .execute();
    expect(
      rows.map((r) => [r.id, r.effective_from, r.effective_from_unconfirmed, (r.sources as { ref: string }[]).map((x) => x.ref)]),
    ).toEqual([
      ["2021-23", "2021-04-01", true, ["S1", "S9"]],
      ["2026", "2026-05-27", true, ["S16"]],
    ]);
    const sec09 = await db
      .selectFrom("requirement")
      .select(["introduced_in", "versions"])
      .where("id", "=", "SEC-09")
      .executeTakeFirstOrThrow();
    expect(sec09).toMatchObject({ introduced_in: "2026", versions: [{ version: "2026", unconfirmed: false }] });
  });

  it("refuses a stale edit with a conflict message and changes nothing", async () => {
    await qmfOn2026Again();
    const res = await send("QMF", { intent: "set", key: "framework_version", value: "2021-23", version: "1" });
    expect(res.status).toBe(409);
    expect(res.data.formError).toMatch(/Someone else changed this policy value/);
    expect(entry((await load("QMF")).data)).toMatchObject({ value: "2026", version: 3 });
    const bad = await send("QMF", { intent: "set", key: "framework_version", value: "2019-21", version: "3" });
    expect(bad.data.fieldErrors.value).toMatch(/Choose one of/);
  });
});
