import { beforeAll, describe, expect, it } from "vitest";
import { getPracticeForecastPage } from "~/modules/compliance/practice-view.server";
import { forecastIcb, forecastPractices } from "~/modules/compliance/forecast/service.server";
import { runForecastCli } from "~/modules/compliance/forecast/cli.server";
import { getDb } from "~/utils/db.server";
import { seedOrgs } from "../support/factories";

const db = () => getDb();
const AS_OF = "2026-12-01";

beforeAll(async () => {
  await seedOrgs(db());
  const base = { starts_on: "2024-04-01", notice_months: 3, paid_by: "practice" as const };
  await db()
    .insertInto("supplier_contract")
    .values([
      {
        ...base,
        practice_code: "F84003",
        supplier: "X-on",
        category: "telephony",
        ends_on: "2027-03-31",
        annual_cost_pence: 480000,
        reference: "XON-1",
      },
      // F84013's phones carry on with a successor from the day after.
      {
        ...base,
        practice_code: "F84013",
        supplier: "X-on",
        category: "telephony",
        ends_on: "2027-06-30",
        annual_cost_pence: 300000,
        reference: "XON-2",
      },
      {
        ...base,
        practice_code: "F84013",
        supplier: "Redcentric",
        category: "telephony",
        starts_on: "2027-07-01",
        ends_on: "2031-06-30",
        annual_cost_pence: 320000,
        reference: "RC-1",
      },
      {
        ...base,
        icb_code: "QMF",
        supplier: "EMIS Health",
        category: "clinical_system",
        ends_on: "2028-03-31",
        notice_months: 6,
        annual_cost_pence: 12000000,
        paid_by: "icb",
        reference: "NEL-EMIS",
      },
      // Ended already: not on the timeline.
      {
        ...base,
        practice_code: "F84003",
        supplier: "Old",
        category: "support",
        ends_on: "2027-03-31",
        ended_on: "2026-06-30",
        annual_cost_pence: 100,
        reference: "OLD-1",
      },
      // Another ICB's practice: never in QMF's forecast.
      {
        ...base,
        practice_code: "A81001",
        supplier: "X-on",
        category: "telephony",
        ends_on: "2027-03-31",
        annual_cost_pence: 480000,
        reference: "XON-3",
      },
    ])
    .execute();
});

describe("contract ends in the forecast", () => {
  it("an ICB's forecast lists its practices' and its own contract notice dates and ends, with cost, payer and successor", async () => {
    const f = await forecastIcb(db(), "QMF", AS_OF, 24);
    expect(f.contracts.map((e) => [e.date, e.kind, e.practiceCode ?? e.icbCode, e.reference, e.annualCostPence, e.successor])).toEqual([
      ["2026-12-31", "notice", "F84003", "XON-1", 480000, null],
      ["2027-03-30", "notice", "F84013", "XON-2", 300000, null],
      ["2027-03-31", "end", "F84003", "XON-1", 480000, false],
      ["2027-06-30", "end", "F84013", "XON-2", 300000, true],
      ["2027-09-30", "notice", "QMF", "NEL-EMIS", 12000000, null],
      ["2028-03-31", "end", "QMF", "NEL-EMIS", 12000000, false],
    ]);
    expect(f.contracts[2].description).toBe("X-on telephony contract XON-1 ends; no successor recorded (TEL-02, TEL-03)");
    // The rule-change timeline is unchanged by contracts (no estate here, so no rule events).
    expect(f.events).toEqual([]);
  });

  it("a practice's forecast holds only its own contracts, on its forecast page too", async () => {
    const f = await forecastPractices(db(), ["F84003"], AS_OF, 12);
    expect(f.contracts.map((e) => [e.kind, e.reference])).toEqual([
      ["notice", "XON-1"],
      ["end", "XON-1"],
    ]);
    const page = await getPracticeForecastPage(db(), "F84003", AS_OF);
    expect(page.contracts.map((e) => e.reference)).toEqual(["XON-1", "XON-1"]);
  });

  it("the forecast command prints them and puts them in --json", async () => {
    const out: string[] = [];
    const io = { out: (s: string) => out.push(s), err: () => {} };
    await runForecastCli(["--icb", "QMF", "--json"], db(), io);
    expect(JSON.parse(out[0]).contracts).toHaveLength(6);
    out.length = 0;
    await runForecastCli(["--practice", "F84003"], db(), io);
    expect(out.join("")).toContain(
      "X-on telephony contract XON-1 ends; no successor recorded (TEL-02, TEL-03) | £4,800.00 a year ex VAT, paid by Practice",
    );
  });
});
