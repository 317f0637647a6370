import { afterEach, beforeAll, describe, expect, it } from "vitest";
import * as practices from "~/routes/api.v1.practices._index";
import * as practiceRoute from "~/routes/api.v1.practices.$ods._index";
import * as accountTokens from "~/routes/account.tokens";
import * as adminTokens from "~/routes/admin.api-tokens";
import { setApiClock } from "~/modules/api/auth.server";
import { runApiTokenCli } from "~/modules/api/cli.server";
import { hashToken } from "~/modules/api/token.server";
import { signIn } from "~/modules/auth/service.server";
import { UsageError } from "~/utils/cli";
import { getDb } from "~/utils/db.server";
import { apiRequest, callApi, tokenFor } from "../support/api";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { call, cookieFor, get, post } from "../support/requests";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("requests at once on PostgreSQL: the row lock between connections is under test");

const list = (token: string | undefined, headers: Record<string, string> = {}) =>
  callApi(practices, apiRequest("GET", "/api/v1/practices", token, undefined, headers));
const tokenRow = (token: string) =>
  getDb().selectFrom("api_token").selectAll().where("token_hash", "=", hashToken(token)).executeTakeFirstOrThrow();

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await createRoleUsers(db);
});
afterEach(() => setApiClock(null));

describe("a token", () => {
  it("is stored only as a SHA-256 hash, and its use is stamped", async () => {
    const token = await tokenFor("lead@test.nhs.test");
    expect(token).toMatch(/^gpde_[A-Za-z0-9_-]{43}$/);
    const row = await tokenRow(token);
    expect(JSON.stringify(row)).not.toContain(token.slice(5));
    expect(row.last_used_at).toBeNull();
    const at = new Date(Date.now() + 5_000);
    setApiClock(() => at);
    expect((await list(token)).status).toBe(200);
    expect((await tokenRow(token)).last_used_at?.toISOString()).toBe(at.toISOString());
  });

  it("is refused with 401 when missing, malformed, unknown, expired or revoked", async () => {
    const token = await tokenFor("lead@test.nhs.test", { days: 1 });
    expect((await list(undefined)).status).toBe(401);
    expect((await list(undefined, { Authorization: `Basic ${btoa("a:b")}` })).status).toBe(401);
    expect((await list(`gpde_${"A".repeat(43)}`)).body.detail).toBe("This API token is not recognised.");
    setApiClock(() => new Date(Date.now() + 86_400_000 + 1000));
    const expired = await list(token);
    expect(expired.status).toBe(401);
    expect(expired.body.detail).toMatch(/expired/);
    setApiClock(null);
    expect((await list(token)).status).toBe(200);
  });

  it("is refused with 401 at once after its owner revokes it on the account page", async () => {
    const token = await tokenFor("pm@test.nhs.test");
    expect((await list(token)).status).toBe(200);
    const cookie = await cookieFor("pm@test.nhs.test");
    const { id } = await tokenRow(token);
    const res = await call(accountTokens.action, post("/account/tokens", { intent: "revoke", tokenId: String(id) }, { cookie }));
    expect(res.data).toEqual({ ok: true, revoked: true });
    const refused = await list(token);
    expect(refused.status).toBe(401);
    expect(refused.body.detail).toBe("This API token has been revoked.");
    const audit = await getDb()
      .selectFrom("audit_event")
      .select(["action", "user_id"])
      .where("entity_type", "=", "api_token")
      .where("entity_id", "=", String(id))
      .orderBy("id")
      .execute();
    expect(audit.map((a) => a.action)).toEqual(["api_token.create", "api_token.revoke"]);
  });

  it("cannot be revoked by someone else (404), but can by an admin", async () => {
    const token = await tokenFor("dp@test.nhs.test");
    const { id } = await tokenRow(token);
    const other = await call(
      accountTokens.action,
      post("/account/tokens", { intent: "revoke", tokenId: String(id) }, { cookie: await cookieFor("pm@test.nhs.test") }),
    );
    expect(other.status).toBe(404);
    expect((await list(token)).status).toBe(200);
    const admin = await call(
      adminTokens.action,
      post("/admin/api-tokens", { intent: "revoke", tokenId: String(id) }, { cookie: await cookieFor("admin@test.nhs.test") }),
    );
    expect(admin.data).toEqual({ ok: true, revoked: true });
    expect((await list(token)).status).toBe(401);
  });

  it("stops working when its owner's account is switched off, and reads with the owner's current roles", async () => {
    const token = await tokenFor("dp2@test.nhs.test");
    expect((await callApi(practiceRoute, apiRequest("GET", "/api/v1/practices/F84013", token), { ods: "F84013" })).status).toBe(200);
    await getDb().updateTable("app_user").set({ is_active: false }).where("email", "=", "dp2@test.nhs.test").execute();
    expect((await list(token)).status).toBe(401);
    await getDb().updateTable("app_user").set({ is_active: true }).where("email", "=", "dp2@test.nhs.test").execute();
  });
});

describe("the rate limit", () => {
  it("answers 429 with Retry-After past the token's limit a minute, counted in the database, and opens again after the minute", async () => {
    const token = await tokenFor("lead@test.nhs.test", { ratePerMinute: 3 });
    const start = new Date(Date.now() + 60_000);
    setApiClock(() => start);
    for (let i = 0; i < 3; i++) expect((await list(token)).status).toBe(200);
    setApiClock(() => new Date(start.getTime() + 20_000));
    const limited = await list(token);
    expect(limited.status).toBe(429);
    expect(limited.headers.get("Retry-After")).toBe("40");
    expect(limited.body).toMatchObject({ status: 429, retryAfter: 40 });
    expect(limited.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    // The count lives on the token's row, where every server process counts.
    expect((await tokenRow(token)).rate_count).toBe(4);
    // Another token of the same user has its own allowance.
    expect((await list(await tokenFor("lead@test.nhs.test"))).status).toBe(200);
    setApiClock(() => new Date(start.getTime() + 60_001));
    expect((await list(token)).status).toBe(200);
  });

  it("holds when requests arrive at once (the row lock serialises the count)", async () => {
    const token = await tokenFor("lead@test.nhs.test", { ratePerMinute: 5 });
    const statuses = (await Promise.all(Array.from({ length: 12 }, () => list(token)))).map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(5);
    expect(statuses.filter((s) => s === 429)).toHaveLength(7);
  });
});

describe("making tokens", () => {
  it("the account page shows a new token once, and lists it afterwards without its value", async () => {
    const cookie = await cookieFor("dp@test.nhs.test");
    const made = await call(
      accountTokens.action,
      post("/account/tokens", { intent: "create", name: "Inventory sync", days: "30" }, { cookie }),
    );
    const token = made.data.created.token as string;
    expect((await list(token)).status).toBe(200);
    const page = await call(accountTokens.loader, get("/account/tokens", cookie));
    expect(JSON.stringify(page.data)).not.toContain(token);
    expect(page.data.tokens[0]).toMatchObject({ name: "Inventory sync", state: "active", hint: token.slice(0, 11) });
    const bad = await call(accountTokens.action, post("/account/tokens", { intent: "create", name: "", days: "400" }, { cookie }));
    expect(bad.data.fieldErrors).toEqual({
      name: 'Enter a name for the token, like "Inventory sync"',
      days: "A token can last at most 366 days",
    });
  });

  it("an admin makes a service account token with the chosen role; the account cannot sign in with a password", async () => {
    const cookie = await cookieFor("admin@test.nhs.test");
    const fields = {
      intent: "create",
      accountName: "Acme service desk",
      accountEmail: "desk@acme.test",
      role: "delivery_partner",
      practiceCode: "F84013",
      name: "Nightly sync",
      days: "",
      ratePerMinute: "",
    };
    const made = await call(adminTokens.action, post("/admin/api-tokens", fields, { cookie }));
    const token = made.data.created.token as string;
    const seen = await list(token);
    expect(seen.body.data.map((p: { ods_code: string }) => p.ods_code)).toEqual(["F84013"]);
    const account = await getDb().selectFrom("app_user").selectAll().where("email", "=", "desk@acme.test").executeTakeFirstOrThrow();
    expect(account.is_service_account).toBe(true);
    expect((await signIn(getDb(), { email: "desk@acme.test", password: "!service-account", ip: "t", ttlHours: 1 })).ok).toBe(false);
    // A person's email is refused: people make their own tokens.
    const person = await call(adminTokens.action, post("/admin/api-tokens", { ...fields, accountEmail: "pm@test.nhs.test" }, { cookie }));
    expect(person.data.fieldErrors.accountEmail).toMatch(/person's account/);
    const noCode = await call(
      adminTokens.action,
      post("/admin/api-tokens", { ...fields, practiceCode: "", accountEmail: "x@acme.test" }, { cookie }),
    );
    expect(noCode.data.fieldErrors.icbCode).toMatch(/either an ICB code or a practice ODS code/);
  });

  it("the command line prints only the token, for an existing user", async () => {
    const out: string[] = [];
    const err: string[] = [];
    await runApiTokenCli(["--email", "LEAD@test.nhs.test", "--name", "CLI", "--days", "7"], getDb(), {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(out).toHaveLength(1);
    const token = out[0].trim();
    expect((await list(token)).status).toBe(200);
    expect(err.join("")).toMatch(/shown only now/);
    const row = await tokenRow(token);
    expect(row.expires_at.getTime() - row.created_at.getTime()).toBeGreaterThan(7 * 86_400_000 - 60_000);
    const event = await getDb()
      .selectFrom("audit_event")
      .select(["actor"])
      .where("entity_type", "=", "api_token")
      .where("entity_id", "=", String(row.id))
      .executeTakeFirstOrThrow();
    expect(event.actor).toMatch(/^command line \(/);
    await expect(
      runApiTokenCli(["--email", "nobody@x.test", "--name", "x"], getDb(), { out: () => {}, err: () => {} }),
    ).rejects.toBeInstanceOf(UsageError);
    await expect(
      runApiTokenCli(["--email", "lead@test.nhs.test", "--name", "x", "--days", "0"], getDb(), { out: () => {}, err: () => {} }),
    ).rejects.toThrow(/from 1 to 366/);
  });
});
