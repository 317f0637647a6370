import fs from "node:fs";
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import * as home from "~/routes/_index";
import * as icbs from "~/routes/icbs._index";
import * as icb from "~/routes/icbs.$code";
import * as subIcb from "~/routes/sub-icbs.$code";
import * as pcn from "~/routes/pcns.$code";
import * as practices from "~/routes/practices._index";
import * as practice from "~/routes/practices.$ods";
import * as users from "~/routes/admin.users._index";
import * as newUser from "~/routes/admin.users.new";
import * as userPage from "~/routes/admin.users.$id";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { call, cookieFor, get, post } from "../support/requests";

type RoleKey = "anonymous" | "nobody" | "admin" | "icbLead" | "partnerIcb" | "partnerPractice" | "practiceManager";
const EMAILS: Record<Exclude<RoleKey, "anonymous">, string> = {
  nobody: "none@test.nhs.test",
  admin: "admin@test.nhs.test",
  icbLead: "lead@test.nhs.test",
  partnerIcb: "dp@test.nhs.test",
  partnerPractice: "dp2@test.nhs.test",
  practiceManager: "pm@test.nhs.test",
};

// Route file → module. Every file in app/routes must be here or in PUBLIC_ROUTES, so a new
// route cannot be added without deciding who may use it.
const MODULES: Record<string, { loader?: any; action?: any }> = {
  "_index.tsx": home,
  "icbs._index.tsx": icbs,
  "icbs.$code.tsx": icb,
  "sub-icbs.$code.tsx": subIcb,
  "pcns.$code.tsx": pcn,
  "practices._index.tsx": practices,
  "practices.$ods.tsx": practice,
  "admin.users._index.tsx": users,
  "admin.users.new.tsx": newUser,
  "admin.users.$id.tsx": userPage,
};
const PUBLIC_ROUTES = ["healthz.ts", "sign-in.tsx", "sign-out.tsx"];

// Expected status of each GET per role. 404 (not 403) for a record out of scope: it does not
// confirm that the record exists. 302 for anonymous is the redirect to sign-in.
const ALL = (s: number) => ({ anonymous: 302, nobody: 403, admin: s, icbLead: s, partnerIcb: s, partnerPractice: s, practiceManager: s });
const QMF_ONLY = { anonymous: 302, nobody: 403, admin: 200, icbLead: 200, partnerIcb: 200, partnerPractice: 404, practiceManager: 404 };
const OTHER_ICB = { anonymous: 302, nobody: 403, admin: 200, icbLead: 404, partnerIcb: 404, partnerPractice: 404, practiceManager: 404 };
const ADMIN_ONLY = { anonymous: 302, nobody: 403, admin: 200, icbLead: 403, partnerIcb: 403, partnerPractice: 403, practiceManager: 403 };

const MATRIX: { file: string; path: string; params?: Record<string, string>; expect: Record<RoleKey, number> }[] = [
  { file: "_index.tsx", path: "/", expect: ALL(200) },
  { file: "icbs._index.tsx", path: "/icbs", expect: ALL(200) },
  { file: "icbs.$code.tsx", path: "/icbs/QMF", params: { code: "QMF" }, expect: QMF_ONLY },
  { file: "icbs.$code.tsx", path: "/icbs/QHM", params: { code: "QHM" }, expect: OTHER_ICB },
  { file: "sub-icbs.$code.tsx", path: "/sub-icbs/A3A8R", params: { code: "A3A8R" }, expect: QMF_ONLY },
  { file: "sub-icbs.$code.tsx", path: "/sub-icbs/16C", params: { code: "16C" }, expect: OTHER_ICB },
  { file: "pcns.$code.tsx", path: "/pcns/U05451", params: { code: "U05451" }, expect: QMF_ONLY },
  { file: "pcns.$code.tsx", path: "/pcns/U89141", params: { code: "U89141" }, expect: OTHER_ICB },
  { file: "practices._index.tsx", path: "/practices", expect: { ...ALL(200), practiceManager: 302, partnerPractice: 302 } },
  { file: "practices.$ods.tsx", path: "/practices/F84003", params: { ods: "F84003" }, expect: { ...QMF_ONLY, practiceManager: 200 } },
  { file: "practices.$ods.tsx", path: "/practices/F84013", params: { ods: "F84013" }, expect: { ...QMF_ONLY, partnerPractice: 200 } },
  { file: "practices.$ods.tsx", path: "/practices/A81001", params: { ods: "A81001" }, expect: OTHER_ICB },
  { file: "practices.$ods.tsx", path: "/practices/ZZZ999", params: { ods: "ZZZ999" }, expect: { ...OTHER_ICB, admin: 404 } },
  { file: "admin.users._index.tsx", path: "/admin/users", expect: ADMIN_ONLY },
  { file: "admin.users.new.tsx", path: "/admin/users/new", expect: ADMIN_ONLY },
  { file: "admin.users.$id.tsx", path: "/admin/users/1", params: { id: "1" }, expect: ADMIN_ONLY },
];

const cookies: Partial<Record<RoleKey, string>> = {};

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  for (const [role, email] of Object.entries(EMAILS)) cookies[role as RoleKey] = await cookieFor(email);
});

describe("role × route scoping matrix", () => {
  it("covers every route file", () => {
    const files = fs.readdirSync(path.resolve("app/routes"));
    const uncovered = files.filter((f) => !MODULES[f] && !PUBLIC_ROUTES.includes(f));
    expect(uncovered).toEqual([]);
    for (const f of Object.keys(MODULES)) expect(MATRIX.some((m) => m.file === f)).toBe(true);
  });

  for (const row of MATRIX) {
    for (const role of Object.keys(row.expect) as RoleKey[]) {
      it(`GET ${row.path} as ${role} → ${row.expect[role]}`, async () => {
        const res = await call(MODULES[row.file].loader, get(row.path, cookies[role]), row.params);
        expect(res.status).toBe(row.expect[role]);
        if (role === "anonymous") expect(res.location).toMatch(/^\/sign-in\?redirectTo=/);
      });
    }
  }
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
      post("/admin/users/new", { name: "X", email: "x@test.nhs.test", password: "long enough password", role: "admin" }, { cookie: cookies.practiceManager }),
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
