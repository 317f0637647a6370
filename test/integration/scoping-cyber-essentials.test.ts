import { describe, expect, it } from "vitest";
import * as cePage from "~/routes/cyber-essentials";
import * as securityPage from "~/routes/practices.$ods.security";
import { getDb } from "~/utils/db.server";
import { BASE, call, get } from "../support/requests";
import { OTHER_ICB, READ_F84003, defineMatrix, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

// Certificates are evidence the ICB verifies: ICB leads (their ICBs) and admins import them.
// A non-multipart POST from them is answered on the page (200) with the error.
const VERIFIERS: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 403,
  practiceManager: 403,
};
const MATRIX: MatrixRow[] = [
  { file: "cyber-essentials.tsx", module: cePage, path: "/cyber-essentials", expect: VERIFIERS },
  { file: "cyber-essentials.tsx", module: cePage, method: "POST", path: "/cyber-essentials", fields: {}, expect: VERIFIERS },
  {
    file: "practices.$ods.security.tsx",
    module: securityPage,
    path: "/practices/F84003/security",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "practices.$ods.security.tsx",
    module: securityPage,
    path: "/practices/A81001/security",
    params: { ods: "A81001" },
    expect: OTHER_ICB,
  },
];

const cookies = useRoleCookies();

function uploadRequest(cookie: string | undefined, content: string) {
  const form = new FormData();
  form.append("file", new File([content], "ce.csv"));
  return new Request(`${BASE}/cyber-essentials`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}

const HEAD = "ODS code,Level,Certificate number,Issue date";
const FILE = [HEAD, "F84003,CE+,IASME-CEP-100,01/09/2026", "A81001,CE+,IASME-CEP-101,01/09/2026"].join("\n");

describe("Cyber Essentials import scoping", () => {
  defineMatrix(MATRIX, cookies);

  it("refuses an upload from delivery partners and practice managers, writing nothing", async () => {
    for (const role of ["partnerIcb", "partnerPractice", "practiceManager", "nobody"] as const) {
      expect((await call(cePage.action, uploadRequest(cookies[role], FILE))).status).toBe(403);
    }
    expect(await getDb().selectFrom("cyber_essentials_certificate").selectAll().execute()).toEqual([]);
  });

  it("an ICB lead imports only their own ICB's practices: another ICB's row is refused by row", async () => {
    const res = await call(cePage.action, uploadRequest(cookies.icbLead, FILE));
    expect(res.status).toBe(200);
    expect(res.data).toMatchObject({
      ok: true,
      counts: { created: 1, rejected: 1 },
      issues: [{ row: 3, column: "ODS code", message: "A81001 is not a practice you can update" }],
    });
    const stored = await getDb().selectFrom("cyber_essentials_certificate").select("practice_code").execute();
    expect(stored).toEqual([{ practice_code: "F84003" }]);
    // Their run is listed for them; the admin sees every run.
    const mine = await call(cePage.loader, get("/cyber-essentials", cookies.icbLead));
    expect(mine.data.imports.rows.map((r: any) => [r.file_name, r.counts.created])).toEqual([["ce.csv", 1]]);
    // The certificate shows on the practice's page to those who can read the practice, not beyond.
    const page = await call(securityPage.loader, get("/practices/F84003/security", cookies.practiceManager), { ods: "F84003" });
    expect(page.data.certificates.map((c: any) => c.certificate_number)).toEqual(["IASME-CEP-100"]);
    const bad = await call(cePage.action, uploadRequest(cookies.admin, "Code,Name\nF84003,X\n"));
    expect(bad.data).toEqual({
      ok: false,
      fieldErrors: { file: expect.stringContaining("no Level, Certificate number, Issue date column") },
    });
  });
});
