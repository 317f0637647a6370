import { beforeAll, expect, it } from "vitest";
import type { Db } from "#db/connect";
import { getDb } from "~/utils/db.server";
import { createRoleUsers, createUser, seedOrgs } from "./factories";
import { call, cookiesFor, get, post } from "./requests";

export type RoleKey = "anonymous" | "nobody" | "admin" | "icbLead" | "partnerIcb" | "partnerPractice" | "practiceManager";
export const EMAILS: Record<Exclude<RoleKey, "anonymous">, string> = {
  nobody: "none@test.nhs.test",
  admin: "admin@test.nhs.test",
  icbLead: "lead@test.nhs.test",
  partnerIcb: "dp@test.nhs.test",
  partnerPractice: "dp2@test.nhs.test",
  practiceManager: "pm@test.nhs.test",
};

// Expected statuses per role. The fixture (test/support/factories.ts): QMF holds F84003 (the
// practice manager's) and F84013 (the practice-list delivery partner's); QHM holds A81001.
// 404 (not 403) for a record out of read scope, so its existence is not confirmed; 403 for
// something in view that the role may not do; 302 for anonymous is the redirect to sign-in.
export type Expect = Record<RoleKey, number>;
export const ALL = (s: number): Expect => ({
  anonymous: 302,
  nobody: 403,
  admin: s,
  icbLead: s,
  partnerIcb: s,
  partnerPractice: s,
  practiceManager: s,
});
export const QMF_ONLY: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 404,
};
export const OTHER_ICB: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};
export const ADMIN_ONLY: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 403,
  practiceManager: 403,
};
/** Reading practice F84003: everyone whose scope includes it. */
export const READ_F84003: Expect = { ...QMF_ONLY, practiceManager: 200 };

export interface MatrixRow {
  /** The route file under app/routes, so the coverage check can find it. */
  file: string;
  module: { loader?: unknown; action?: unknown };
  method?: "GET" | "POST";
  path: string;
  params?: Record<string, string>;
  fields?: Record<string, string>;
  expect: Expect;
}

/**
 * The short names the estate page tests give the fixture's users: the practice manager of F84003,
 * QMF's delivery partner, QMF's lead, the delivery partner for F84013 alone, and an admin.
 */
export const STAFF = {
  pm: EMAILS.practiceManager,
  dp: EMAILS.partnerIcb,
  lead: EMAILS.icbLead,
  dp2: EMAILS.partnerPractice,
  admin: EMAILS.admin,
} as const;
export type StaffKey = keyof typeof STAFF;

/**
 * Seeds the shared organisations and role users (factories.ts), then whatever `more` adds, and
 * signs in the staff named, putting their cookies into `cookies` under their short names.
 * Returns the users' ids.
 */
export async function seedAndSignIn(cookies: Record<string, string>, staff: StaffKey[], more?: (db: Db) => Promise<unknown>) {
  const db = getDb();
  await seedOrgs(db);
  const ids = await createRoleUsers(db);
  await more?.(db);
  Object.assign(cookies, await cookiesFor(Object.fromEntries(staff.map((k) => [k, STAFF[k]]))));
  return ids;
}

/**
 * The shared organisations and role users, plus QHM's ICB lead and F84013's own practice manager
 * (emails at `domain`), as the assessment journeys need them. Returns those two emails.
 */
export async function seedAssessmentUsers(domain: string) {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
  const emails = { qhmLead: `lead.qhm@${domain}`, otherManager: `pm.f84013@${domain}` };
  await createUser(db, { email: emails.qhmLead, memberships: [{ role: "icb_lead", icb_code: "QHM" }] });
  await createUser(db, { email: emails.otherManager, memberships: [{ role: "practice_manager", practice_code: "F84013" }] });
  return emails;
}

/** Signs in one user per role once per file, against the shared organisation fixture. */
export function useRoleCookies(extraSetup?: () => Promise<void>) {
  const cookies: Partial<Record<RoleKey, string>> = {};
  beforeAll(async () => {
    const db = getDb();
    await seedOrgs(db);
    await createRoleUsers(db);
    await extraSetup?.();
    Object.assign(cookies, await cookiesFor(EMAILS));
  });
  return cookies;
}

/** One test per row × role: the status a browser would get for that request. */
export function defineMatrix(rows: MatrixRow[], cookies: Partial<Record<RoleKey, string>>) {
  for (const row of rows) {
    const method = row.method ?? "GET";
    for (const role of Object.keys(row.expect) as RoleKey[]) {
      const want = row.expect[role];
      it(`${method} ${row.path} as ${role} → ${want}`, async () => {
        const fn = (method === "GET" ? row.module.loader : row.module.action) as any;
        const request = method === "GET" ? get(row.path, cookies[role]) : post(row.path, row.fields ?? {}, { cookie: cookies[role] });
        const res = await call(fn, request, row.params);
        // A POST let through may answer 200 (data), 302 (redirect after the change), 400 (the form
        // refused on its content) or 409 (the matrix's forms carry no record version, so a change is
        // refused as stale): forms answered 200 for both before formAction. All are past the scope check.
        if (method === "POST" && want === 200) expect([200, 302, 400, 409]).toContain(res.status);
        else expect(res.status).toBe(want);
        if (role === "anonymous") expect(res.location).toMatch(/^\/sign-in\?redirectTo=/);
      });
    }
  }
}
