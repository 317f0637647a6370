import { beforeAll, describe, expect, it } from "vitest";
import * as gapExport from "~/routes/gaps.export";
import * as gapPage from "~/routes/gaps.$id";
import * as gapRegister from "~/routes/gaps._index";
import { unpackOrgChoices } from "~/modules/gaps/options-wire";
import { unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import * as practiceGaps from "~/routes/practices.$ods.gaps";
import { getDb } from "~/utils/db.server";
import { seedGaps } from "../support/gaps-fixture";
import { call, get } from "../support/requests";
import { ALL, defineMatrix, OTHER_ICB, QMF_ONLY, READ_F84003, useRoleCookies, type MatrixRow, type RoleKey } from "../support/scoping";

// The gap register and its pages: everyone who reads organisations sees gaps, but only those of
// the practices in their own scope; a gap or practice outside it is a 404 whatever the URL says.
// Exports need report:export (not practice managers).
const cookies = useRoleCookies(() => seedGaps(getDb()));

/** A gap id at each fixture practice, filled in once the gaps exist (the rows read path and params when they run). */
const gapRow = (ods: string, expect: MatrixRow["expect"]): MatrixRow => ({
  file: "gaps.$id.tsx",
  module: gapPage,
  path: `/gaps/<a gap at ${ods}>`,
  params: { id: ods },
  expect,
});
const GAP_ROWS = [gapRow("F84003", READ_F84003), gapRow("F84013", { ...QMF_ONLY, partnerPractice: 200 }), gapRow("A81001", OTHER_ICB)];

beforeAll(async () => {
  for (const row of GAP_ROWS) {
    const ods = row.params!.id;
    const g = await getDb().selectFrom("gap").select("id").where("practice_code", "=", ods).orderBy("id").executeTakeFirstOrThrow();
    row.path = `/gaps/${g.id}`;
    row.params = { id: String(g.id) };
  }
});

const NO_EXPORT = { anonymous: 302, nobody: 403, admin: 200, icbLead: 200, partnerIcb: 200, partnerPractice: 200, practiceManager: 403 };

const MATRIX: MatrixRow[] = [
  { file: "gaps._index.tsx", module: gapRegister, path: "/gaps", expect: ALL(200) },
  { file: "gaps._index.tsx", module: gapRegister, path: "/gaps?group=pcn&status=all&sort=cost", expect: ALL(200) },
  ...GAP_ROWS,
  { file: "gaps.$id.tsx", module: gapPage, path: "/gaps/99999999", params: { id: "99999999" }, expect: { ...OTHER_ICB, admin: 404 } },
  { file: "gaps.$id.tsx", module: gapPage, path: "/gaps/abc", params: { id: "abc" }, expect: { ...OTHER_ICB, admin: 404 } },
  { file: "practices.$ods.gaps.tsx", module: practiceGaps, path: "/practices/F84003/gaps", params: { ods: "F84003" }, expect: READ_F84003 },
  {
    file: "practices.$ods.gaps.tsx",
    module: practiceGaps,
    path: "/practices/F84013/gaps",
    params: { ods: "F84013" },
    expect: { ...QMF_ONLY, partnerPractice: 200 },
  },
  { file: "practices.$ods.gaps.tsx", module: practiceGaps, path: "/practices/A81001/gaps", params: { ods: "A81001" }, expect: OTHER_ICB },
  { file: "gaps.export.tsx", module: gapExport, path: "/gaps/export?format=csv", expect: NO_EXPORT },
  { file: "gaps.export.tsx", module: gapExport, path: "/gaps/export?format=xlsx&icb=QHM", expect: NO_EXPORT },
];

describe("scoping: gap register", () => {
  defineMatrix(MATRIX, cookies);

  const practicesSeen = async (role: RoleKey, query = "") => {
    const r = await call(gapRegister.loader, get(`/gaps${query}`, cookies[role]));
    expect(r.status).toBe(200);
    return {
      codes: [...new Set(unpackRegisterRows(r.data.page.rows).map((g) => g.practiceCode))].sort(),
      total: r.data.page.total as number,
    };
  };

  it("lists only the gaps of practices in each role's scope", async () => {
    expect((await practicesSeen("admin", "?sort=practice&page=1")).total).toBeGreaterThan((await practicesSeen("icbLead")).total);
    expect((await practicesSeen("icbLead", "?practice=F84003")).codes).toEqual(["F84003"]);
    expect((await practicesSeen("icbLead", "?practice=F84013")).codes).toEqual(["F84013"]);
    expect((await practicesSeen("partnerPractice")).codes).toEqual(["F84013"]);
    expect((await practicesSeen("practiceManager")).codes).toEqual(["F84003"]);
  });

  it("a filter naming an organisation outside the scope returns nothing, never widens it", async () => {
    expect(await practicesSeen("icbLead", "?pcn=U89141")).toEqual({ codes: [], total: 0 });
    expect(await practicesSeen("icbLead", "?icb=QHM")).toEqual({ codes: [], total: 0 });
    expect(await practicesSeen("practiceManager", "?practice=F84013")).toEqual({ codes: [], total: 0 });
    expect(await practicesSeen("partnerPractice", "?pcn=U05451&practice=F84003")).toEqual({ codes: [], total: 0 });
    expect((await practicesSeen("admin", "?pcn=U89141")).codes).toEqual(["A81001"]);
  });

  it("filter choices list only organisations in scope", async () => {
    const r = await call(gapRegister.loader, get("/gaps", cookies.practiceManager));
    expect(unpackOrgChoices(r.data.options)).toEqual({
      icbs: [{ code: "QMF", name: expect.any(String) }],
      subIcbs: [expect.objectContaining({ code: "A3A8R" })],
      pcns: [expect.objectContaining({ code: "U05451" })],
      practices: [expect.objectContaining({ code: "F84003" })],
    });
  });

  it("only people who may request funding get the selection (and only for gaps they may request)", async () => {
    const pm = await call(gapRegister.loader, get("/gaps", cookies.practiceManager));
    expect(pm.data.canRequestFunding).toBe(false);
    expect(unpackRegisterRows(pm.data.page.rows).some((g) => g.selectable)).toBe(false);
    const dp = await call(gapRegister.loader, get("/gaps", cookies.partnerIcb));
    expect(dp.data.canRequestFunding).toBe(true);
    expect(unpackRegisterRows(dp.data.page.rows).every((g) => g.selectable)).toBe(true);
  });
});
