import type { Db } from "#db/connect";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { recordAudit, type AuditInput } from "~/modules/audit/repository.server";
import { badRequest, conflict } from "~/utils/errors";
import { scopeFor, type MembershipLike } from "~/utils/permissions";
import { autoMap, mappingProblems } from "./map";
import { parseUpload, type ParsedTable } from "./parse.server";
import * as repo from "./repository.server";
import { forgetCheck } from "./check-cache.server";
import { forgetParsed } from "./parsed-cache.server";
import { buildPreview, checkUpload, KIND, openUpload, todayAsOf, type ImportContext } from "./service.server";
import type { Preview, RowIssue, ValidRow } from "./validate";
import { valueMappingsFor } from "./value-mapping.server";
import { StoredPrefixRules } from "./prefix-rules";

export const CHUNK = 1000;

/** What the second of two commits of the same upload (a double click, two tabs) is told. */
export const ALREADY_IMPORTING =
  "This file is already being imported, or has been imported already (it was sent twice). Nothing was imported twice: check the import history or the devices before uploading it again.";

export interface ImportProgress {
  /** Checking the file again, writing rows (done/total rows), then re-checking compliance (done/total practices). */
  phase: "checking" | "writing" | "rechecking";
  done: number;
  total: number;
}

export interface ImportCounts {
  rowsRead: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

export interface CommitOptions extends ImportContext {
  /** Checks the file against the register as it is in the import's transaction. */
  check: (trx: Db) => Promise<Preview>;
  fileName: string;
  userId: number | null;
  /** Who runs the import when no signed-in user does: "command line (user@host)". */
  actor?: string | null;
  /** The counts the uploader confirmed on the preview; if the check now gives others, nothing is written. */
  expected?: { create: number; update: number; rejected: number; retire?: number };
  /** The stored upload, deleted in the same transaction once imported. */
  upload?: { id: string; userId: number };
  /** The background job running this import, recorded on its import run. */
  jobId?: number;
  onProgress?: (p: ImportProgress) => void;
  /**
   * More writes in the import's transaction, after the devices and the run are written and
   * before compliance is re-checked (the Intune sync records its own run and what it saw).
   */
  afterWrite?: (trx: Db, preview: Preview, runId: number) => Promise<void>;
}

export interface CommitResult {
  runId: number;
  counts: ImportCounts;
  issues: RowIssue[];
  /** What the check assumed where the file said nothing (see Preview.assumptions). */
  assumptions: string[];
  /** Devices retired because a replace-mode file did not name them. */
  retired: number;
}

export const countsOf = (p: Preview): ImportCounts => ({
  rowsRead: p.rowsRead,
  created: p.counts.create,
  updated: p.counts.update,
  unchanged: p.counts.unchanged,
  rejected: p.counts.rejected,
});

/**
 * Lets the event loop run between chunks. PGlite answers queries without waiting on I/O, so
 * without this the streamed progress lines would sit unsent until the whole import finished.
 */
const yieldToEventLoop = () => new Promise<void>((resolve) => setImmediate(resolve));

function chunked<T>(list: T[], size = CHUNK): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < list.length; i += size) out.push(list.slice(i, i + size));
  return out;
}

/** Rows in practice order, file order kept within a practice (Array.prototype.sort is stable). */
const byPractice = <T extends { practice_code: string }>(rows: T[]) =>
  rows.sort((a, b) => (a.practice_code < b.practice_code ? -1 : a.practice_code > b.practice_code ? 1 : 0));

/**
 * Imports a file in one transaction: the rows are checked again against the register as it is
 * now, then written in chunks of set-based statements with an audit event per changed device,
 * one summary event and an import_run row. Rejected rows are skipped. Any failure writes nothing.
 */
export async function commitDeviceImport(db: Db, opts: CommitOptions): Promise<CommitResult> {
  const started = new Date();
  return db.transaction().execute(async (trx) => {
    if (opts.upload && !(await repo.claimUpload(trx, opts.upload.id, opts.upload.userId, KIND))) throw conflict(ALREADY_IMPORTING);
    opts.onProgress?.({ phase: "checking", done: 0, total: 0 });
    await yieldToEventLoop();
    const preview = await opts.check(trx);
    const e = opts.expected;
    const retire = preview.retire ?? [];
    if (
      e &&
      (e.create !== preview.counts.create ||
        e.update !== preview.counts.update ||
        e.rejected !== preview.counts.rejected ||
        (e.retire ?? 0) !== retire.length)
    ) {
      throw conflict(
        `The devices changed since you checked this file: it would now add ${preview.counts.create}, change ${preview.counts.update}${retire.length ? `, retire ${retire.length}` : ""} and skip ${preview.counts.rejected} rows. Nothing was imported. Check the new preview and import again.`,
      );
    }
    // Rows grouped by practice, file order kept within each (the sort is stable): a statement
    // then touches a few practices' index pages and change stamps rather than every practice
    // in the file.
    const creates = byPractice(preview.valid.filter((r) => r.action === "create"));
    const updates = byPractice(preview.valid.filter((r) => r.action === "update"));
    const total = creates.length + updates.length;
    const changedPractices = [...new Set([...creates, ...updates, ...retire].map((r) => r.practice_code))].sort();
    let done = 0;
    let reported = -1;
    const progress = async () => {
      if (done === reported) return;
      reported = done;
      opts.onProgress?.({ phase: "writing", done, total });
      await yieldToEventLoop();
    };
    await progress();

    // Each chunk's JSON is built while the database writes the one before (the statements still
    // run one at a time, in order, on the transaction's connection).
    let writing: Promise<unknown> = Promise.resolve();
    for (const part of chunked(creates)) {
      const payload = repo.newDevicesPayload(part);
      await writing;
      if (done > 0) await progress();
      writing = repo.insertDevicesAudited(trx, payload, opts.userId, opts.actor ?? null);
      writing.catch(() => {});
      done += part.length;
    }
    await writing;
    if (creates.length) await progress();
    for (const part of chunked(updates)) {
      const rows = part.map((r) => ({ ...r.data, practice_code: r.practice_code, id: r.existing!.id, version: r.existing!.version }));
      const updated = await repo.updateDevices(trx, rows);
      if (updated.length !== part.length) {
        throw conflict(
          "Someone else changed some of these devices while the import was running. Nothing was imported. Check the preview and import again.",
        );
      }
      await recordAudit(
        trx,
        part.map((r) => ({ ...updateEvent(r, opts.userId), actor: opts.actor ?? null })),
      );
      done += part.length;
      await progress();
    }

    // Replace mode: the practice's devices the file does not name are retired (kept on record as disposed).
    if (retire.length) {
      const retired = await repo.retireDevices(trx, retire, opts.asOf);
      if (retired.length !== retire.length) {
        throw conflict(
          "Someone else changed some of this practice's devices while the import was running. Nothing was imported. Check the preview and import again.",
        );
      }
      await recordAudit(
        trx,
        retire.map((d) => ({
          userId: opts.userId,
          actor: opts.actor ?? null,
          action: "device.retire",
          entityType: "device",
          entityId: String(d.id),
          before: { status: d.status, asset_tag: d.asset_tag, serial_number: d.serial_number, disposed_date: null },
          after: { status: "disposed", disposed_date: opts.asOf, reason: "not in the practice's inventory file" },
        })),
      );
    }

    const counts = countsOf(preview);
    const runId = await repo.insertImportRun(trx, {
      kind: KIND,
      fileName: opts.fileName,
      userId: opts.userId,
      actor: opts.actor ?? null,
      counts: {
        ...counts,
        ...(opts.replace ? { retired: retire.length } : {}),
        issues: preview.issues.slice(0, 500),
        practiceCount: changedPractices.length,
        practices: changedPractices.slice(0, 50),
      },
      startedAt: started,
      jobId: opts.jobId,
    });
    await recordAudit(trx, {
      userId: opts.userId,
      actor: opts.actor ?? null,
      action: "device.import",
      entityType: "import_run",
      entityId: String(runId),
      after: { file_name: opts.fileName, ...counts, ...(opts.replace ? { retired: retire.length, replace_inventory: true } : {}) },
    });
    await opts.afterWrite?.(trx, preview, runId);
    // One re-check of every practice changed, once every row is written. Re-checking groups of
    // practices while the next were written cost more CPU on both sides (session 11 in
    // docs/performance.md) and gained nothing without a free core.
    await reevaluateAfterChange(trx, changedPractices, opts.userId, (p) => opts.onProgress?.({ phase: "rechecking", ...p }));
    if (opts.upload) await repo.deleteUpload(trx, opts.upload.id, opts.upload.userId);
    return { runId, counts, issues: preview.issues, assumptions: preview.assumptions, retired: retire.length };
  });
}

function updateEvent(r: ValidRow, userId: number | null): AuditInput {
  const before: Record<string, unknown> = { asset_tag: r.existing!.asset_tag, serial_number: r.existing!.serial_number };
  const after: Record<string, unknown> = { asset_tag: r.data.asset_tag, serial_number: r.data.serial_number };
  for (const f of r.changed) {
    before[f] = r.existing![f];
    after[f] = r.data[f];
  }
  return { userId, action: "device.update", entityType: "device", entityId: String(r.existing!.id), before, after };
}

/**
 * A whole import from file bytes, with the columns matched automatically: what the command line
 * runs. A dry run checks everything and writes nothing.
 */
export async function importDeviceFile(
  db: Db,
  opts: ImportContext & {
    content: Uint8Array;
    /** The file already parsed (the command line parses it before opening the database). */
    table?: ParsedTable;
    fileName: string;
    userId: number | null;
    actor?: string | null;
    dryRun?: boolean;
    onProgress?: (p: ImportProgress) => void;
  },
): Promise<{ counts: ImportCounts; issues: RowIssue[]; runId: number | null; assumptions: string[]; retired: number }> {
  const table = opts.table ?? (await parseUpload(opts.content));
  const mapping = autoMap(table.headers);
  if (opts.dryRun) {
    const preview = await buildPreview(db, table, mapping, opts);
    return {
      counts: countsOf(preview),
      issues: preview.issues,
      runId: null,
      assumptions: preview.assumptions,
      retired: preview.retire?.length ?? 0,
    };
  }
  return commitDeviceImport(db, { ...opts, check: (trx) => buildPreview(trx, table, mapping, opts) });
}

/** The counts shown on the preview, sent back with the confirmation. */
export function expectedFromForm(form: FormData) {
  const n = (k: string) => {
    const v = Number(form.get(k));
    return Number.isInteger(v) && v >= 0 ? v : -1;
  };
  return {
    create: n("expected_create"),
    update: n("expected_update"),
    rejected: n("expected_rejected"),
    retire: form.get("expected_retire") === null ? 0 : n("expected_retire"),
  };
}

/** Imports a stored upload for the user who made it, as they confirmed it on the preview page. */
export async function commitUpload(
  db: Db,
  opts: {
    id: string;
    user: { id: number; memberships: MembershipLike[] };
    expected: CommitOptions["expected"];
    onProgress?: CommitOptions["onProgress"];
    jobId?: number;
  },
) {
  const { upload, table } = await openUpload(db, opts.id, opts.user.id);
  // The rows the upload and check pages parsed are not kept through the import (its memory is the
  // import's): the kept check is used, or the file is parsed again.
  forgetParsed(upload.id);
  // The mapping is saved with the upload, made for its columns; only an upload without one needs the file to match them.
  const mapping = upload.mapping ?? autoMap((await table()).headers);
  const problems = mappingProblems(mapping);
  if (problems.length) throw badRequest(problems.join(" "));
  const ctx: ImportContext = {
    scope: scopeFor(opts.user.memberships, "estate.icb:write"),
    fixedPractice: upload.practice_code,
    asOf: todayAsOf(),
    replace: upload.replace_inventory,
    valueMappings: await valueMappingsFor(db, opts.user.id),
    prefixRules: StoredPrefixRules.parse(upload.prefix_rules ?? []),
  };
  const result = await commitDeviceImport(db, {
    ...ctx,
    check: (trx) => checkUpload(trx, upload, mapping, ctx, table),
    fileName: upload.file_name,
    userId: opts.user.id,
    expected: opts.expected,
    upload: { id: upload.id, userId: opts.user.id },
    onProgress: opts.onProgress,
    jobId: opts.jobId,
  });
  forgetCheck(upload.id);
  forgetParsed(upload.id);
  return result;
}
