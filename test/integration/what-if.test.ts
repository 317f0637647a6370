import { beforeAll, describe, expect, it } from "vitest";
import { runEvaluateCli } from "~/modules/compliance/cli.server";
import { evaluatePractice, evaluateScope } from "~/modules/compliance/evaluate.server";
import { backfillHistory } from "~/modules/compliance/history.server";
import { getPracticeCompliance } from "~/modules/compliance/service.server";
import { syncGaps } from "~/modules/gaps/sync.server";
import { getDb } from "~/utils/db.server";
import { addDays, todayIso } from "~/utils/today";
import { seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";
import { snapshotStored } from "../support/table-snapshot";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const gap = (ods: string, req: string) =>
  getDb()
    .selectFrom("gap")
    .selectAll()
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", req)
    .orderBy("id", "desc")
    .executeTakeFirstOrThrow();

const today = todayIso();

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedGaps(db);
});

describe("what-if evaluation writes nothing", () => {
  it("npm run evaluate with a future --as-of prints the results and leaves results and gaps byte-for-byte unchanged", async () => {
    const before = await snapshotStored(getDb());
    const c = capture();
    await runEvaluateCli(["--icb", "QMF", "--as-of", "2027-06-01"], getDb(), c.io);
    const text = c.out.join("");
    expect(text).toMatch(/What-if: compliance as of 2027-06-01 \(icb:QMF\).*Nothing was stored/);
    expect(text).toMatch(/F84003 +LOWER CLAPTON GENERAL PRACTICE +\d+/);
    expect(text).toMatch(/Nothing was written: no results, no gaps/);
    expect(await snapshotStored(getDb())).toEqual(before);
  });

  it("a back-dated --as-of is a what-if too, and --json says so", async () => {
    const before = await snapshotStored(getDb());
    const c = capture();
    await runEvaluateCli(["--practice", "F84003", "--as-of", "2025-10-14", "--json"], getDb(), c.io);
    const data = JSON.parse(c.out.join(""));
    expect(data).toMatchObject({ mode: "what-if", stored: false, asOf: "2025-10-14", scope: "practices:F84003" });
    // On 14 October 2025 Windows 10 22H2 was still supported: the results differ from today's.
    expect(data.counts.differFromStored).toBeGreaterThan(0);
    expect(await snapshotStored(getDb())).toEqual(before);
  });

  it("refuses to store an evaluation dated after today", async () => {
    const before = await snapshotStored(getDb());
    await expect(evaluateScope(getDb(), { icb: "QMF" }, addDays(today, 1))).rejects.toThrow(/after today.*never stored/);
    await expect(evaluatePractice(getDb(), "F84003", "2027-06-01")).rejects.toThrow(/after today/);
    expect(await snapshotStored(getDb())).toEqual(before);
  });
});

describe("the gap register follows today's estate only", () => {
  it("a back-dated stored run does not re-open a gap or open one first seen in the past", async () => {
    const db = getDb();
    const gapsBefore = (await snapshotStored(db)).gap;
    // On 1 June 2025 the Windows 10 devices were supported, so DEV-02 was met then; stored
    // results after that date make this run history as far as the register is concerned.
    await evaluatePractice(db, "F84003", "2025-06-01");
    expect((await snapshotStored(db)).gap).toEqual(gapsBefore);
    const open = await gap("F84003", "DEV-02");
    expect(open).toMatchObject({ status: "open", first_seen: today, closed_on: null });
  });

  it("a funded or in-delivery gap is closed only by an evaluation dated today", async () => {
    const db = getDb();
    const g = await gap("F84013", "DEV-02");
    await db.updateTable("gap").set({ status: "funded" }).where("id", "=", g.id).execute();
    const met = [{ practiceCode: "F84013", requirementId: "DEV-02", status: "met" as const, reason: "All supported.", units: [] }];
    // An outcome dated another day (yesterday, as if today were tomorrow) leaves the funded gap alone…
    expect(await syncGaps(db, met, today, { today: addDays(today, 1) })).toEqual({ opened: 0, changed: 0, closed: 0 });
    await db.updateTable("gap").set({ status: "in_delivery" }).where("id", "=", g.id).execute();
    expect(await syncGaps(db, met, today, { today: addDays(today, 1) })).toEqual({ opened: 0, changed: 0, closed: 0 });
    expect(await gap("F84013", "DEV-02")).toMatchObject({ status: "in_delivery", closed_on: null });
    // …and so does a what-if run after the estate is fixed.
    await db
      .updateTable("device")
      .set({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" })
      .where("practice_code", "=", "F84013")
      .execute();
    await runEvaluateCli(["--practice", "F84013", "--as-of", "2027-06-01"], db, capture().io);
    await runEvaluateCli(["--practice", "F84013", "--as-of", "2026-01-01"], db, capture().io);
    expect(await gap("F84013", "DEV-02")).toMatchObject({ status: "in_delivery", closed_on: null });
    // The real change in the estate, evaluated today, closes it.
    await evaluatePractice(db, "F84013", today);
    expect(await gap("F84013", "DEV-02")).toMatchObject({ status: "closed", closed_on: today });
  });
});

describe("historic backfill", () => {
  it("writes history rows only: no gap changes and today's results unchanged", async () => {
    const db = getDb();
    const before = await snapshotStored(db);
    const todayResults = await getPracticeCompliance(db, "F84003", today);
    const past = addDays(today, -400);
    const r = await backfillHistory(db, { icb: "QMF" }, past);
    expect(r.counts.written).toBeGreaterThan(0);
    const after = await snapshotStored(db);
    expect(after.gap).toEqual(before.gap);
    expect(after.gap_event).toEqual(before.gap_event);
    expect(await getPracticeCompliance(db, "F84003", today)).toEqual(todayResults);
    const rows = await db.selectFrom("evaluation_result").select(["as_of"]).where("run_id", "=", r.runId).execute();
    expect(rows.length).toBe(r.counts.written);
    expect(new Set(rows.map((x) => x.as_of))).toEqual(new Set([past]));
    // The past outcome is in force on that date (DEV-02 for F84003 was met before Windows 10's end of support).
    const then = await getPracticeCompliance(db, "F84003", past);
    expect(then.requirements.find((x) => x.requirement.id === "DEV-02")?.result?.status).toBe(
      addDays(today, -400) < "2025-10-15" ? "met" : "partial",
    );
    // Running it again writes nothing, and it refuses today or later.
    expect((await backfillHistory(db, { icb: "QMF" }, past)).counts.written).toBe(0);
    await expect(backfillHistory(db, { icb: "QMF" }, today)).rejects.toThrow(/before today/);
  });

  it("npm run evaluate --history writes history and says the register was not changed", async () => {
    const db = getDb();
    const gaps = (await snapshotStored(db)).gap;
    const c = capture();
    await runEvaluateCli(["--icb", "QMF", "--as-of", addDays(today, -200), "--history"], db, c.io);
    expect(c.out.join("")).toMatch(/history rows written.*\n.*gap register and today's results were not changed/s);
    expect((await snapshotStored(db)).gap).toEqual(gaps);
    await expect(runEvaluateCli(["--icb", "QMF", "--history"], db, capture().io)).rejects.toThrow(/--history needs --as-of/);
  });
});
