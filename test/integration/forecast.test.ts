import { beforeAll, describe, expect, it } from "vitest";
import { clearDashboardCache, getIcbDashboard } from "~/modules/dashboard/service.server";
import { runForecastCli } from "~/modules/compliance/forecast/cli.server";
import { forecastIcb, forecastPractices } from "~/modules/compliance/forecast/service.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import { getDb } from "~/utils/db.server";
import { addDays, todayIso } from "~/utils/today";
import { addDevices, desktopRow } from "../support/compliance-db";
import { seedOrgs } from "../support/factories";
import { seedGaps } from "../support/gaps-fixture";
import { snapshotStored } from "../support/table-snapshot";

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

const today = todayIso();
let win11End = "";

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  // F84003: two Windows 10 computers (unsupported today) and one Windows 11 Enterprise 24H2
  // desktop from the fixture, so DEV-02 is partly met today; three more 24H2 desktops here.
  await seedGaps(db);
  await addDevices(db, [desktopRow("F84003"), desktopRow("F84003"), desktopRow("F84003")]);
  const { end_of_support } = await db
    .selectFrom("os_lifecycle")
    .select("end_of_support")
    .where("family", "=", "Windows 11")
    .where("edition", "=", "Enterprise/Education")
    .where("version", "=", "24H2")
    .executeTakeFirstOrThrow();
  win11End = end_of_support!;
});

describe("the forecast timeline", () => {
  it("lists a partly-met requirement that gets worse, with its extent and the cost of the extra work", async () => {
    const f = await forecastPractices(getDb(), ["F84003"], today, 24);
    const dayAfter = addDays(win11End, 1);
    const e = f.events.find((x) => x.requirementId === "DEV-02" && x.date === dayAfter)!;
    expect(e).toBeDefined();
    // Partly met today (the Windows 10 pair); the four 24H2 desktops go out of servicing.
    expect(e.from).toMatchObject({ status: "partial", failing: 2 });
    expect(e.to).toMatchObject({ status: "not_met", failing: 6 });
    expect(e.change).toMatch(/Partly met → Not met; 4 more devices fail \(6 in all\)/);
    expect(e.worse).toBe(true);
    expect(e.drivers).toContain("Windows 11 Enterprise 24H2 end of servicing");
    expect(e.financialYear).toBe(financialYearOf(dayAfter));
    // The cost is the added work priced on that day: units × unit cost, line by line.
    const book = await loadPriceBook(getDb(), ["QMF"]);
    const added = e.addedUnits.reduce((n, u) => n + u.quantity, 0);
    expect(added).toBeGreaterThanOrEqual(4);
    expect(e.estimate!.pence).toBe(
      e.addedUnits.reduce((s, u) => s + book.priceFor("QMF", u.kind, dayAfter)!.unitCostPence * u.quantity, 0),
    );
    // The year's total is the sum of its priced changes for the worse.
    const year = f.byYear.find((y) => y.year === e.financialYear)!;
    const mine = f.events.filter((x) => x.financialYear === e.financialYear && x.worse);
    expect(year.worse).toBe(mine.length);
    expect(year.estimatedPence).toBe(mine.reduce((s, x) => s + (x.estimate?.pence ?? 0), 0));
  });

  it("shows on the ICB dashboard as a change for the worse by 24 months, though DEV-02 is not met today", async () => {
    clearDashboardCache();
    const d = await getIcbDashboard(getDb(), { code: "QMF", name: null }, { all: true }, today);
    const in24 = d.forecast.horizons.find((h) => h.months === 24)!;
    expect(in24.byRequirement.find((r) => r.key === "DEV-02")).toMatchObject({ firstDate: expect.any(String) });
    expect(d.forecast.byYear.reduce((s, y) => s + y.worse, 0)).toBeGreaterThanOrEqual(in24.total.lapses);
  });

  it("leaves evaluation results and gaps byte-for-byte unchanged", async () => {
    const before = await snapshotStored(getDb());
    await forecastIcb(getDb(), "QMF", today, 24);
    clearDashboardCache();
    await getIcbDashboard(getDb(), { code: "QMF", name: null }, { all: true }, today);
    await runForecastCli(["--icb", "QMF", "--json"], getDb(), capture().io);
    expect(await snapshotStored(getDb())).toEqual(before);
  });
});

describe("npm run -s forecast", () => {
  it("prints the timeline by financial year, and one JSON object with --json", async () => {
    const c = capture();
    await runForecastCli(["--practice", "f84003", "--months", "24"], getDb(), c.io);
    const text = c.out.join("");
    expect(text).toMatch(/Forecast from .* \(24 months\) for 1 practices.*Nothing is stored/);
    expect(text).toMatch(new RegExp(`Financial year ${financialYearOf(addDays(win11End, 1))}/\\d\\d: \\d+ changes for the worse`));
    expect(text).toMatch(
      new RegExp(`${addDays(win11End, 1)} +F84003 +DEV-02 Supported operating systems +Partly met → Not met; 4 more devices fail`),
    );
    const j = capture();
    await runForecastCli(["--icb", "QMF", "--months", "12", "--json"], getDb(), j.io);
    expect(j.out).toHaveLength(1);
    const data = JSON.parse(j.out[0]);
    expect(data).toMatchObject({ scope: "icb:QMF", stored: false, months: 12, asOf: today });
    expect(data.events.every((e: { date: string }) => e.date > today && e.date <= data.until)).toBe(true);
  });

  it("checks its arguments", async () => {
    const io = capture().io;
    await expect(runForecastCli([], getDb(), io)).rejects.toThrow(/Choose one of --icb CODE or --practice ODS/);
    await expect(runForecastCli(["--icb", "QMF", "--practice", "F84003"], getDb(), io)).rejects.toThrow(/Choose one of/);
    await expect(runForecastCli(["--icb", "QMF", "--months", "0"], getDb(), io)).rejects.toThrow(
      /--months must be a whole number from 1 to 60/,
    );
    await expect(runForecastCli(["--practice", "X99999"], getDb(), io)).rejects.toThrow(/no practice with ODS code X99999/);
  });
});
