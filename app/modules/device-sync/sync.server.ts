import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { commitDeviceImport, type ImportProgress } from "~/modules/devices/import/commit.server";
import type { ParsedTable } from "~/modules/devices/import/parse.server";
import { buildPreview, todayAsOf, type ImportContext } from "~/modules/devices/import/service.server";
import { badRequest, notFound } from "~/utils/errors";
import { GraphClient, type GraphClientOptions, type ManagedDevice } from "./client.server";
import { deviceCells, fingerprintOf, GRAPH_MAPPING, placeDevice, type OdsField, type Rule } from "./map";
import * as repo from "./repository.server";
import { decryptSecret } from "./secret.server";
import type { RunChange, RunIssue, UnmappedDevice } from "./service.server";

/**
 * One sync of a connection. Intune's managedDevice has no delta query (feeds.md §4: only Entra
 * `device` is in the delta list), so every run is a full pull; what did not change is told two
 * ways: against the register (the import's "unchanged") and against the last pull (a
 * fingerprint of the mapped properties per Intune id, `sourceUnchanged`).
 *
 * The devices go through the device import's own check and one-transaction upsert
 * (commitDeviceImport, with the connection's ICB as the scope). In that same transaction this
 * records the run (counts, the per-device changes, the devices no rule placed), what was seen,
 * which devices went missing, and an audit event. A failure anywhere writes nothing.
 */

const MAX_CHANGES = 2000;
const MAX_LISTED = 2000;

export interface SyncCounts {
  read: number;
  mapped: number;
  unmapped: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  sourceUnchanged: number;
  newlyMissing: number;
  flaggedMissing: number;
  pages: number;
  throttled: number;
  waitedSeconds: number;
}

export interface SyncOptions {
  connectionId: number;
  trigger: "manual" | "schedule";
  userId: number | null;
  jobId?: number;
  onProgress?: (p: ImportProgress) => void;
  client?: GraphClientOptions;
}

const text = (v: unknown) => (typeof v === "string" && v.trim() ? v.trim() : null);

export async function runSync(db: Db, opts: SyncOptions): Promise<{ syncRunId: number; importRunId: number; counts: SyncCounts }> {
  const started = new Date();
  const conn = await repo.getConnection(db, opts.connectionId);
  if (!conn) throw notFound("connection");
  if (!conn.client_secret_enc) throw badRequest("This connection has no client secret saved. Edit the connection and enter it.");
  const rules = (await repo.listRules(db, conn.id)) as Rule[];
  const client = new GraphClient(
    {
      authorityUrl: conn.authority_url,
      graphUrl: conn.graph_url,
      tenantId: conn.tenant_id,
      clientId: conn.client_id,
      clientSecret: decryptSecret(conn.client_secret_enc),
    },
    opts.client,
  );
  opts.onProgress?.({ phase: "checking", done: 0, total: 0 });
  const devices = await client.managedDevices();
  const groups = new Map<string, Set<string>>();
  for (const g of new Set(rules.filter((r) => r.kind === "group").map((r) => r.value.toLowerCase()))) {
    groups.set(g, await client.groupDeviceIds(g));
  }

  const previous = await repo.loadFingerprints(db, conn.id);
  const placed: { device: ManagedDevice; practice: string }[] = [];
  const unmapped: UnmappedDevice[] = [];
  const seen: repo.SeenRow[] = [];
  const seenIds = new Set<string>();
  let sourceUnchanged = 0;
  for (const d of devices) {
    const graphId = text(d.id);
    const where = placeDevice(d, rules, groups, conn.ods_field as OdsField | null);
    if (where.practice !== null) placed.push({ device: d, practice: where.practice });
    else
      unmapped.push({
        graph_id: graphId ?? "",
        device_name: text(d.deviceName),
        serial_number: text(d.serialNumber),
        reason: where.reason,
      });
    if (graphId && !seenIds.has(graphId)) {
      seenIds.add(graphId);
      const fingerprint = fingerprintOf(d);
      if (previous.get(graphId) === fingerprint) sourceUnchanged++;
      seen.push({
        graph_id: graphId,
        device_name: text(d.deviceName),
        serial_number: text(d.serialNumber),
        practice_code: where.practice,
        fingerprint,
      });
    }
  }

  const table: ParsedTable = {
    format: "csv",
    headers: GRAPH_MAPPING.map((m) => m.header),
    rows: placed.map((p, i) => ({ row: i + 1, cells: deviceCells(p.device, p.practice) })),
  };
  const ctx: ImportContext = {
    scope: { all: false, icbCodes: [conn.icb_code], practiceCodes: [] },
    fixedPractice: null,
    asOf: todayAsOf(),
    replace: false,
  };
  const actor = opts.userId === null ? `Intune sync (${conn.name})` : null;
  let result: { syncRunId: number; counts: SyncCounts } | null = null;

  const commit = await commitDeviceImport(db, {
    ...ctx,
    check: (trx) => buildPreview(trx, table, GRAPH_MAPPING, ctx),
    fileName: `Intune sync: ${conn.name}`,
    userId: opts.userId,
    actor,
    jobId: opts.jobId,
    onProgress: opts.onProgress,
    afterWrite: async (trx, preview, importRunId) => {
      const now = new Date();
      const changes: RunChange[] = preview.valid
        .filter((r) => r.action !== "unchanged")
        .slice(0, MAX_CHANGES)
        .map((r) => ({
          action: r.action as "create" | "update",
          practice_code: r.practice_code,
          device_name: r.data.device_name ?? null,
          serial_number: r.data.serial_number ?? null,
          fields: r.changed.map((f) => ({ field: f, before: r.existing?.[f] ?? null, after: r.data[f] ?? null })),
        }));
      const issues: RunIssue[] = preview.issues.slice(0, MAX_LISTED).map((i) => {
        const p = placed[i.row - 1];
        return {
          device_name: text(p?.device.deviceName),
          serial_number: text(p?.device.serialNumber),
          practice_code: p?.practice ?? "",
          column: i.column,
          message: i.message,
        };
      });
      await repo.upsertSeen(trx, conn.id, seen, now);
      const newlyMissing = await repo.markMissing(trx, conn.id, now);
      const flagged = await repo.listMissing(trx, conn.id, new Date(now.getTime() - conn.missing_after_days * 86_400_000), 100_000);
      const counts: SyncCounts = {
        read: devices.length,
        mapped: placed.length,
        unmapped: unmapped.length,
        created: preview.counts.create,
        updated: preview.counts.update,
        unchanged: preview.counts.unchanged,
        rejected: preview.counts.rejected,
        sourceUnchanged,
        newlyMissing,
        flaggedMissing: flagged.length,
        pages: client.stats.pages,
        throttled: client.stats.throttled,
        waitedSeconds: Math.round(client.stats.waitedMs / 1000),
      };
      const syncRunId = await repo.insertSyncRun(trx, {
        connection_id: conn.id,
        job_id: opts.jobId ?? null,
        trigger: opts.trigger,
        user_id: opts.userId,
        status: "done",
        import_run_id: importRunId,
        counts,
        changes,
        unmapped: unmapped.slice(0, MAX_LISTED),
        issues,
        error: null,
        started_at: started,
      });
      await recordAudit(trx, {
        userId: opts.userId,
        actor,
        action: "graph_sync.run",
        entityType: "graph_connection",
        entityId: String(conn.id),
        after: { sync_run: syncRunId, import_run: importRunId, trigger: opts.trigger, ...counts },
      });
      result = { syncRunId, counts };
    },
  });
  if (!result) throw new Error("The sync wrote no run record.");
  const done = result as { syncRunId: number; counts: SyncCounts };
  return { ...done, importRunId: commit.runId };
}

/** A run that failed before writing anything: recorded, with its reason, in the job's closing transaction. */
export async function recordFailedRun(
  trx: Db,
  r: { connectionId: number; jobId: number; trigger: "manual" | "schedule"; userId: number | null; error: string; startedAt: Date },
) {
  const conn = await repo.getConnection(trx, r.connectionId);
  if (!conn) return;
  const id = await repo.insertSyncRun(trx, {
    connection_id: conn.id,
    job_id: r.jobId,
    trigger: r.trigger,
    user_id: r.userId,
    status: "failed",
    import_run_id: null,
    counts: {},
    changes: [],
    unmapped: [],
    issues: [],
    error: r.error.slice(0, 2000),
    started_at: r.startedAt,
  });
  await recordAudit(trx, {
    userId: r.userId,
    actor: r.userId === null ? `Intune sync (${conn.name})` : null,
    action: "graph_sync.fail",
    entityType: "graph_connection",
    entityId: String(conn.id),
    after: { sync_run: id, job: r.jobId, error: r.error.slice(0, 500) },
  });
}

export const findRunOfJob = repo.findRunOfJob;
export const dueConnections = repo.dueConnections;
export const setNextSync = repo.setNextSync;
