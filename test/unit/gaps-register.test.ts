import { vatOf } from "~/modules/pricing/money";
import { describe, expect, it } from "vitest";
import type { GapStatus } from "#db/types";
import type { Category, Domain, Funder } from "~/modules/catalogue";
import {
  filterParams,
  financialYearChoices,
  GAP_GROUPS,
  GROUP_PAGE_SIZE,
  groupGaps,
  pageOf,
  pageOfGroups,
  parseGapFilters,
  sortGaps,
  statusesFor,
  totalsOf,
  type GapGroup,
  type RegisterGap,
} from "~/modules/gaps/register";

let nextId = 1;
function gap(over: Partial<RegisterGap> & { pence?: number | null; known?: number; score?: number } = {}): RegisterGap {
  const { pence = 100_00, known, score = 5, ...rest } = over;
  return {
    id: nextId++,
    practiceCode: "P00001",
    practiceName: "Alpha surgery",
    listSize: 5000,
    icbCode: "QMF",
    subIcbCode: "A3A8R",
    pcnCode: "U00001",
    pcnName: "North PCN",
    requirementId: "DEV-02",
    domain: "devices" as Domain,
    category: "core_mandated" as Category,
    funder: "icb" as Funder,
    status: "open" as GapStatus,
    deadline: "2026-12-01",
    deadlineYear: 2026,
    estimate: { pence, knownPence: known ?? pence ?? 0, vatPence: pence === null ? null : vatOf(pence, 20) },
    priority: { score },
    ...rest,
  };
}

/** Three practices in two PCNs and two ICBs, gaps across domains, funders, statuses and years; some unpriced. */
function fixture(): RegisterGap[] {
  const a = {
    practiceCode: "P00001",
    practiceName: "Alpha surgery",
    listSize: 5000,
    pcnCode: "U00001",
    pcnName: "North PCN",
    icbCode: "QMF",
    subIcbCode: "A3A8R",
  };
  const b = {
    practiceCode: "P00002",
    practiceName: "Beta practice",
    listSize: 12000,
    pcnCode: "U00001",
    pcnName: "North PCN",
    icbCode: "QMF",
    subIcbCode: "A3A8R",
  };
  const c = {
    practiceCode: "P00003",
    practiceName: "Gamma health centre",
    listSize: null,
    pcnCode: "U00002",
    pcnName: "South PCN",
    icbCode: "QHM",
    subIcbCode: "16C",
  };
  return [
    gap({ ...a, requirementId: "DEV-02", pence: 950_00, score: 8 }),
    gap({
      ...a,
      requirementId: "TEL-01",
      domain: "telephony",
      pence: null,
      known: 0,
      score: 6,
      funder: "icb",
      status: "funding_requested",
    }),
    gap({ ...a, requirementId: "SEC-03", domain: "cyber_ig", pence: 120_50, score: 7, deadline: "2027-05-01", deadlineYear: 2027 }),
    gap({ ...b, requirementId: "DEV-02", pence: 1900_00, score: 8 }),
    gap({
      ...b,
      requirementId: "PAP-01",
      domain: "paper_sustainability",
      category: "practice_business",
      funder: "practice",
      pence: 33_33,
      score: 2,
    }),
    gap({ ...b, requirementId: "TEL-01", domain: "telephony", pence: null, known: 400_00, score: 6, status: "closed" }),
    gap({
      ...c,
      requirementId: "DEV-02",
      pence: 0,
      score: 6,
      funder: "national",
      category: "national_programme",
      deadline: "2025-06-01",
      deadlineYear: 2025,
    }),
    gap({ ...c, requirementId: "SEC-03", domain: "cyber_ig", pence: 77_77, score: 9, status: "in_delivery" }),
  ];
}

describe("gap register filters", () => {
  it("defaults to every open status, priority order and no grouping", () => {
    const { filters, errors } = parseGapFilters(new URLSearchParams());
    expect(filters).toMatchObject({ status: "", sort: "priority", group: "none" });
    expect(errors).toEqual({});
    expect(statusesFor(filters.status)).toEqual(["open", "funding_requested", "funded", "in_delivery"]);
    expect(statusesFor("closed")).toEqual(["closed"]);
    expect(statusesFor("all")).toContain("closed");
    expect(statusesFor("funded")).toEqual(["funded"]);
  });

  it("upper-cases codes, reads the year, and ignores values not on the lists", () => {
    const { filters, errors } = parseGapFilters(
      new URLSearchParams("icb=qmf&pcn=u05451&fy=2026&domain=nonsense&sort=bogus&group=pcn&status=weird"),
    );
    expect(filters).toMatchObject({ icb: "QMF", pcn: "U05451", fy: 2026, domain: undefined, sort: "priority", group: "pcn", status: "" });
    expect(errors).toEqual({});
    expect(parseGapFilters(new URLSearchParams("fy=2027/28")).filters.fy).toBe(2027);
    expect(parseGapFilters(new URLSearchParams("fy=soon")).filters.fy).toBeUndefined();
  });

  it("a typed practice code that cannot be an ODS code is an error for that field", () => {
    const { filters, errors } = parseGapFilters(new URLSearchParams("practice=F8!"));
    expect(filters.practice).toBeUndefined();
    expect(errors.practice).toMatch(/ODS code/);
  });

  it("filter links carry the filters but not the page", () => {
    const { filters } = parseGapFilters(new URLSearchParams("icb=QMF&funder=practice&status=closed&page=3"));
    expect(filterParams(filters, { format: "csv" }).toString()).toBe("icb=QMF&funder=practice&status=closed&format=csv");
  });

  it("offers financial years around today's and keeps an older chosen one", () => {
    expect(financialYearChoices(2026)).toEqual([2024, 2025, 2026, 2027, 2028, 2029]);
    expect(financialYearChoices(2026, 2019)[0]).toBe(2019);
  });
});

describe("sorting", () => {
  it("priority: highest score first, then soonest deadline, then practice and catalogue order", () => {
    const sorted = sortGaps(fixture(), "priority");
    expect(sorted.map((g) => g.priority.score)).toEqual([9, 8, 8, 7, 6, 6, 6, 2]);
    // Equal score 6: deadline 2025-06-01 first, then practice code order.
    expect(sorted.slice(4, 7).map((g) => `${g.practiceCode} ${g.requirementId}`)).toEqual([
      "P00003 DEV-02",
      "P00001 TEL-01",
      "P00002 TEL-01",
    ]);
  });

  it("cost: highest estimate first and every gap without an estimate after the priced ones (a £0 estimate is still priced)", () => {
    const sorted = sortGaps(fixture(), "cost");
    expect(sorted.map((g) => g.estimate.pence)).toEqual([1900_00, 950_00, 120_50, 77_77, 33_33, 0, null, null]);
    // Unpriced gaps: the larger priced part first.
    expect(sorted[6].estimate.knownPence).toBe(400_00);
  });

  it("deadline and practice orders", () => {
    expect(sortGaps(fixture(), "deadline")[0].deadline).toBe("2025-06-01");
    expect(sortGaps(fixture(), "deadline").at(-1)!.deadline).toBe("2027-05-01");
    expect([...new Set(sortGaps(fixture(), "practice").map((g) => g.practiceName))]).toEqual([
      "Alpha surgery",
      "Beta practice",
      "Gamma health centre",
    ]);
  });

  it("does not change the list it is given", () => {
    const list = fixture();
    const ids = list.map((g) => g.id);
    sortGaps(list, "cost");
    expect(list.map((g) => g.id)).toEqual(ids);
  });
});

describe("grouping and totals", () => {
  it("totals: gaps, estimated cost of priced gaps, gaps with no estimate, patients once per practice", () => {
    const t = totalsOf(fixture());
    expect(t).toEqual({
      gaps: 8,
      estimatedPence: 950_00 + 120_50 + 1900_00 + 33_33 + 0 + 77_77,
      vatPence: 190_00 + 24_10 + 380_00 + 6_67 + 0 + 15_55,
      // The fixture's estimates have no annual lines.
      annualPence: 0,
      noEstimate: 2,
      patients: 17000,
      unknownListSizes: 1,
    });
  });

  for (const by of Object.keys(GAP_GROUPS) as GapGroup[]) {
    it(`by ${by}: the total row equals the sum of the rows`, () => {
      const s = groupGaps(fixture(), by);
      const sum = (f: (r: (typeof s.rows)[number]) => number) => s.rows.reduce((n, r) => n + f(r), 0);
      expect(s.total.gaps).toBe(sum((r) => r.gaps));
      expect(s.total.gaps).toBe(8);
      expect(s.total.estimatedPence).toBe(sum((r) => r.estimatedPence));
      expect(s.total.estimatedPence).toBe(totalsOf(fixture()).estimatedPence);
      expect(s.total.vatPence).toBe(sum((r) => r.vatPence));
      expect(s.total.noEstimate).toBe(sum((r) => r.noEstimate));
      if (s.patientsAdditive) expect(s.total.patients).toBe(sum((r) => r.patients));
      else expect(s.total.patients).toBe(17000);
    });
  }

  it("organisation groupings add patients up; others count a practice in each of its groups", () => {
    const byPcn = groupGaps(fixture(), "pcn");
    expect(byPcn.patientsAdditive).toBe(true);
    expect(byPcn.rows.map((r) => [r.key, r.label, r.gaps, r.patients, r.unknownListSizes])).toEqual([
      ["U00001", "North PCN", 6, 17000, 0],
      ["U00002", "South PCN", 2, 0, 1],
    ]);
    const byDomain = groupGaps(fixture(), "domain");
    expect(byDomain.patientsAdditive).toBe(false);
    const devices = byDomain.rows.find((r) => r.key === "devices")!;
    expect(devices.patients).toBe(17000);
    expect(byDomain.rows.reduce((n, r) => n + r.patients, 0)).toBeGreaterThan(byDomain.total.patients);
  });

  it("orders groups: catalogue order for domains, status order, years ascending, names for organisations", () => {
    expect(groupGaps(fixture(), "domain").rows.map((r) => r.key)).toEqual(["telephony", "devices", "cyber_ig", "paper_sustainability"]);
    expect(groupGaps(fixture(), "status").rows.map((r) => r.key)).toEqual(["open", "funding_requested", "in_delivery", "closed"]);
    expect(groupGaps(fixture(), "financial_year").rows.map((r) => [r.key, r.label])).toEqual([
      ["2025", "2025/26"],
      ["2026", "2026/27"],
      ["2027", "2027/28"],
    ]);
    expect(
      groupGaps(fixture(), "icb", { icb: { QMF: "North East London", QHM: "North East and North Cumbria" } }).rows.map((r) => r.label),
    ).toEqual(["North East and North Cumbria", "North East London"]);
    expect(groupGaps(fixture(), "funder").rows.map((r) => r.label)).toEqual(["ICB may fund", "Practice funds", "Paid for nationally"]);
  });

  it("each group links to exactly its gaps", () => {
    const rows = groupGaps(fixture(), "financial_year").rows;
    expect(rows[0].filter).toEqual({ fy: "2025" });
    expect(groupGaps(fixture(), "practice").rows[0].filter).toEqual({ practice: "P00001" });
    expect(groupGaps([gap({ pcnCode: null, pcnName: null })], "pcn").rows[0]).toMatchObject({
      key: "none",
      label: "Not in a PCN",
      filter: {},
    });
  });

  it("no gaps: no rows and zero totals", () => {
    expect(groupGaps([], "pcn")).toMatchObject({ rows: [], total: { gaps: 0, estimatedPence: 0, noEstimate: 0, patients: 0 } });
  });
});

describe("paging", () => {
  it("slices a page and gives an empty page past the end", () => {
    const list = Array.from({ length: 30 }, (_, i) => i);
    expect(pageOf(list, 1, 25)).toHaveLength(25);
    expect(pageOf(list, 2, 25)).toEqual([25, 26, 27, 28, 29]);
    expect(pageOf(list, 3, 25)).toEqual([]);
  });

  it("group rows a page at a time: in order, the total over every group on every page, a page past the end is the last", () => {
    // 7 practices with a PCN, and gaps not in one: 8 rows, three pages of 3.
    const gaps = [
      ...Array.from({ length: 7 }, (_, i) =>
        gap({ practiceCode: `P0000${i}`, pcnCode: `U0000${i}`, pcnName: `PCN ${String.fromCharCode(71 - i)}`, listSize: 1000 * (i + 1) }),
      ),
      gap({ practiceCode: "P00009", pcnCode: null, pcnName: null, listSize: 500 }),
    ];
    const whole = groupGaps(gaps, "pcn");
    const pages = [1, 2, 3].map((p) => pageOfGroups(whole, p, 3));
    expect(pages.map((p) => p.summary.rows.map((r) => r.label))).toEqual([
      ["PCN A", "PCN B", "PCN C"],
      ["PCN D", "PCN E", "PCN F"],
      ["PCN G", "Not in a PCN"],
    ]);
    for (const p of pages) {
      expect(p.summary.total).toEqual(whole.total);
      expect(p.groupPage).toMatchObject({ pageCount: 3, total: 8, named: 7, pageSize: 3 });
    }
    expect(whole.total.patients).toBe(28_500);
    expect(pageOfGroups(whole, 99, 3).groupPage.page).toBe(3);
    expect(pageOfGroups(whole, 99, 3).summary.rows).toEqual(pages[2].summary.rows);
    for (const junk of [0, -4, Number.NaN, 1.7]) expect(pageOfGroups(whole, junk, 3).groupPage.page, String(junk)).toBe(1);
    // Fewer groups than a page: one page, all of them.
    expect(pageOfGroups(whole, 1).summary.rows).toHaveLength(8);
    expect(pageOfGroups(whole, 1).groupPage).toMatchObject({ page: 1, pageCount: 1, pageSize: GROUP_PAGE_SIZE });
    // No groups at all: page 1 of 1, empty.
    expect(pageOfGroups(groupGaps([], "pcn"), 5).groupPage).toMatchObject({ page: 1, pageCount: 1, total: 0 });
  });

  it("groups with the same name come in code order, whatever order they were added in", () => {
    const twins = [
      gap({ practiceCode: "P00002", pcnCode: "U00002", pcnName: "Same PCN" }),
      gap({ practiceCode: "P00001", pcnCode: "U00001", pcnName: "Same PCN" }),
      gap({ practiceCode: "P00003", pcnCode: "U00003", pcnName: "Same PCN" }),
    ];
    for (const order of [twins, [...twins].reverse(), [twins[2], twins[0], twins[1]]]) {
      expect(groupGaps(order, "pcn").rows.map((r) => r.key)).toEqual(["U00001", "U00002", "U00003"]);
    }
  });
});
