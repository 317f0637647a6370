import { describe, expect, it } from "vitest";
import { listAuditForEntity } from "~/modules/audit/repository.server";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { POLICY_KEYS } from "~/modules/catalogue/policy";
import { findJob } from "~/modules/queue/repository.server";
import "~/modules/jobs/recheck.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as icbPage from "~/routes/icbs.$code_.compliance._index";
import * as policy from "~/routes/icbs.$code_.policy";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addMainSites, addPractices } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { call, get, noticeFor, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";

const Q = { code: "QMF" };

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  await addPractices(db, 3, "T");
  await evaluateScope(db, { icb: "QMF" }, todayIso());
});

const load = (qs = "", cookie = cookies.icbLead) => call(policy.loader, get(`/icbs/QMF/policy${qs}`, cookie), Q);
const send = (fields: Record<string, string>, cookie = cookies.icbLead) =>
  call(policy.action, post("/icbs/QMF/policy", fields, { cookie }), Q);
const entry = (data: any, key: string) => data.groups.flatMap((g: any) => g.entries).find((e: any) => e.key === key);
const dev05 = async (ods: string) =>
  (
    await getDb()
      .selectFrom("evaluation_result")
      .select(["status", "as_of"])
      .where("practice_code", "=", ods)
      .where("requirement_id", "=", "DEV-05")
      .where("as_of", "<=", todayIso())
      .orderBy("as_of", "desc")
      .executeTakeFirstOrThrow()
  ).status;

// Each test starts from the national defaults and the results beforeAll stored (its own
// transaction, rolled back after it).
/** The ICB lead sets the desktop age limit to one year (version 1), through the page. */
const desktopAgeSetToOne = async () =>
  expect((await send({ intent: "set", key: "max_age_desktop", value: "1", version: "" })).status).toBe(302);

describe("an ICB's local policy page", () => {
  it("shows every value beside its national default, with unconfirmed defaults marked and their source", async () => {
    const { status, data } = await load();
    expect(status).toBe(200);
    expect(data.canManage).toBe(true);
    expect(data.groups.flatMap((g: any) => g.entries)).toHaveLength(POLICY_KEYS.length);
    expect(entry(data, "max_age_desktop")).toMatchObject({
      value: 5,
      default: 5,
      valueText: "5 years",
      defaultText: "5 years",
      overridden: false,
      unconfirmed: true,
      version: null,
    });
    expect(entry(data, "max_age_desktop").source).toMatch(/No national age limit/);
    expect(entry(data, "remote_capacity_share")).toMatchObject({ unconfirmed: false, valueText: "60%" });
    expect(data.openPractices).toBe(5);
  });

  it("is read-only for a delivery partner: no edit form, and a change is refused with 403", async () => {
    const { data } = await load("?edit=max_age_desktop", cookies.partnerIcb);
    expect(data).toMatchObject({ canManage: false, editing: null });
    expect((await send({ intent: "set", key: "max_age_desktop", value: "3", version: "" }, cookies.partnerIcb)).status).toBe(403);
    expect((await send({ intent: "reset", key: "max_age_desktop", version: "1" }, cookies.partnerIcb)).status).toBe(403);
    expect((await send({ intent: "recheck" }, cookies.partnerIcb)).status).toBe(403);
    expect((await send({ intent: "set", key: "max_age_desktop", value: "3", version: "" }, cookies.practiceManager)).status).toBe(404);
    expect((await load("", cookies.icbLead)).data.overridden).toBe(0);
  });

  it("lets the ICB lead change a value, with an audit event, then offers to re-check the ICB", async () => {
    const { data: form } = await load("?edit=max_age_desktop");
    expect(form.editing).toMatchObject({ key: "max_age_desktop", kind: "number", min: 1, max: 15, version: null });
    const res = await send({ intent: "set", key: "max_age_desktop", value: "1", version: "" });
    expect(res.status).toBe(302);
    // The banner is a notice on the session (shown once), not in the address.
    expect(res.location).toBe("/icbs/QMF/policy");
    expect(await noticeFor(cookies.icbLead)).toEqual({
      notice: "policy-changed",
      path: "/icbs/QMF/policy",
      detail: { key: "max_age_desktop" },
    });
    const { data } = await load("");
    expect(data.changed).toMatchObject({ key: "max_age_desktop", text: "1 year", overridden: true });
    expect((await load("")).data.changed).toBeNull();
    expect(entry(data, "max_age_desktop")).toMatchObject({
      value: 1,
      default: 5,
      overridden: true,
      version: 1,
      setBy: "lead@test.nhs.test",
    });
    const audit = await listAuditForEntity(getDb(), "icb_policy", "QMF:max_age_desktop");
    expect(audit.map((a) => [a.action, a.after])).toEqual([["policy.set", { value: 1, version: 1 }]]);
    // The edit form shows the value's history.
    expect((await load("?edit=max_age_desktop")).data.history).toHaveLength(1);
    // Stored results are not re-computed by the change itself: the ICB page says so.
    expect(await dev05("T00001")).toBe("met");
    const icb = await call(icbPage.loader, get("/icbs/QMF/compliance", cookies.icbLead), Q);
    expect(icb.data.policyChangedSinceRun).toBe(true);
  });

  it("re-checks the ICB on request, applying the new value", async () => {
    await desktopAgeSetToOne();
    // Queued as a background job (issue 12); its outcome carries the counts.
    const res = await send({ intent: "recheck" });
    expect(res.status).toBe(302);
    const jobId = Number(res.location!.replace("/jobs/", ""));
    expect(await runPendingJobs(getDb())).toEqual([jobId]);
    const job = await findJob(getDb(), jobId);
    expect(job).toMatchObject({ status: "done", result: { practices: 5 } });
    expect((job!.result as { written: number }).written).toBeGreaterThan(0);
    // Its two desktops bought in January 2024 are over a one-year limit; its laptop keeps the laptop limit.
    expect(await dev05("T00001")).toBe("partial");
    const icb = await call(icbPage.loader, get("/icbs/QMF/compliance", cookies.icbLead), Q);
    expect(icb.data.policyChangedSinceRun).toBe(false);
  });

  it("refuses a stale version with a conflict message, keeping what was typed", async () => {
    await desktopAgeSetToOne();
    const res = await send({ intent: "set", key: "max_age_desktop", value: "7", version: "" });
    expect(res.status).toBe(409);
    expect(res.data.ok).toBe(false);
    expect(res.data.formError).toMatch(/Someone else changed this policy value/);
    expect(res.data.values).toMatchObject({ value: "7" });
    expect((await send({ intent: "set", key: "max_age_desktop", value: "7", version: "5" })).data.formError).toMatch(
      /Someone else changed/,
    );
    expect(entry((await load()).data, "max_age_desktop")).toMatchObject({ value: 1, version: 1 });
  });

  it("checks the value against the setting's own limits and reads dates as people type them", async () => {
    const tooBig = await send({ intent: "set", key: "max_age_laptop", value: "99", version: "" });
    expect(tooBig.data.fieldErrors).toEqual({ value: "Maximum age of a laptop must be at most 15" });
    const blank = await send({ intent: "set", key: "max_age_laptop", value: " ", version: "" });
    expect(blank.data.fieldErrors).toEqual({ value: "Enter a value" });
    const unknown = await send({ intent: "set", key: "coffee_budget", value: "1", version: "" });
    expect(unknown.data.fieldErrors).toEqual({ key: "That is not a local policy setting." });
    const date = await send({ intent: "set", key: "pstn_switch_off_date", value: "31/03/2027", version: "" });
    expect(date.status).toBe(302);
    expect(entry((await load()).data, "pstn_switch_off_date")).toMatchObject({
      value: "2027-03-31",
      valueText: "31 March 2027",
      overridden: true,
    });
    const choice = await send({ intent: "set", key: "user_count_basis", value: "list_size", version: "" });
    expect(choice.status).toBe(302);
    expect((await send({ intent: "set", key: "user_count_basis", value: "staff", version: "1" })).data.fieldErrors.value).toMatch(
      /Choose one of/,
    );
  });

  it("resets a value to the national default, refusing a stale version", async () => {
    await desktopAgeSetToOne();
    expect((await send({ intent: "reset", key: "max_age_desktop", version: "9" })).data.formError).toMatch(/Someone else changed/);
    const res = await send({ intent: "reset", key: "max_age_desktop", version: "1" });
    expect(res.status).toBe(302);
    expect(entry((await load()).data, "max_age_desktop")).toMatchObject({ value: 5, overridden: false, version: null });
    expect((await listAuditForEntity(getDb(), "icb_policy", "QMF:max_age_desktop"))[0].action).toBe("policy.reset");
  });

  it("lets an admin change any ICB's policy; another ICB's lead cannot see this one", async () => {
    const res = await call(
      policy.action,
      post("/icbs/QHM/policy", { intent: "set", key: "patch_window_days", value: "21", version: "" }, { cookie: cookies.admin }),
      { code: "QHM" },
    );
    expect(res.status).toBe(302);
    expect((await call(policy.loader, get("/icbs/QHM/policy", cookies.icbLead), { code: "QHM" })).status).toBe(404);
  });
});
