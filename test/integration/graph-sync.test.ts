/**
 * Intune device sync (issue 15, item 1) against the local Graph server over real HTTP: the real
 * client gets a token, pages through managedDevices, waits out a 429, and the devices go through
 * the device import's checks and upsert. Also: rules and their scope, the encrypted secret, the
 * run history and diff, devices missing for N days, and the job and schedule.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { GraphClient, GraphError } from "~/modules/device-sync/client.server";
import { decryptSecret, encryptSecret, NO_KEY_MESSAGE, SecretKeyError } from "~/modules/device-sync/secret.server";
import { ConnectionFormSchema } from "~/modules/device-sync/schema";
import { connectionPage, missingFromIntune, requireConnection, runPage, saveConnection } from "~/modules/device-sync/service.server";
import { runSync } from "~/modules/device-sync/sync.server";
import { activeSyncOf, queueDueSyncs, startSync } from "~/modules/jobs/graph-sync.server";
import { sweep } from "~/modules/housekeeping/schedule.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import { listMemberships } from "~/modules/users/repository.server";
import { getDb } from "~/utils/db.server";
import { demoDevices, startDevGraph, type DevGraph } from "../../scripts/dev-graph/server";
import { createRoleUsers, seedOrgs } from "../support/factories";

const db = () => getDb();
const KEY = "a".repeat(64);
const TENANT = "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const CLIENT = "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d";
const SECRET = "s3cret~value";
const GROUP = "3c4d5e6f-1111-4222-8333-944455566677";

let graph: DevGraph;
const T0 = new Date(Date.now() - 3_600_000);
let users: Awaited<ReturnType<typeof createRoleUsers>>;
const userOf = async (id: number) => ({ id, memberships: await listMemberships(db(), id) });

const form = (over: Record<string, string> = {}) =>
  ConnectionFormSchema.parse({
    name: "NEL Intune",
    icb_code: "QMF",
    tenant_id: TENANT,
    client_id: CLIENT,
    client_secret: SECRET,
    authority_url: graph.url,
    graph_url: graph.url,
    ods_field: "notes",
    sync_every_hours: "",
    missing_after_days: "14",
    prefix_rules: "F84003-, F84003",
    group_rules: `${GROUP}, F84013`,
    ...over,
  });

const devicesOf = (practice: string) =>
  db()
    .selectFrom("device")
    .select([
      "serial_number",
      "device_name",
      "device_type",
      "os_family",
      "os_version",
      "os_build",
      "encrypted",
      "compliance",
      "last_seen",
      "make",
      "model",
      "managed",
      "ownership",
      "status",
    ])
    .where("practice_code", "=", practice)
    .orderBy("serial_number")
    .execute();

beforeAll(async () => {
  await seedOrgs(db());
  users = await createRoleUsers(db());
  graph = await startDevGraph({ tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET, pageSize: 2 });
});
afterAll(async () => {
  await graph.close();
  delete process.env.GRAPH_SECRET_KEY;
});
beforeEach(() => {
  process.env.GRAPH_SECRET_KEY = KEY;
  graph.devices = demoDevices(T0);
  graph.groups = { [GROUP]: ["8d0c5b1e-0004-4f2a-9b3c-000000000004"] };
  graph.throttle(0, null);
});

describe("client secret at rest", () => {
  it("round-trips with the key, is not readable without it, and is not stored in clear", async () => {
    const stored = encryptSecret("hello world");
    expect(stored).toMatch(/^v1\./);
    expect(stored).not.toContain("hello");
    expect(encryptSecret("hello world")).not.toBe(stored); // a fresh IV each time
    expect(decryptSecret(stored)).toBe("hello world");
    expect(() => decryptSecret(stored, Buffer.alloc(32, 1))).toThrow(SecretKeyError);
    delete process.env.GRAPH_SECRET_KEY;
    expect(() => encryptSecret("x")).toThrow(NO_KEY_MESSAGE);
  });

  it("refuses to save a connection's secret when the server has no key, saying why next to the field", async () => {
    delete process.env.GRAPH_SECRET_KEY;
    const r = await saveConnection(db(), await userOf(users.admin), form({ name: "No key" }), null);
    expect(r).toEqual({ ok: false, fieldErrors: { client_secret: NO_KEY_MESSAGE } });
    expect(await db().selectFrom("graph_connection").select("id").where("name", "=", "No key").execute()).toEqual([]);
  });

  it("stores only the ciphertext and never gives the secret back to the page", async () => {
    const r = await saveConnection(db(), await userOf(users.admin), form({ name: "Secret check" }), null);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const row = await db().selectFrom("graph_connection").select("client_secret_enc").where("id", "=", r.id).executeTakeFirstOrThrow();
    expect(row.client_secret_enc).not.toContain(SECRET);
    expect(decryptSecret(row.client_secret_enc!)).toBe(SECRET);
    const page = await connectionPage(db(), (await userOf(users.admin)).memberships, r.id, 1);
    expect(JSON.stringify(page)).not.toContain(SECRET);
    expect(JSON.stringify(page)).not.toContain(row.client_secret_enc!);
    const audit = await db().selectFrom("audit_event").select(["before", "after"]).where("entity_type", "=", "graph_connection").execute();
    expect(JSON.stringify(audit)).not.toContain(SECRET);
  });
});

describe("scope", () => {
  it("refuses rules for practices outside the connection's ICB, and an ICB outside the user's, however the form is altered", async () => {
    const partner = await userOf(users.partnerIcb);
    const otherIcb = await saveConnection(db(), partner, form({ icb_code: "QHM", prefix_rules: "", group_rules: "" }), null);
    expect(otherIcb).toMatchObject({ ok: false, fieldErrors: { icb_code: "Choose one of your ICBs" } });
    const tampered = await saveConnection(db(), partner, form({ prefix_rules: "F84003-, F84003\nDENS-, A81001", group_rules: "" }), null);
    expect(tampered.ok).toBe(false);
    expect(!tampered.ok && tampered.fieldErrors.prefix_rules).toBe(`"DENS-": practice A81001 is not in this connection's ICB (QMF)`);
    // The partner's own connection is saved, but with Microsoft's addresses: only an admin may point it elsewhere.
    const own = await saveConnection(db(), partner, form({ name: "Partner's", group_rules: "" }), null);
    if (!own.ok) throw new Error(JSON.stringify(own));
    const row = await db().selectFrom("graph_connection").selectAll().where("id", "=", own.id).executeTakeFirstOrThrow();
    expect([row.authority_url, row.graph_url]).toEqual(["https://login.microsoftonline.com", "https://graph.microsoft.com"]);
    // Another ICB's user, and a practice manager, cannot reach it.
    const qhmPartner = { id: 0, memberships: [{ role: "delivery_partner" as const, icb_code: "QHM", practice_code: null }] };
    await expect(requireConnection(db(), qhmPartner.memberships, own.id)).rejects.toMatchObject({ status: 404 });
    await expect(requireConnection(db(), (await userOf(users.practiceManager)).memberships, own.id)).rejects.toMatchObject({ status: 404 });
    await expect(saveConnection(db(), qhmPartner, form({ group_rules: "" }), own.id)).rejects.toMatchObject({ status: 404 });
  });
});

// Each test starts with no connection and no synced devices (its own transaction, rolled back
// after it), and beforeEach gives the local Graph server its demo devices.
/** The admin's connection to the local Graph server (every rule of `form()`), synced once: F84003's three devices and F84013's one. */
async function syncedConnection() {
  const r = await saveConnection(db(), await userOf(users.admin), form(), null);
  if (!r.ok) throw new Error(JSON.stringify(r));
  expect((await runSync(db(), { connectionId: r.id, trigger: "manual", userId: users.admin })).counts).toMatchObject({ created: 4 });
  return r.id;
}

describe("sync from the local Graph server", () => {
  it("pages through managedDevices, waits out a 429 for its Retry-After, and maps every field through the import", async () => {
    const admin = await userOf(users.admin);
    const r = await saveConnection(db(), admin, form(), null);
    if (!r.ok) throw new Error(JSON.stringify(r));
    const connId = r.id;
    graph.log.length = 0;
    graph.throttle(1, 3);
    const waits: number[] = [];
    const res = await runSync(db(), {
      connectionId: connId,
      trigger: "manual",
      userId: users.admin,
      client: { sleep: async (ms) => void waits.push(ms) },
    });
    expect(waits).toEqual([3000]);
    const graphCalls = graph.log.filter((l) => l.includes("managedDevices"));
    expect(graphCalls).toHaveLength(4); // a 429, then 3 pages of 2
    expect(graphCalls[0]).toContain("$select=id,deviceName,");
    expect(graphCalls[3]).toContain("$skiptoken=4");
    expect(res.counts).toMatchObject({
      read: 5,
      mapped: 4,
      unmapped: 1,
      created: 4,
      updated: 0,
      unchanged: 0,
      rejected: 0,
      pages: 4,
      throttled: 1,
    }); // 3 of devices, 1 of the group

    const clapton = await devicesOf("F84003");
    expect(clapton.map((d) => d.serial_number)).toEqual(["DEMO7Q3K21", "DEMO7Q3K22", "DEMO7Q3K23"]);
    const gp01 = clapton[1];
    expect(gp01).toMatchObject({
      device_name: "F84003-GP01",
      device_type: "laptop",
      os_family: "Windows 10",
      os_version: "22H2",
      os_build: "19045.5737",
      encrypted: false,
      compliance: "noncompliant",
      make: "Dell Inc.",
      model: "Latitude 5440",
      managed: true,
      ownership: "corporate",
      status: "in_use",
    });
    expect(gp01.last_seen).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(clapton[0]).toMatchObject({ os_family: "Windows 11", os_version: "24H2", encrypted: true, compliance: "compliant" });
    // Placed by its Entra group.
    expect(await devicesOf("F84013")).toMatchObject([
      { serial_number: "DEMO8W2M01", compliance: "in_grace_period", device_type: "desktop" },
    ]);

    const page = await runPage(db(), admin.memberships, connId, res.syncRunId);
    expect(page.run.unmapped).toEqual([
      {
        graph_id: "5f3a1c52-0005-4d6e-9a10-000000000005",
        device_name: "DESKTOP-7HF2K9L",
        serial_number: "DEMO9X1A77",
        reason: "No rule matches this device",
      },
    ]);
    expect(page.run.changes.filter((c) => c.action === "create")).toHaveLength(4);
    const audit = await db().selectFrom("audit_event").select(["action", "after"]).where("action", "=", "graph_sync.run").execute();
    expect(audit).toHaveLength(1);
  });

  it("a second run updates what changed in Intune, reports the rest unchanged with the diff, and places by an ODS code in notes", async () => {
    const connId = await syncedConnection();
    const admin = await userOf(users.admin);
    const gp01 = graph.devices.find((d) => d.deviceName === "F84003-GP01")!;
    gp01.osVersion = "10.0.26100.4061";
    gp01.isEncrypted = true;
    graph.devices.find((d) => d.deviceName === "DESKTOP-7HF2K9L")!.notes = "Stamford Hill F84013 reception";
    const res = await runSync(db(), { connectionId: connId, trigger: "manual", userId: users.admin });
    expect(res.counts).toMatchObject({ read: 5, mapped: 5, unmapped: 0, created: 1, updated: 1, unchanged: 3, sourceUnchanged: 3 });
    const page = await runPage(db(), admin.memberships, connId, res.syncRunId);
    const update = page.run.changes.find((c) => c.action === "update")!;
    expect(update).toMatchObject({ practice_code: "F84003", device_name: "F84003-GP01", serial_number: "DEMO7Q3K22" });
    expect(update.fields).toEqual(
      expect.arrayContaining([
        { field: "os_family", before: "Windows 10", after: "Windows 11" },
        { field: "os_version", before: "22H2", after: "24H2" },
        { field: "encrypted", before: false, after: true },
      ]),
    );
    expect((await devicesOf("F84013")).map((d) => d.serial_number)).toEqual(["DEMO8W2M01", "DEMO9X1A77"]);
  });

  it("flags a device missing from Intune for N days, without deleting it", async () => {
    const connId = await syncedConnection();
    const admin = await userOf(users.admin);
    graph.devices = graph.devices.filter((d) => d.deviceName !== "F84003-GP02");
    const first = await runSync(db(), { connectionId: connId, trigger: "manual", userId: users.admin });
    expect(first.counts).toMatchObject({ read: 4, newlyMissing: 1, flaggedMissing: 0 });
    expect((await connectionPage(db(), admin.memberships, connId, 1)).missing).toEqual([]);
    // Fifteen days later (the connection says 14), still missing.
    await db()
      .updateTable("graph_device_seen")
      .set({ missing_since: new Date(Date.now() - 15 * 86_400_000) })
      .where("graph_id", "=", "5f3a1c52-0003-4d6e-9a10-000000000003")
      .execute();
    const later = await runSync(db(), { connectionId: connId, trigger: "manual", userId: users.admin });
    expect(later.counts).toMatchObject({ newlyMissing: 0, flaggedMissing: 1 });
    const page = await connectionPage(db(), admin.memberships, connId, 1);
    expect(page.missing).toMatchObject([{ device_name: "F84003-GP02", serial_number: "DEMO7Q3K23", practice_code: "F84003" }]);
    expect(await missingFromIntune(db(), "F84003")).toMatchObject([{ serial_number: "DEMO7Q3K23" }]);
    expect((await devicesOf("F84003")).find((d) => d.serial_number === "DEMO7Q3K23")).toMatchObject({ status: "in_use" });
    // Back in Intune: no longer flagged.
    graph.devices = demoDevices(T0);
    await runSync(db(), { connectionId: connId, trigger: "manual", userId: users.admin });
    expect(await missingFromIntune(db(), "F84003")).toEqual([]);
  });

  it("gives up on throttling past its bounds and writes nothing", async () => {
    const connId = await syncedConnection();
    const before = await db().selectFrom("graph_sync_run").select("id").execute();
    graph.throttle(10, 1);
    const waits: number[] = [];
    await expect(
      runSync(db(), {
        connectionId: connId,
        trigger: "manual",
        userId: users.admin,
        client: { limits: { maxRetries: 2 }, sleep: async (ms) => void waits.push(ms) },
      }),
    ).rejects.toThrow(GraphError);
    expect(waits).toEqual([1000, 1000]);
    expect(await db().selectFrom("graph_sync_run").select("id").execute()).toEqual(before);
  });

  it("backs off exponentially when a 429 has no Retry-After, and bounds pages", async () => {
    graph.throttle(2, null);
    const waits: number[] = [];
    const client = new GraphClient(
      { authorityUrl: graph.url, graphUrl: graph.url, tenantId: TENANT, clientId: CLIENT, clientSecret: SECRET },
      { sleep: async (ms) => void waits.push(ms), limits: { maxPages: 2 } },
    );
    await expect(client.managedDevices()).rejects.toThrow("more than 2 pages");
    expect(waits).toEqual([1000, 2000]);
  });

  it("runs as a job: one active run per connection, recorded with its job; a wrong secret fails with a reason, recorded", async () => {
    const connId = await syncedConnection();
    const a = await startSync(db(), users.admin, connId, "manual");
    const b = await startSync(db(), users.admin, connId, "manual");
    expect(a.queued).toBe(true);
    expect(b).toEqual({ queued: false, jobId: a.jobId });
    expect(await runPendingJobs(db())).toEqual([a.jobId]);
    const run = await db().selectFrom("graph_sync_run").selectAll().where("job_id", "=", a.jobId).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: "done", trigger: "manual", user_id: users.admin });

    await db()
      .updateTable("graph_connection")
      .set({ client_secret_enc: encryptSecret("wrong") })
      .where("id", "=", connId)
      .execute();
    const c = await startSync(db(), users.admin, connId, "manual");
    await runPendingJobs(db());
    const failed = await db().selectFrom("graph_sync_run").selectAll().where("job_id", "=", c.jobId).executeTakeFirstOrThrow();
    expect(failed.status).toBe("failed");
    expect(failed.error).toContain("AADSTS7000215");
    await db()
      .updateTable("graph_connection")
      .set({ client_secret_enc: encryptSecret(SECRET) })
      .where("id", "=", connId)
      .execute();
  });

  it("the hourly housekeeping sweep queues a scheduled connection that is due", async () => {
    const connId = await syncedConnection();
    await db()
      .updateTable("graph_connection")
      .set({ sync_every_hours: 24, next_sync_at: new Date(Date.now() - 1000) })
      .where("id", "=", connId)
      .execute();
    expect(await activeSyncOf(db(), connId)).toBeNull();
    await sweep(db());
    expect(await activeSyncOf(db(), connId)).toMatchObject({ status: "queued" });
    await runPendingJobs(db());
  });

  it("queues scheduled connections when due and moves the next run on", async () => {
    const connId = await syncedConnection();
    await db()
      .updateTable("graph_connection")
      .set({ sync_every_hours: 24, next_sync_at: new Date(Date.now() - 1000) })
      .where("id", "=", connId)
      .execute();
    const now = new Date();
    expect(await queueDueSyncs(db(), now)).toBe(1);
    expect(await queueDueSyncs(db(), now)).toBe(0);
    const conn = await db().selectFrom("graph_connection").select("next_sync_at").where("id", "=", connId).executeTakeFirstOrThrow();
    expect(new Date(conn.next_sync_at!).getTime()).toBe(now.getTime() + 24 * 3_600_000);
    const ran = await runPendingJobs(db());
    expect(ran).toHaveLength(1);
    const run = await db().selectFrom("graph_sync_run").selectAll().where("job_id", "=", ran[0]).executeTakeFirstOrThrow();
    expect(run).toMatchObject({ status: "done", trigger: "schedule", user_id: null });
  });
});
