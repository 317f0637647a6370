import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import * as home from "~/routes/_index";
import * as icbs from "~/routes/icbs._index";
import * as icb from "~/routes/icbs.$code";
import * as subIcb from "~/routes/sub-icbs.$code";
import * as pcn from "~/routes/pcns.$code";
import * as practices from "~/routes/practices._index";
import * as practice from "~/routes/practices.$ods._index";
import * as users from "~/routes/admin.users._index";
import * as newUser from "~/routes/admin.users.new";
import * as userPage from "~/routes/admin.users.$id";
import { call, get, post } from "../support/requests";
import { ADMIN_ONLY, ALL, defineMatrix, OTHER_ICB, QMF_ONLY, READ_F84003, useRoleCookies, type MatrixRow } from "../support/scoping";

// Route file → module, for the routes this file covers.
const MODULES: Record<string, { loader?: any; action?: any }> = {
  "_index.tsx": home,
  "icbs._index.tsx": icbs,
  "icbs.$code.tsx": icb,
  "sub-icbs.$code.tsx": subIcb,
  "pcns.$code.tsx": pcn,
  "practices._index.tsx": practices,
  "practices.$ods._index.tsx": practice,
  "admin.users._index.tsx": users,
  "admin.users.new.tsx": newUser,
  "admin.users.$id.tsx": userPage,
};
// The reset page is open to whoever holds a link: the token is the credential (test/integration/passwords.test.ts).
const PUBLIC_ROUTES = ["healthz.ts", "sign-in.tsx", "sign-out.tsx", "reset-password.$token.tsx"];

const MATRIX: MatrixRow[] = (
  [
    { file: "_index.tsx", path: "/", expect: ALL(200) },
    { file: "icbs._index.tsx", path: "/icbs", expect: ALL(200) },
    { file: "icbs.$code.tsx", path: "/icbs/QMF", params: { code: "QMF" }, expect: QMF_ONLY },
    { file: "icbs.$code.tsx", path: "/icbs/QHM", params: { code: "QHM" }, expect: OTHER_ICB },
    { file: "sub-icbs.$code.tsx", path: "/sub-icbs/A3A8R", params: { code: "A3A8R" }, expect: QMF_ONLY },
    { file: "sub-icbs.$code.tsx", path: "/sub-icbs/16C", params: { code: "16C" }, expect: OTHER_ICB },
    { file: "pcns.$code.tsx", path: "/pcns/U05451", params: { code: "U05451" }, expect: QMF_ONLY },
    { file: "pcns.$code.tsx", path: "/pcns/U89141", params: { code: "U89141" }, expect: OTHER_ICB },
    { file: "practices._index.tsx", path: "/practices", expect: { ...ALL(200), practiceManager: 302, partnerPractice: 302 } },
    { file: "practices.$ods._index.tsx", path: "/practices/F84003", params: { ods: "F84003" }, expect: READ_F84003 },
    {
      file: "practices.$ods._index.tsx",
      path: "/practices/F84013",
      params: { ods: "F84013" },
      expect: { ...QMF_ONLY, partnerPractice: 200 },
    },
    { file: "practices.$ods._index.tsx", path: "/practices/A81001", params: { ods: "A81001" }, expect: OTHER_ICB },
    { file: "practices.$ods._index.tsx", path: "/practices/ZZZ999", params: { ods: "ZZZ999" }, expect: { ...OTHER_ICB, admin: 404 } },
    { file: "admin.users._index.tsx", path: "/admin/users", expect: ADMIN_ONLY },
    { file: "admin.users.new.tsx", path: "/admin/users/new", expect: ADMIN_ONLY },
    { file: "admin.users.$id.tsx", path: "/admin/users/1", params: { id: "1" }, expect: ADMIN_ONLY },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies();

describe("role × route scoping matrix", () => {
  it("covers every route file, here or in another scoping-*.test.ts file", () => {
    const dir = path.resolve("test/integration");
    const covered = new Set(Object.keys(MODULES));
    for (const f of fs.readdirSync(dir).filter((n) => /^scoping.*\.test\.ts$/.test(n))) {
      for (const m of fs.readFileSync(path.join(dir, f), "utf8").matchAll(/file: "([^"]+)"/g)) covered.add(m[1]);
    }
    const files = fs.readdirSync(path.resolve("app/routes"));
    const uncovered = files.filter((f) => !covered.has(f) && !PUBLIC_ROUTES.includes(f));
    expect(uncovered).toEqual([]);
  });

  defineMatrix(MATRIX, cookies);
});

describe("lists show only what is in scope", () => {
  it("an ICB lead's practice search returns only that ICB's practices", async () => {
    const res = await call(practices.loader, get("/practices", cookies.icbLead));
    const codes = res.data.page.rows.map((r: any) => r.ods_code).sort();
    expect(codes).toEqual(["F84003", "F84013"]);
  });

  it("a practice-list delivery partner searching by another practice's code finds nothing", async () => {
    const res = await call(practices.loader, get("/practices?q=F84003", cookies.partnerPractice));
    expect(res.data.page.total).toBe(0);
  });

  it("an ICB lead's ICB list holds only their ICB, an admin's holds all", async () => {
    const lead = await call(icbs.loader, get("/icbs", cookies.icbLead));
    expect(lead.data.rows.map((r: any) => r.code)).toEqual(["QMF"]);
    const admin = await call(icbs.loader, get("/icbs", cookies.admin));
    expect(admin.data.rows.map((r: any) => r.code).sort()).toEqual(["QHM", "QMF"]);
  });

  it("a PCN page lists only the practices the user may see", async () => {
    const res = await call(pcn.loader, get("/pcns/U05451", cookies.icbLead), { code: "U05451" });
    expect(res.data.practices.total).toBe(2);
  });

  it("a practice manager is sent straight to their own practice", async () => {
    const res = await call(practices.loader, get("/practices", cookies.practiceManager));
    expect(res.location).toBe("/practices/F84003");
  });
});

describe("form tampering", () => {
  it("a practice manager cannot create users or grant themselves a wider role", async () => {
    const create = await call(
      newUser.action,
      post(
        "/admin/users/new",
        { name: "X", email: "x@test.nhs.test", password: "long enough password", role: "admin" },
        { cookie: cookies.practiceManager },
      ),
    );
    expect(create.status).toBe(403);
    const grant = await call(
      userPage.action,
      post("/admin/users/1", { intent: "add-membership", role: "icb_lead", icbCode: "QMF" }, { cookie: cookies.practiceManager }),
      { id: "1" },
    );
    expect(grant.status).toBe(403);
    const rows = await getDb().selectFrom("membership").select("role").where("role", "=", "icb_lead").execute();
    expect(rows).toHaveLength(1); // only the seeded ICB lead
  });

  it("an ICB lead cannot manage users either", async () => {
    const res = await call(
      userPage.action,
      post("/admin/users/1", { intent: "remove-membership", membershipId: "1" }, { cookie: cookies.icbLead }),
      { id: "1" },
    );
    expect(res.status).toBe(403);
  });
});
