import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import type { Db } from "#db/connect";
import { AUTOMATIC_REQUIREMENTS, REQUIREMENTS } from "~/modules/catalogue";
import { syncCatalogue } from "~/modules/compliance/catalogue.server";
import { evaluatePractice, evaluateScope, forecastPractice } from "~/modules/compliance/evaluate.server";
import { setPolicyValue } from "~/modules/compliance/policy.server";
import { RESULT_BATCH } from "~/modules/compliance/repository.server";
import { getIcbSummary, getPracticeCompliance, getPracticeHistory, getPracticeTrend } from "~/modules/compliance/service.server";
import { getDb } from "~/utils/db.server";
import { addDevices, addMainSites, addPractices, desktopRow, ensureLifecycle } from "../support/compliance-db";
import { seedOrgs } from "../support/factories";

const A = "2026-11-22";
const B = "2026-11-23";

/** Counts the statements a Kysely handle sends (raw SQL included). */
function counting(db: Db) {
  const counter = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      counter.n++;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin) as Db, counter };
}

const result = (db: Db, ods: string, req: string) =>
  db
    .selectFrom("evaluation_result")
    .selectAll()
    .where("practice_code", "=", ods)
    .where("requirement_id", "=", req)
    .orderBy("as_of")
    .execute();

let win10Ids: number[] = [];
const WINDOWS_10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };
const WINDOWS_11 = { os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" };

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureLifecycle(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  win10Ids = await addDevices(
    db,
    Array.from({ length: 7 }, () => desktopRow("F84003", WINDOWS_10)),
  );
  await addDevices(
    db,
    Array.from({ length: 16 }, () => desktopRow("F84003")),
  );
  await addDevices(db, [desktopRow("F84013", { purchase_date: "2020-06-01" }), desktopRow("A81001")]);
});

describe("catalogue in the database", () => {
  it("is written by syncCatalogue, once", async () => {
    const db = getDb();
    const first = await syncCatalogue(db);
    expect(first.changed).toBe(true);
    const rows = await db
      .selectFrom("requirement")
      .select(["id", "automatic", "weight", "sources"])
      .where("retired_at", "is", null)
      .execute();
    expect(rows).toHaveLength(REQUIREMENTS.length);
    expect(rows.filter((r) => r.automatic)).toHaveLength(AUTOMATIC_REQUIREMENTS.length);
    expect(await syncCatalogue(db)).toEqual({ changed: false, written: 0, retired: 0 });
  });

  it("retires requirements the code no longer has, and rewrites nothing unchanged", async () => {
    const db = getDb();
    // The catalogue as the code has it first: OLD-01 belongs to its framework row.
    await syncCatalogue(db);
    await db
      .insertInto("requirement")
      .values({
        id: "OLD-01",
        framework_id: "gp-dsom-2021-23",
        sort_order: 999,
        domain: "devices",
        category: "enhanced",
        funder: "icb",
        evidence: "attestation",
        automatic: false,
        title: "Old",
        description: "Dropped later",
        sources: "[]",
        weight: 1,
        applies_from: null,
        content_hash: "x",
      })
      .execute();
    await db.updateTable("framework").set({ content_hash: "stale" }).execute();
    expect(await syncCatalogue(db)).toEqual({ changed: true, written: 0, retired: 1 });
    const old = await db.selectFrom("requirement").select("retired_at").where("id", "=", "OLD-01").executeTakeFirstOrThrow();
    expect(old.retired_at).toBeInstanceOf(Date);
  });
});

// Each test starts from the beforeAll estate with no results (its own transaction, rolled back
// after it); these store what a test builds on, as the earlier steps did.
/** F84003 evaluated on A: 7 of its 23 desktops on Windows 10, so DEV-02 is partial. */
const evaluatedOnA = async () => expect((await evaluatePractice(getDb(), "F84003", A)).counts.written).toBe(AUTOMATIC_REQUIREMENTS.length);
/** Puts F84003's seven Windows 10 desktops on `os` (through `db`, which may be a transaction). */
const setWin10DesktopsOs = (db: Db, os: typeof WINDOWS_10) => db.updateTable("device").set(os).where("id", "in", win10Ids).execute();
/** Evaluated on A, then the Windows 10 desktops upgraded to Windows 11 and evaluated on B: DEV-02 met from B. */
async function upgradedOnB() {
  await evaluatedOnA();
  const db = getDb();
  await setWin10DesktopsOs(db, WINDOWS_11);
  expect((await evaluatePractice(db, "F84003", B)).counts.written).toBeGreaterThanOrEqual(3);
}

describe("evaluating a practice", () => {
  it("stores every automatic result with its as-of date, reason, evidence and units", async () => {
    const db = getDb();
    const r = await evaluatePractice(db, "F84003", A);
    expect(r.counts.written).toBe(AUTOMATIC_REQUIREMENTS.length);
    expect(r.runId).not.toBeNull();
    const [dev02] = await result(db, "F84003", "DEV-02");
    expect(dev02).toMatchObject({
      as_of: A,
      status: "partial",
      reason: "7 of 23 desktops run Windows 10 22H2, unsupported since 14 October 2025.",
      run_id: r.runId,
    });
    const evidence = dev02.evidence as { id: string; outcome: string }[];
    expect(
      evidence
        .filter((e) => e.outcome === "fail")
        .map((e) => Number(e.id))
        .sort((a, b) => a - b),
    ).toEqual(win10Ids);
    expect(dev02.units).toEqual([{ kind: "os_upgrade", quantity: 7 }]);
    const run = await db.selectFrom("evaluation_run").selectAll().where("id", "=", r.runId!).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ scope: "practice:F84003", as_of: A });
    expect(run.finished_at).toBeInstanceOf(Date);
  });

  it("writes nothing when re-run with unchanged data, on the same day or the next", async () => {
    await evaluatedOnA();
    const db = getDb();
    const before = await db.selectFrom("evaluation_result").select(["id", "evaluated_at"]).orderBy("id").execute();
    const runs = await db.selectFrom("evaluation_run").select("id").execute();
    for (const day of [A, B]) {
      const r = await evaluatePractice(db, "F84003", day);
      expect(r.counts).toMatchObject({ written: 0, removed: 0, unchanged: AUTOMATIC_REQUIREMENTS.length });
      expect(r.runId).toBeNull();
    }
    expect(await db.selectFrom("evaluation_result").select(["id", "evaluated_at"]).orderBy("id").execute()).toEqual(before);
    expect(await db.selectFrom("evaluation_run").select("id").execute()).toEqual(runs);
  });

  it("records a change of OS as a new change point, keeping the earlier outcome as history", async () => {
    await evaluatedOnA();
    const db = getDb();
    await setWin10DesktopsOs(db, WINDOWS_11);
    const r = await evaluatePractice(db, "F84003", B);
    expect(r.counts.written).toBeGreaterThanOrEqual(3); // DEV-02, DEV-04, SEC-03, SEC-05
    const rows = await result(db, "F84003", "DEV-02");
    expect(rows.map((x) => [x.as_of, x.status])).toEqual([
      [A, "partial"],
      [B, "met"],
    ]);
    expect((await getPracticeCompliance(db, "F84003", A)).requirements.find((x) => x.requirement.id === "DEV-02")?.result?.status).toBe(
      "partial",
    );
    expect((await getPracticeCompliance(db, "F84003", B)).requirements.find((x) => x.requirement.id === "DEV-02")?.result?.status).toBe(
      "met",
    );
    const history = await getPracticeHistory(db, "F84003", { requirementId: "DEV-02" });
    expect(history.map((h) => [h.as_of, h.status])).toEqual([
      [B, "met"],
      [A, "partial"],
    ]);
  });

  it("removes a same-day change point when the data goes back to how it was", async () => {
    await upgradedOnB();
    const db = getDb();
    await setWin10DesktopsOs(db, WINDOWS_10);
    const r = await evaluatePractice(db, "F84003", B);
    expect(r.counts.removed).toBeGreaterThanOrEqual(3);
    expect((await result(db, "F84003", "DEV-02")).map((x) => x.as_of)).toEqual([A]);
    const trend = await getPracticeTrend(db, "F84003", ["2026-11-21", A, B]);
    expect(trend[0].score).toBeNull();
    expect(trend[1].score).toBe(trend[2].score);
  });

  it("runs inside the caller's transaction, so an estate change and its results commit or roll back together", async () => {
    const db = getDb();
    const count = async () => (await result(db, "F84003", "DEV-02")).length;
    const before = await count();
    await expect(
      db.transaction().execute(async (trx) => {
        await setWin10DesktopsOs(trx, WINDOWS_11);
        await evaluatePractice(trx, "F84003", "2026-11-24");
        expect(
          (
            await trx
              .selectFrom("evaluation_result")
              .select("id")
              .where("practice_code", "=", "F84003")
              .where("as_of", "=", "2026-11-24")
              .execute()
          ).length,
        ).toBeGreaterThan(0);
        throw new Error("rolled back");
      }),
    ).rejects.toThrow("rolled back");
    expect(await count()).toBe(before);
    expect((await db.selectFrom("device").select("os_family").where("id", "=", win10Ids[0]).executeTakeFirstOrThrow()).os_family).toBe(
      "Windows 10",
    );
  });

  it("uses the ICB's policy: a longer maximum age changes the result", async () => {
    const db = getDb();
    await evaluatePractice(db, "F84013", A);
    expect((await result(db, "F84013", "DEV-05"))[0]).toMatchObject({ status: "not_met" });
    const lead = {
      id: 0,
      email: "lead@test",
      name: "Lead",
      memberships: [{ role: "icb_lead" as const, icb_code: "QMF", practice_code: null }],
    };
    lead.id = (
      await db
        .insertInto("app_user")
        .values({ email: lead.email, name: lead.name, password_hash: "x" })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
    await setPolicyValue(db, lead, { icbCode: "QMF", key: "max_age_desktop", value: 8, version: null });
    await evaluatePractice(db, "F84013", A);
    const [row] = await result(db, "F84013", "DEV-05");
    expect(row).toMatchObject({ as_of: A, status: "met" });
    // Another ICB keeps the national default.
    await db.updateTable("device").set({ purchase_date: "2020-06-01" }).where("practice_code", "=", "A81001").execute();
    await evaluatePractice(db, "A81001", A);
    expect((await result(db, "A81001", "DEV-05"))[0].status).toBe("not_met");
  });
});

describe("evaluating many practices", () => {
  it("uses the same number of queries for 3 practices as for 40 (no query per practice)", async () => {
    const db = getDb();
    const few = await addPractices(db, 3, "P");
    const lots = await addPractices(db, 40, "Q");
    const warm = counting(db);
    await evaluateScope(warm.db, { practices: ["F84003"] }, "2026-11-30");
    const a = counting(db);
    const ra = await evaluateScope(a.db, { practices: few }, A);
    const b = counting(db);
    const rb = await evaluateScope(b.db, { practices: lots }, A);
    expect(ra.counts.written).toBe(3 * AUTOMATIC_REQUIREMENTS.length);
    expect(rb.counts.written).toBe(40 * AUTOMATIC_REQUIREMENTS.length);
    // Results are stored 2,000 to a statement; that is the only growth allowed.
    expect(b.counter.n).toBe(a.counter.n + Math.ceil((40 * AUTOMATIC_REQUIREMENTS.length) / RESULT_BATCH) - 1);
    // Set statements only: estate, stored outcomes, verified answers, results, the gap register
    // (load open gaps, open, update, close, events), and one read of the OS lifecycle reference
    // version (ensureLifecycleReference) per evaluation. The estate read includes the DSPT
    // status history (SEC-01), the Cyber Essentials certificates (SEC-05), and the cloud
    // telephony months and the months covering each practice's region (TEL-04, TEL-10): one set
    // query each.
    expect(a.counter.n).toBeLessThanOrEqual(25);
    // In chunks of 10, the count grows with chunks, not practices.
    const c = counting(db);
    const progress: number[] = [];
    await evaluateScope(c.db, { practices: lots }, B, { chunkSize: 10, onProgress: (p) => progress.push(p.done) });
    expect(progress).toEqual([10, 20, 30, 40]);
    // Each further chunk reads its estate again: twelve set queries (loadEstateRows).
    expect(c.counter.n).toBeLessThanOrEqual(a.counter.n + 3 * 12);
  });

  it("evaluates an ICB's open practices and summarises them per practice and per PCN and domain", async () => {
    const db = getDb();
    await addPractices(db, 3, "P"); // P00001…P00003, in F84003's PCN
    await db.updateTable("practice").set({ status: "C" }).where("ods_code", "=", "P00003").execute();
    const r = await evaluateScope(db, { icb: "QMF" }, A);
    const codes = r.practices.map((p) => p.ods_code);
    expect(codes).toContain("F84003");
    expect(codes).not.toContain("A81001");
    expect(codes).not.toContain("P00003");
    for (const p of r.practices) expect(Object.values(p.counts).reduce((a, b) => a + b, 0)).toBe(AUTOMATIC_REQUIREMENTS.length);

    const s = await getIcbSummary(db, "QMF", A);
    expect(s.practices.map((p) => p.ods_code)).toEqual(codes);
    const f84003 = s.practices.find((p) => p.ods_code === "F84003")!;
    expect(f84003.counts.partial).toBeGreaterThan(0);
    expect(f84003.score).toBeGreaterThan(0);
    expect(s.heatmap).toHaveLength(1);
    expect(s.heatmap[0]).toMatchObject({ pcn_code: "U05451", pcn_name: "HACKNEY MARSHES PCN" });
    expect(s.heatmap[0].cells.devices.score).toBeGreaterThan(0);
    expect(s.heatmap[0].cells.telephony.total).toBeGreaterThan(0);
  });
});

describe("forecast", () => {
  it("shows when Windows 10 support ends and why, without storing anything", async () => {
    const db = getDb();
    const before = await db.selectFrom("evaluation_result").select("id").execute();
    const f = await forecastPractice(db, "F84003", "2025-06-01");
    expect(f!.horizons.map((h) => h.date)).toEqual(["2026-06-01", "2027-06-01"]);
    const dev02 = f!.horizons[0].changes.find((c) => c.requirementId === "DEV-02")!;
    expect(dev02.transitions[0]).toMatchObject({
      date: "2025-10-15",
      status: "partial",
      reason: "7 of 23 desktops run Windows 10 22H2, unsupported since 14 October 2025.",
    });
    expect(await db.selectFrom("evaluation_result").select("id").execute()).toEqual(before);
    expect(await forecastPractice(db, "X99999", A)).toBeNull();
  });
});
