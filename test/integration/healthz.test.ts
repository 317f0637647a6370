import { describe, expect, it } from "vitest";
import { loader } from "~/routes/healthz";

describe("GET /healthz", () => {
  it("returns 200 with the database status", async () => {
    const res = (await loader()) as Response;
    expect(res.status).toBe(200);
    const body = await res.json();
    expect(body.status).toBe("ok");
    expect(body.database.status).toBe("ok");
    expect(["pglite", "postgres"]).toContain(body.database.kind);
  });
});
