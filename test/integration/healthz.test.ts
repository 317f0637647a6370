import { beforeAll, describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";
import { getDb } from "~/utils/db.server";
import { createUser, seedOrgs } from "../support/factories";
import { cookieFor, get } from "../support/requests";

const check = async (cookie?: string) => (await loader({ request: get("/healthz", cookie), params: {}, context: {} })) as Response;

beforeAll(async () => {
  await seedOrgs(getDb());
  await createUser(getDb(), { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] });
  await createUser(getDb(), { email: "pm@test.nhs.test", memberships: [{ role: "practice_manager", practice_code: "F84003" }] });
});

describe("GET /healthz", () => {
  it("tells an anonymous caller only that the service is up, nothing about the database", async () => {
    const res = await check();
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("tells a signed-in user who is not an admin no more", async () => {
    const res = await check(await cookieFor("pm@test.nhs.test"));
    expect(await res.json()).toEqual({ status: "ok" });
  });

  it("shows an admin the database kind and latency", async () => {
    const res = await check(await cookieFor("admin@test.nhs.test"));
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database.status).toBe("ok");
    expect(["pglite", "postgres"]).toContain(body.database.kind);
    expect(body.database.latency_ms).toBeGreaterThanOrEqual(0);
  });
});
