import { sql } from "kysely";
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from "vitest";
import { createPostgresDb, type Db, type DbHandle } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { listScopePractices } from "~/modules/compliance/repository.server";
import * as dashboard from "~/modules/dashboard/service.server";
import { registerSweepTask, sweep } from "~/modules/housekeeping/schedule.server";
import "~/modules/jobs/start.server"; // registers the "forecast-next-day" sweep task, as the server does
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("two processes sweep at once: on PostgreSQL, two connections that must see each other's committed claim");

// Production runs several server processes on one port, each sweeping hourly at about the same
// time. A task registered `once` (the next day's forecasts) runs in one of them per round; the
// rest of the sweep runs in all. A "process" here is a sweep on its own database handle: on
// PostgreSQL a second pool, as another process would have; PGlite is one process's database, so
// there the two sweeps share it and interleave their statements.
const onPostgres = !!process.env.DATABASE_URL;
let other: DbHandle | null = null;
const second = (): Db => other?.db ?? getDb();

const counts = { once: 0, every: 0 };
let onceFails = false;
registerSweepTask(
  "test-once",
  async () => {
    counts.once++;
    // Long enough for the other sweep to reach its claim while this one works.
    await new Promise((r) => setTimeout(r, 50));
    if (onceFails) throw new Error("the process died mid-way");
  },
  { once: true },
);
registerSweepTask("test-every", async () => {
  counts.every++;
});

const at = (iso: string) => new Date(iso);
const claims = async () =>
  (await getDb().selectFrom("kept_figure").select(["owner", "key"]).where("kind", "=", "sweep_claim").orderBy("owner").execute()).map(
    (r) => `${r.owner} ${r.key}`,
  );

beforeAll(async () => {
  if (onPostgres) {
    const name = (await sql<{ d: string }>`select current_database() as d`.execute(getDb())).rows[0].d;
    other = createPostgresDb(`${process.env.DATABASE_URL!.replace(/\/[^/]*$/, "")}/${name}`, 2);
  }
});

afterAll(async () => {
  await other?.db.destroy();
});

beforeEach(async () => {
  counts.once = 0;
  counts.every = 0;
  onceFails = false;
  await getDb().deleteFrom("kept_figure").where("kind", "=", "sweep_claim").execute();
});

describe("a sweep task registered once", () => {
  it("runs in one of two processes sweeping at once; the rest of the sweep runs in both", async () => {
    await getDb()
      .insertInto("login_attempt")
      .values({ email: "x@test.nhs.test", ip: "192.0.2.1", succeeded: false, attempted_at: at("2020-01-01T00:00:00Z") })
      .execute();
    const [a, b] = await Promise.all([sweep(getDb(), at("2027-03-01T05:00:30Z")), sweep(second(), at("2027-03-01T05:00:31Z"))]);
    expect(counts).toEqual({ once: 1, every: 2 });
    // Both ran the deletes; the one expired row went once.
    expect(a.loginAttempts + b.loginAttempts).toBe(1);
    expect((await claims()).filter((c) => c.startsWith("test-once "))).toEqual(["test-once 2027-03-01T05"]);

    // Later in the same hour (a process restarted meanwhile): already done this round.
    await sweep(second(), at("2027-03-01T05:40:00Z"));
    expect(counts).toEqual({ once: 1, every: 3 });
    // The next hour's round, in either process: once more.
    await Promise.all([sweep(second(), at("2027-03-01T06:00:30Z")), sweep(getDb(), at("2027-03-01T06:00:30Z"))]);
    expect(counts).toEqual({ once: 2, every: 5 });
  });

  it("a claim left by a process that died mid-way holds its own hour only, never a later round", async () => {
    onceFails = true;
    await sweep(getDb(), at("2027-03-01T05:00:30Z"));
    expect(counts.once).toBe(1);
    onceFails = false;
    await sweep(second(), at("2027-03-01T05:30:00Z"));
    expect(counts.once).toBe(1);
    await sweep(second(), at("2027-03-01T06:00:30Z"));
    expect(counts.once).toBe(2);

    // A claim from days ago (a process that died, then a quiet machine) stops nothing either.
    await getDb()
      .updateTable("kept_figure")
      .set({ key: "2027-02-20T23", value: JSON.stringify({ by: "gone:1" }) })
      .where("kind", "=", "sweep_claim")
      .where("owner", "=", "test-once")
      .execute();
    await sweep(getDb(), at("2027-03-01T07:10:00Z"));
    expect(counts.once).toBe(3);
  });
});

describe("the next day's forecast shares (forecast-next-day)", () => {
  let codes: string[];

  beforeAll(async () => {
    const db = getDb();
    await seedOrgs(db);
    await seedSites(db);
    await prepareCompliance(db);
    await addDevices(db, [
      desktopRow("F84003", { purchase_date: "2021-03-01", warranty_end: "2026-09-01" }),
      desktopRow("F84013", { purchase_date: "2021-06-01", warranty_end: "2025-06-01" }),
    ]);
    await evaluateScope(db, { all: true }, todayIso());
    await ensureDefaultPrices(db);
    codes = await listScopePractices(db, { icb: "QMF" });
  });

  it("two processes sweeping at once work them out in one process, and every share is ready for tomorrow", async () => {
    const db = getDb();
    await dashboard.forgetDashboardFigures(db);
    // The ICB's dashboard loaded today: its practices' shares are kept under today's key.
    await dashboard.getIcbForecast(db, "QMF", codes, todayIso());
    const prepare = vi.spyOn(dashboard, "prepareNextDayForecasts");
    try {
      const now = new Date();
      await Promise.all([sweep(db, now), sweep(second(), now)]);
      expect(prepare).toHaveBeenCalledTimes(1);
      expect(await prepare.mock.results[0].value).toBe(codes.length);
    } finally {
      prepare.mockRestore();
    }
    const shares = await db.selectFrom("kept_figure").select(["owner", "value"]).where("kind", "=", "forecast_part").execute();
    expect(shares.map((r) => r.owner).sort()).toEqual([...codes].sort());
    expect(shares.every((r) => (r.value as { next?: unknown }).next)).toBe(true);
  });
});
