/**
 * The API through the production server over real HTTP: the server's cross-site rule lets
 * token calls through (they carry no cookie), its body limit answers the API in problem
 * details, and the rate limit holds across the cluster's processes (counted in the database).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createToken } from "~/modules/api/token.server";
import { createUser, seedOrgs } from "../support/factories";
import { ensureBuild, serverDatabase, startTestServer, type ServerDatabase, type TestServer } from "../support/server-process";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("runs the server as a child process on a database of its own");

let server: TestServer;
let database: ServerDatabase;
let token: string;
let limited: string;
const onPostgres = !!process.env.DATABASE_URL;
const json = { "Content-Type": "application/json" };

beforeAll(async () => {
  await ensureBuild();
  database = await serverDatabase();
  const db = database.handle.db;
  await seedOrgs(db);
  const dp = await createUser(db, { email: "dp@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
  token = (await createToken(db, { actorId: dp, ownerId: dp, input: { name: "server", days: 1 } })).token;
  limited = (await createToken(db, { actorId: dp, ownerId: dp, input: { name: "limited", days: 1 }, ratePerMinute: 4 })).token;
  if (!onPostgres) await database.close();
  server = await startTestServer({ ...database.env, WEB_CONCURRENCY: onPostgres ? "2" : "1" });
}, 300_000);

afterAll(async () => {
  await server?.stop();
  if (onPostgres) await database?.close();
});

describe("the API behind the production server", () => {
  it("answers a token's GET with JSON and no session cookie", async () => {
    const res = await server.request("GET", "/api/v1/practices/F84003", { headers: { Authorization: `Bearer ${token}` } });
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toMatch(/^application\/json/);
    expect(res.headers["set-cookie"]).toBeUndefined();
    expect(JSON.parse(res.body).practice.ods_code).toBe("F84003");
  });

  it("lets a token's POST through from another origin (no cookie is used), and refuses one without a token with 401", async () => {
    const body = JSON.stringify({ devices: [{ asset_tag: "SRV-1", device_type: "laptop" }] });
    const withToken = await server.request("POST", "/api/v1/practices/F84003/devices", {
      headers: { ...json, Origin: "https://elsewhere.example", Authorization: `Bearer ${token}` },
      body,
    });
    expect(withToken.status).toBe(200);
    expect(JSON.parse(withToken.body).counts.created).toBe(1);
    const without = await server.request("POST", "/api/v1/practices/F84003/devices", {
      headers: { ...json, Origin: "https://elsewhere.example" },
      body,
    });
    expect(without.status).toBe(401);
    expect(without.headers["content-type"]).toMatch(/^application\/problem\+json/);
  });

  it("answers a body over the API's limit with 413 problem details before reading it", async () => {
    // Declares 6 MB, sends a little and waits: only a refusal made before reading can answer.
    const res = await server.requestDeclared("POST", "/api/v1/practices/F84003/devices", {
      headers: { ...json, Authorization: `Bearer ${token}` },
      declaredBytes: 6 * 1024 * 1024,
      prefix: `{"devices":[{"notes":"${"x".repeat(1024)}`,
    });
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ status: 413, title: "The request body is too large" });
  });

  it("counts the rate limit across the server's processes", async () => {
    const replies = [];
    for (let i = 0; i < 8; i++)
      replies.push(await server.request("GET", "/api/v1/practices", { headers: { Authorization: `Bearer ${limited}` } }));
    expect(replies.filter((r) => r.status === 200)).toHaveLength(4);
    const refused = replies.filter((r) => r.status === 429);
    expect(refused).toHaveLength(4);
    expect(Number(refused[0].headers["retry-after"])).toBeGreaterThan(0);
  });
});
