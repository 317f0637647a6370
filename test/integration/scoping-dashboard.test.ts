import { describe, expect, it } from "vitest";
import * as dashboard from "~/routes/icbs.$code_.dashboard";
import * as dashboardExport from "~/routes/icbs.$code_.dashboard.export";
import * as report from "~/routes/icbs.$code_.report";
import { getDb } from "~/utils/db.server";
import { seedGaps } from "../support/gaps-fixture";
import { call, get } from "../support/requests";
import { defineMatrix, OTHER_ICB, QMF_ONLY, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";
import { unpackRiskRows } from "~/modules/dashboard/risk-rows";

// The commissioner dashboard is an ICB page: anyone who may read the ICB, nobody else (404, so
// another ICB's existence is not confirmed). The report pack and the exports need report:export
// as well: a practice manager (no such permission) gets 403; a delivery partner whose scope is
// a list of practices holds the permission but not the ICB, so 404.
const cookies = useRoleCookies(() => seedGaps(getDb()));

const EXPORT_QMF: Expect = { ...QMF_ONLY, practiceManager: 403 };
const EXPORT_QHM: Expect = { ...OTHER_ICB, practiceManager: 403 };
const NO_ICB: Expect = { ...OTHER_ICB, admin: 404 };

const MATRIX: MatrixRow[] = [
  { file: "icbs.$code_.dashboard.tsx", module: dashboard, path: "/icbs/QMF/dashboard", params: { code: "QMF" }, expect: QMF_ONLY },
  { file: "icbs.$code_.dashboard.tsx", module: dashboard, path: "/icbs/QHM/dashboard", params: { code: "QHM" }, expect: OTHER_ICB },
  { file: "icbs.$code_.dashboard.tsx", module: dashboard, path: "/icbs/ZZZ/dashboard", params: { code: "ZZZ" }, expect: NO_ICB },
  { file: "icbs.$code_.report.tsx", module: report, path: "/icbs/QMF/report", params: { code: "QMF" }, expect: EXPORT_QMF },
  { file: "icbs.$code_.report.tsx", module: report, path: "/icbs/QHM/report", params: { code: "QHM" }, expect: EXPORT_QHM },
  {
    file: "icbs.$code_.dashboard.export.tsx",
    module: dashboardExport,
    path: "/icbs/QMF/dashboard/export?format=xlsx",
    params: { code: "QMF" },
    expect: EXPORT_QMF,
  },
  {
    file: "icbs.$code_.dashboard.export.tsx",
    module: dashboardExport,
    path: "/icbs/QMF/dashboard/export?format=csv",
    params: { code: "QMF" },
    expect: EXPORT_QMF,
  },
  {
    file: "icbs.$code_.dashboard.export.tsx",
    module: dashboardExport,
    path: "/icbs/QHM/dashboard/export?format=xlsx",
    params: { code: "QHM" },
    expect: EXPORT_QHM,
  },
  {
    file: "icbs.$code_.dashboard.export.tsx",
    module: dashboardExport,
    path: "/icbs/QMF/dashboard/export?format=pdf",
    params: { code: "QMF" },
    expect: { ...EXPORT_QMF, admin: 400, icbLead: 400, partnerIcb: 400 },
  },
];

describe("scoping: ICB dashboard, report pack and exports", () => {
  defineMatrix(MATRIX, cookies);

  it("a code in the URL never widens the scope: the QMF lead's dashboard shows only QMF's gaps", async () => {
    const r = await call(dashboard.loader, get("/icbs/QMF/dashboard", cookies.icbLead), { code: "QMF" });
    expect(r.status).toBe(200);
    // The 20 highest-priority gaps are the report pack's (the dashboard page does not show them);
    // both read the same figures for the ICB in the user's scope.
    const pack = await call(report.loader, get("/icbs/QMF/report", cookies.icbLead), { code: "QMF" });
    expect(pack.status).toBe(200);
    const codes = new Set((pack.data.topGaps as { practiceCode: string }[]).map((g) => g.practiceCode));
    expect(codes.size).toBeGreaterThan(0);
    for (const c of codes) expect(["F84003", "F84013"]).toContain(c);
    expect(r.data.headline.practices).toBe(2);
    expect(unpackRiskRows(r.data.risk.rows).map((x) => x.pcn_code)).toEqual(["U05451"]);
    // Another ICB's dashboard stays closed to the same user.
    expect((await call(dashboard.loader, get("/icbs/QHM/dashboard", cookies.icbLead), { code: "QHM" })).status).toBe(404);
  });

  it("the dashboard offers the report and exports to those who may export", async () => {
    const lead = await call(dashboard.loader, get("/icbs/QMF/dashboard", cookies.icbLead), { code: "QMF" });
    expect(lead.data.canExport).toBe(true);
    const partner = await call(dashboard.loader, get("/icbs/QMF/dashboard", cookies.partnerIcb), { code: "QMF" });
    expect(partner.data.canExport).toBe(true);
  });

  it("an export is a download of the ICB's own figures", async () => {
    const r = await call(dashboardExport.loader, get("/icbs/QMF/dashboard/export?format=csv", cookies.partnerIcb), { code: "QMF" });
    expect(r.status).toBe(200);
    expect(r.response!.headers.get("Content-Disposition")).toMatch(/^attachment; filename="QMF-dashboard-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = await r.response!.text();
    expect(text).toContain("Gaps by domain");
    expect(text).not.toContain("A81001");
  });
});
