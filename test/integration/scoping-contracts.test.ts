import { describe, expect, it } from "vitest";
import * as importPage from "~/routes/contracts.import";
import * as newPage from "~/routes/contracts.new";
import * as editPage from "~/routes/contracts.$id.edit";
import * as endPage from "~/routes/contracts.$id.end";
import * as icbPage from "~/routes/icbs.$code_.contracts._index";
import * as icbExport from "~/routes/icbs.$code_.contracts.export";
import * as practicePage from "~/routes/practices.$ods.contracts._index";
import * as practiceExport from "~/routes/practices.$ods.contracts.export";
import { getDb } from "~/utils/db.server";
import { BASE, call, get, post, flashFor } from "../support/requests";
import { OTHER_ICB, QMF_ONLY, READ_F84003, defineMatrix, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

// Contracts: everyone who can read a practice reads its contracts; ICB leads (their ICBs),
// delivery partners (the ICBs or practices they serve) and admins change them; practice
// managers read only. The ICB register needs the whole ICB in view.
const MANAGE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 200,
  partnerPractice: 200,
  practiceManager: 403,
};
/** Changing F84003's contracts: the practice-list partner (F84013 only) does not see it (404); the manager may not change it (403). */
const MANAGE_F84003: Expect = { ...MANAGE, partnerPractice: 404 };

// Fixed ids, so the matrix can name the edit and end pages.
const f84003Contract = 9001;
const a81001Contract = 9002;

const cookies = useRoleCookies(async () => {
  await getDb()
    .insertInto("supplier_contract")
    .values([
      {
        id: f84003Contract,
        practice_code: "F84003",
        supplier: "X-on",
        category: "telephony",
        starts_on: "2024-04-01",
        ends_on: "2027-03-31",
        annual_cost_pence: 480000,
        paid_by: "practice",
        reference: "XON-1",
      },
      {
        id: a81001Contract,
        practice_code: "A81001",
        supplier: "X-on",
        category: "telephony",
        starts_on: "2024-04-01",
        ends_on: "2027-03-31",
        annual_cost_pence: 480000,
        paid_by: "practice",
        reference: "XON-2",
      },
    ])
    .execute();
});

const FIELDS = {
  supplier: "X-on",
  category: "telephony",
  service: "",
  framework: "",
  starts_on: "01/04/2024",
  ends_on: "31/03/2027",
  notice_months: "3",
  annual_cost: "1",
  paid_by: "practice",
  reference: "XON-1",
  version: "1",
};

const MATRIX: MatrixRow[] = [
  {
    file: "practices.$ods.contracts._index.tsx",
    module: practicePage,
    path: "/practices/F84003/contracts",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "practices.$ods.contracts._index.tsx",
    module: practicePage,
    path: "/practices/A81001/contracts",
    params: { ods: "A81001" },
    expect: OTHER_ICB,
  },
  {
    file: "practices.$ods.contracts.export.ts",
    module: practiceExport,
    path: "/practices/F84003/contracts/export",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "practices.$ods.contracts.export.ts",
    module: practiceExport,
    path: "/practices/A81001/contracts/export",
    params: { ods: "A81001" },
    expect: OTHER_ICB,
  },
  { file: "icbs.$code_.contracts._index.tsx", module: icbPage, path: "/icbs/QMF/contracts", params: { code: "QMF" }, expect: QMF_ONLY },
  { file: "icbs.$code_.contracts._index.tsx", module: icbPage, path: "/icbs/QHM/contracts", params: { code: "QHM" }, expect: OTHER_ICB },
  {
    file: "icbs.$code_.contracts.export.ts",
    module: icbExport,
    path: "/icbs/QMF/contracts/export",
    params: { code: "QMF" },
    expect: QMF_ONLY,
  },
  { file: "contracts.import.tsx", module: importPage, path: "/contracts/import", expect: MANAGE },
  { file: "contracts.new.tsx", module: newPage, path: "/contracts/new?practice=F84003", expect: MANAGE_F84003 },
  { file: "contracts.new.tsx", module: newPage, path: "/contracts/new?practice=F84013", expect: MANAGE },
  { file: "contracts.new.tsx", module: newPage, path: "/contracts/new?icb=QMF", expect: { ...MANAGE, partnerPractice: 404 } },
  { file: "contracts.new.tsx", module: newPage, path: "/contracts/new?practice=A81001", expect: { ...OTHER_ICB, practiceManager: 403 } },
  { file: "contracts.$id.edit.tsx", module: editPage, path: "/contracts/9001/edit", params: { id: "9001" }, expect: MANAGE_F84003 },
  { file: "contracts.$id.end.tsx", module: endPage, path: "/contracts/9001/end", params: { id: "9001" }, expect: MANAGE_F84003 },
  {
    file: "contracts.$id.edit.tsx",
    module: editPage,
    method: "POST",
    path: "/contracts/9002/edit",
    params: { id: "9002" },
    fields: {},
    expect: { ...OTHER_ICB, practiceManager: 403 },
  },
];

describe("supplier contracts scoping", () => {
  defineMatrix(MATRIX, cookies);

  it("edit and end pages follow the contract's practice: in scope to manage, 404 beyond read scope, 403 for the practice manager", async () => {
    for (const [role, want] of Object.entries(MANAGE_F84003) as [keyof typeof MANAGE_F84003, number][]) {
      for (const [mod, suffix] of [
        [editPage, "edit"],
        [endPage, "end"],
      ] as const) {
        const res = await call(mod.loader, get(`/contracts/${f84003Contract}/${suffix}`, cookies[role]), { id: String(f84003Contract) });
        expect([role, suffix, res.status]).toEqual([role, suffix, want]);
      }
    }
    for (const role of ["icbLead", "partnerIcb", "partnerPractice", "practiceManager"] as const) {
      const res = await call(editPage.loader, get(`/contracts/${a81001Contract}/edit`, cookies[role]), { id: String(a81001Contract) });
      expect([role, res.status]).toEqual([role, role === "practiceManager" ? 403 : 404]);
    }
  });

  it("a practice manager cannot change contracts by form tampering; others' posts outside scope change nothing", async () => {
    const before = await getDb()
      .selectFrom("supplier_contract")
      .select(["id", "annual_cost_pence", "version", "ended_on"])
      .orderBy("id")
      .execute();
    const tries = [
      {
        role: "practiceManager",
        fn: editPage.action,
        path: `/contracts/${f84003Contract}/edit`,
        id: f84003Contract,
        fields: FIELDS,
        want: 403,
      },
      {
        role: "practiceManager",
        fn: endPage.action,
        path: `/contracts/${f84003Contract}/end`,
        id: f84003Contract,
        fields: { ended_on: "01/01/2026", version: "1" },
        want: 403,
      },
      { role: "practiceManager", fn: newPage.action, path: "/contracts/new?practice=F84003", id: 0, fields: FIELDS, want: 403 },
      { role: "icbLead", fn: editPage.action, path: `/contracts/${a81001Contract}/edit`, id: a81001Contract, fields: FIELDS, want: 404 },
      {
        role: "partnerPractice",
        fn: endPage.action,
        path: `/contracts/${f84003Contract}/end`,
        id: f84003Contract,
        fields: { ended_on: "01/01/2026", version: "1" },
        want: 404,
      },
      { role: "icbLead", fn: newPage.action, path: "/contracts/new?practice=A81001", id: 0, fields: FIELDS, want: 404 },
    ] as const;
    for (const t of tries) {
      const res = await call(t.fn, post(t.path, t.fields, { cookie: cookies[t.role] }), { id: String(t.id) });
      expect([t.role, t.path, res.status]).toEqual([t.role, t.path, t.want]);
    }
    expect(
      await getDb().selectFrom("supplier_contract").select(["id", "annual_cost_pence", "version", "ended_on"]).orderBy("id").execute(),
    ).toEqual(before);
  });

  it("the ICB lead changes a contract at the version read; a stale form is told so next to nothing saved", async () => {
    const ok = await call(
      editPage.action,
      post(`/contracts/${f84003Contract}/edit`, { ...FIELDS, annual_cost: "5000" }, { cookie: cookies.icbLead }),
      {
        id: String(f84003Contract),
      },
    );
    expect(ok.status).toBe(302);
    expect(ok.location).toBe("/practices/F84003/contracts");
    expect(await flashFor(cookies.icbLead!)).toBe("Contract changed.");
    const stale = await call(
      editPage.action,
      post(`/contracts/${f84003Contract}/edit`, { ...FIELDS, annual_cost: "1" }, { cookie: cookies.icbLead }),
      {
        id: String(f84003Contract),
      },
    );
    expect(stale.data).toMatchObject({ ok: false, formError: expect.stringContaining("Someone else changed this contract") });
    const bad = await call(
      endPage.action,
      post(`/contracts/${f84003Contract}/end`, { ended_on: "01/01/2030", version: "2" }, { cookie: cookies.icbLead }),
      {
        id: String(f84003Contract),
      },
    );
    expect(bad.data).toEqual({ ok: false, fieldErrors: { ended_on: expect.stringContaining("on or before") } });
    const row = await getDb()
      .selectFrom("supplier_contract")
      .select(["annual_cost_pence", "version", "ended_on"])
      .where("id", "=", f84003Contract)
      .executeTakeFirstOrThrow();
    expect(row).toEqual({ annual_cost_pence: 500000, version: 2, ended_on: null });
  });

  it("an import row for a practice outside the importer's scope is refused on that row", async () => {
    const form = new FormData();
    form.append(
      "file",
      new File(
        [
          [
            "ODS code,Supplier,Category,Start date,End date,Annual cost,Paid by,Contract reference",
            "F84013,Accurx,Online consultation,01/04/2025,31/03/2027,2400,Practice,ACX-1",
            "F84003,Accurx,Online consultation,01/04/2025,31/03/2027,2400,Practice,ACX-2",
          ].join("\n"),
        ],
        "c.csv",
      ),
    );
    form.append("file_date", "01/12/2026");
    const req = new Request(`${BASE}/contracts/import`, {
      method: "POST",
      headers: { Cookie: cookies.partnerPractice ?? "", Origin: BASE },
      body: form,
    });
    const res = await call(importPage.action, req);
    expect(res.data).toMatchObject({
      ok: true,
      counts: { created: 1, rejected: 1, fileDate: "2026-12-01" },
      issues: [{ row: 3, column: "ODS code", message: "F84003 is not a practice whose contracts you can change" }],
    });
    const pm = new Request(`${BASE}/contracts/import`, {
      method: "POST",
      headers: { Cookie: cookies.practiceManager ?? "", Origin: BASE },
      body: new FormData(),
    });
    expect((await call(importPage.action, pm)).status).toBe(403);
    // The practice manager reads their own practice's contracts, and nobody else's.
    const mine = await call(practicePage.loader, get("/practices/F84003/contracts", cookies.practiceManager), { ods: "F84003" });
    expect(mine.data.canManage).toBe(false);
    expect(mine.data.page.rows.map((r: any) => r.reference)).toEqual(["XON-1"]);
  });
});
