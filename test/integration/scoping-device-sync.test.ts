/**
 * Device management sync pages: who reaches which connection, by URL and by form tampering.
 * Connections belong to an ICB and are managed with estate.icb:write for it (delivery partners
 * of that ICB, admins); anyone else gets 403 for the section, and another ICB's connection is a 404.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import * as list from "~/routes/device-sync._index";
import * as create from "~/routes/device-sync.new";
import * as show from "~/routes/device-sync.$id._index";
import * as edit from "~/routes/device-sync.$id.edit";
import * as runPage from "~/routes/device-sync.$id.runs.$runId";
import { encryptSecret } from "~/modules/device-sync/secret.server";
import { getDb } from "~/utils/db.server";
import { call, get, noticeFor, post } from "../support/requests";
import { defineMatrix, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const KEY = "b".repeat(64);
const SECRET = "p@ss-for-scoping";
let savedKey: string | undefined;

const cookies = useRoleCookies(async () => {
  savedKey = process.env.GRAPH_SECRET_KEY;
  process.env.GRAPH_SECRET_KEY = KEY;
  const db = getDb();
  const base = {
    tenant_id: "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
    client_id: "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d",
    client_secret_enc: encryptSecret(SECRET),
  };
  await db
    .insertInto("graph_connection")
    .values([
      { ...base, icb_code: "QMF", name: "NEL" },
      { ...base, icb_code: "QHM", name: "NENC" },
    ])
    .execute();
  await db.insertInto("graph_rule").values({ connection_id: 1, kind: "prefix", value: "F84003-", practice_code: "F84003" }).execute();
  await db
    .insertInto("graph_sync_run")
    .values([
      { connection_id: 1, trigger: "manual", status: "done", counts: JSON.stringify({ read: 3 }), started_at: new Date() },
      { connection_id: 2, trigger: "manual", status: "done", counts: JSON.stringify({ read: 1 }), started_at: new Date() },
    ])
    .execute();
});
beforeAll(() => {});
afterAll(() => {
  if (savedKey === undefined) delete process.env.GRAPH_SECRET_KEY;
  else process.env.GRAPH_SECRET_KEY = savedKey;
});

/** estate.icb:write anywhere: the section opens (a practice-scoped partner sees no connection in it). */
const SECTION: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 200,
  practiceManager: 403,
};
/** A QMF connection: its ICB's partner and admins. */
const QMF_CONN: Expect = { ...SECTION, partnerPractice: 404 };
/** A QHM connection: admins only among these users. */
const QHM_CONN: Expect = { ...QMF_CONN, partnerIcb: 404 };

const MATRIX: MatrixRow[] = [
  { file: "device-sync._index.tsx", module: list, path: "/device-sync", expect: SECTION },
  { file: "device-sync.new.tsx", module: create, path: "/device-sync/new", expect: SECTION },
  { file: "device-sync.$id._index.tsx", module: show, path: "/device-sync/1", params: { id: "1" }, expect: QMF_CONN },
  { file: "device-sync.$id._index.tsx", module: show, path: "/device-sync/2", params: { id: "2" }, expect: QHM_CONN },
  { file: "device-sync.$id._index.tsx", module: show, path: "/device-sync/99", params: { id: "99" }, expect: { ...QHM_CONN, admin: 404 } },
  { file: "device-sync.$id.edit.tsx", module: edit, path: "/device-sync/1/edit", params: { id: "1" }, expect: QMF_CONN },
  { file: "device-sync.$id.edit.tsx", module: edit, path: "/device-sync/2/edit", params: { id: "2" }, expect: QHM_CONN },
  {
    file: "device-sync.$id.runs.$runId.tsx",
    module: runPage,
    path: "/device-sync/1/runs/1",
    params: { id: "1", runId: "1" },
    expect: QMF_CONN,
  },
  // Another connection's run through this connection's URL.
  {
    file: "device-sync.$id.runs.$runId.tsx",
    module: runPage,
    path: "/device-sync/1/runs/2",
    params: { id: "1", runId: "2" },
    expect: { ...QMF_CONN, admin: 404, partnerIcb: 404 },
  },
  { file: "device-sync.$id._index.tsx", module: show, method: "POST", path: "/device-sync/2", params: { id: "2" }, expect: QHM_CONN },
];

describe("device sync pages: role × route", () => {
  defineMatrix(MATRIX, cookies);
});

const FORM = {
  name: "Tampered",
  icb_code: "QMF",
  tenant_id: "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b",
  client_id: "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d",
  client_secret: "x",
  ods_field: "",
  sync_every_hours: "",
  missing_after_days: "14",
  prefix_rules: "",
  group_rules: "",
};

describe("device sync forms refuse tampering on the server", () => {
  it("a QMF partner cannot create a connection for another ICB, or a rule for another ICB's practice", async () => {
    const icb = await call(create.action, post("/device-sync/new", { ...FORM, icb_code: "QHM" }, { cookie: cookies.partnerIcb }));
    expect(icb.data.fieldErrors).toEqual({ icb_code: "Choose one of your ICBs" });
    const rule = await call(
      create.action,
      post("/device-sync/new", { ...FORM, prefix_rules: "X-, A81001" }, { cookie: cookies.partnerIcb }),
    );
    expect(rule.data.fieldErrors.prefix_rules).toContain("practice A81001 is not in this connection's ICB (QMF)");
    const practiceScoped = await call(create.action, post("/device-sync/new", FORM, { cookie: cookies.partnerPractice }));
    expect(practiceScoped.data.fieldErrors).toEqual({ icb_code: "Choose one of your ICBs" });
    expect(await getDb().selectFrom("graph_connection").select("id").where("name", "=", "Tampered").execute()).toEqual([]);
  });

  it("a QMF partner cannot change or sync a QHM connection by posting to its URL", async () => {
    const changed = await call(edit.action, post("/device-sync/2/edit", { ...FORM, version: "1" }, { cookie: cookies.partnerIcb }), {
      id: "2",
    });
    expect(changed.status).toBe(404);
    expect((await getDb().selectFrom("graph_connection").select("name").where("id", "=", 2).executeTakeFirstOrThrow()).name).toBe("NENC");
    const byPartner = await getDb()
      .selectFrom("job")
      .innerJoin("app_user", "app_user.id", "job.created_by")
      .select("job.id")
      .where("job.scope", "=", "graph:2")
      .where("app_user.email", "=", "dp@test.nhs.test")
      .execute();
    expect(byPartner).toEqual([]);
  });

  it("a partner's change keeps Microsoft's addresses even if the form sends others", async () => {
    const r = await call(
      edit.action,
      post(
        "/device-sync/1/edit",
        { ...FORM, name: "NEL", client_secret: "", version: "1", graph_url: "https://evil.example", authority_url: "https://evil.example" },
        { cookie: cookies.partnerIcb },
      ),
      { id: "1" },
    );
    expect(r.location).toBe("/device-sync/1");
    const row = await getDb().selectFrom("graph_connection").selectAll().where("id", "=", 1).executeTakeFirstOrThrow();
    expect([row.graph_url, row.authority_url]).toEqual(["https://graph.microsoft.com", "https://login.microsoftonline.com"]);
    expect(row.client_secret_enc).not.toBeNull(); // a blank secret keeps the stored one
  });

  it("never sends the secret, or its ciphertext, to the browser", async () => {
    const stored = (await getDb().selectFrom("graph_connection").select("client_secret_enc").where("id", "=", 1).executeTakeFirstOrThrow())
      .client_secret_enc!;
    for (const [fn, path, params] of [
      [show.loader, "/device-sync/1", { id: "1" }],
      [edit.loader, "/device-sync/1/edit", { id: "1" }],
      [list.loader, "/device-sync", {}],
    ] as const) {
      const res = await call(fn, get(path, cookies.admin), params);
      const body = JSON.stringify(res.data);
      expect(body).not.toContain(SECRET);
      expect(body).not.toContain(stored);
    }
  });

  it("Sync now queues one job per connection; a second press finds it", async () => {
    const first = await call(show.action, post("/device-sync/1", {}, { cookie: cookies.partnerIcb }), { id: "1" });
    // What happened is a notice on the session for the page (shown once), not in the address.
    expect(first.location).toBe("/device-sync/1");
    expect(await noticeFor(cookies.partnerIcb)).toEqual({ notice: "sync-asked", path: "/device-sync/1", detail: { outcome: "queued" } });
    const again = await call(show.action, post("/device-sync/1", {}, { cookie: cookies.partnerIcb }), { id: "1" });
    expect(again.location).toBe("/device-sync/1");
    expect(await noticeFor(cookies.partnerIcb)).toEqual({ notice: "sync-asked", path: "/device-sync/1", detail: { outcome: "already" } });
    const page = await call(show.loader, get("/device-sync/1", cookies.partnerIcb), { id: "1" });
    expect(page.data.active).toMatchObject({ status: "queued" });
    expect(page.data.asked).toBe("already");
    expect((await call(show.loader, get("/device-sync/1", cookies.partnerIcb), { id: "1" })).data.asked).toBeNull();
  });
});
