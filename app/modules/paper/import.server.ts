import { randomUUID } from "node:crypto";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { normaliseHeader } from "~/modules/devices/import/map";
import { parseUpload, UnreadableFileError, type ParsedTable } from "~/modules/devices/import/parse.server";
import * as uploads from "~/modules/devices/import/repository.server";
import { uploadEvent } from "~/modules/devices/import/service.server";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { badRequest, conflict, notFound } from "~/utils/errors";
import { controlCharacterProblem } from "~/utils/control-characters";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";
import { zodFieldErrors } from "~/utils/forms";
import * as repo from "./repository.server";
import { ACTIVITY_COLUMNS, ACTIVITY_LABELS, PaperActivityRowSchema, type PaperActivityRow } from "./schema";
import { PAPER_ENTITY } from "./service.server";

/**
 * Paper activity from a CSV or XLSX file, for one practice: parse (the device import's reader),
 * check every row with the form's own schema, preview with each row's problems, then commit the
 * valid rows in one transaction. Rows already recorded with the same figures change nothing, so
 * importing the same file twice writes nothing the second time.
 */

export const PAPER_IMPORT_KIND = "paper_activity";

/** A practice's monthly figures for decades fit in a few hundred rows; the reader stops at these. */
export const PAPER_LIMITS = { ...UPLOAD_LIMITS, fileBytes: 5 * 1024 * 1024, rows: 5000 };

type Target = (typeof ACTIVITY_COLUMNS)[number] | "practice_ods_code";

const SYNONYMS: Record<Target, string[]> = {
  practice_ods_code: ["practice", "practice code", "ods code", "ods", "practice ods code"],
  period_start: ["month", "period", "start", "period start", "from", "month start"],
  period_end: ["end", "period end", "to", "last month", "month end"],
  site_code: ["site", "site code", "site ods code", "branch"],
  sheets_printed: ["sheets", "sheets printed", "pages printed", "pages", "prints"],
  recycled_share_pct: [
    "recycled",
    "recycled share",
    "recycled %",
    "recycled pct",
    "recycled percent",
    "recycled paper share",
    "recycled share pct",
  ],
  letters_posted: ["letters", "letters posted", "letters sent", "post"],
  sms_sent: ["sms", "sms sent", "texts", "text messages", "text messages sent"],
  nhs_app_messages: ["nhs app", "nhs app messages", "app messages"],
  emails_sent: ["email", "emails", "emails sent"],
  notes: ["notes", "note", "comments", "comment"],
};
const LOOKUP = new Map<string, Target>();
for (const [target, names] of Object.entries(SYNONYMS) as [Target, string[]][]) {
  for (const n of [target, target === "practice_ods_code" ? "" : ACTIVITY_LABELS[target], ...names]) {
    const k = normaliseHeader(n);
    if (k && !LOOKUP.has(k)) LOOKUP.set(k, target);
  }
}
export const targetFor = (header: string): Target | null => LOOKUP.get(normaliseHeader(header)) ?? null;

export interface ImportIssue {
  row: number;
  column: string;
  message: string;
}
export type RowAction = "create" | "update" | "unchanged";
export interface CheckedRow {
  row: number;
  action: RowAction;
  data: PaperActivityRow;
  existing: repo.ActivityRow | null;
}

const COMPARED = [
  "period_end",
  "sheets_printed",
  "recycled_share_pct",
  "letters_posted",
  "sms_sent",
  "nhs_app_messages",
  "emails_sent",
  "notes",
] as const;
const key = (site: string | null, start: string) => `${site ?? ""}|${start}`;

/** Checks every row of a file against the practice's sites and records (`db` may be the commit's transaction). */
export async function checkTable(db: Db, ods: string, table: ParsedTable) {
  const targets = table.headers.map(targetFor);
  const ignored = table.headers.filter((h, i) => h && targets[i] === null);
  if (!targets.includes("period_start")) {
    return {
      problems: ["The file needs a column for the month (headed period_start or Month)."],
      ignored,
      valid: [] as CheckedRow[],
      issues: [] as ImportIssue[],
    };
  }
  const headerOf = (field: string) => table.headers[targets.indexOf(field as Target)] ?? field;
  const [sites, existing] = await Promise.all([repo.listSites(db, ods), repo.listActivity(db, [ods])]);
  const siteCodes = new Set(sites.map((s) => s.code));
  const byKey = new Map(existing.map((e) => [key(e.site_code, e.period_start), e]));
  const valid: CheckedRow[] = [];
  const issues: ImportIssue[] = [];
  const seen = new Map<string, number>();
  for (const r of table.rows) {
    const raw: Record<string, string> = {};
    targets.forEach((t, i) => {
      if (t) raw[t] = (r.cells[i] ?? "").trim();
    });
    const rowIssues: ImportIssue[] = [];
    for (const [field, value] of Object.entries(raw)) {
      const problem = controlCharacterProblem(value);
      if (problem) rowIssues.push({ row: r.row, column: headerOf(field), message: problem });
    }
    if (rowIssues.length) {
      issues.push(...rowIssues);
      continue;
    }
    if (raw.practice_ods_code && raw.practice_ods_code.toUpperCase() !== ods) {
      rowIssues.push({
        row: r.row,
        column: headerOf("practice_ods_code"),
        message: `This row is for practice ${raw.practice_ods_code}; this import is for ${ods} only`,
      });
    }
    const parsed = PaperActivityRowSchema.safeParse(raw);
    if (!parsed.success) {
      for (const [field, message] of Object.entries(zodFieldErrors(parsed.error)))
        rowIssues.push({ row: r.row, column: headerOf(field), message });
    } else {
      const d = parsed.data;
      if (d.site_code && !siteCodes.has(d.site_code))
        rowIssues.push({ row: r.row, column: headerOf("site_code"), message: `Site ${d.site_code} is not one of this practice's sites` });
      const k = key(d.site_code, d.period_start);
      if (seen.has(k))
        rowIssues.push({
          row: r.row,
          column: headerOf("period_start"),
          message: `Row ${seen.get(k)} already gives figures for this month${d.site_code ? ` and site` : ""}`,
        });
      const clash =
        existing.find(
          (e) =>
            e.site_code === d.site_code &&
            e.period_start !== d.period_start &&
            e.period_start <= d.period_end! &&
            e.period_end >= d.period_start,
        ) ??
        valid.find(
          (v) =>
            v.data.site_code === d.site_code &&
            v.data.period_start !== d.period_start &&
            v.data.period_start <= d.period_end! &&
            v.data.period_end! >= d.period_start,
        );
      if (clash)
        rowIssues.push({
          row: r.row,
          column: headerOf("period_start"),
          message: "This period overlaps another period already recorded or earlier in the file",
        });
      if (rowIssues.length === 0) {
        seen.set(k, r.row);
        const before = byKey.get(k) ?? null;
        const same = before && COMPARED.every((c) => (before[c] ?? null) === (d[c] ?? null));
        valid.push({ row: r.row, action: !before ? "create" : same ? "unchanged" : "update", data: d, existing: before });
      }
    }
    issues.push(...rowIssues);
  }
  const rejected = new Set(issues.map((i) => i.row));
  return { problems: [] as string[], ignored, valid: valid.filter((v) => !rejected.has(v.row)), issues };
}

async function readTable(content: Uint8Array): Promise<ParsedTable> {
  try {
    return await parseUpload(content, PAPER_LIMITS);
  } catch (e) {
    if (e instanceof UnreadableFileError) throw badRequest(e.message);
    throw e;
  }
}

export async function startPaperUpload(db: Db, opts: { userId: number; ods: string; fileName: string; content: Uint8Array }) {
  const table = await readTable(opts.content);
  if (table.rows.length === 0) throw badRequest("The file has a header row but no rows of paper figures.");
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await uploads.deleteStaleUploads(trx, opts.userId);
    await uploads.createUpload(trx, {
      id,
      userId: opts.userId,
      kind: PAPER_IMPORT_KIND,
      fileName: opts.fileName,
      content: opts.content,
      practiceCode: opts.ods,
      mapping: [],
    });
    await recordAudit(trx, uploadEvent(id, PAPER_IMPORT_KIND, { ...opts, practiceCode: opts.ods }, table));
  });
  return id;
}

async function loadUpload(db: Db, id: string, userId: number, ods: string) {
  const upload = await uploads.getUpload(db, id, userId, PAPER_IMPORT_KIND);
  if (!upload || upload.practice_code !== ods) throw notFound("upload. It may have been imported already, or it was more than a day old");
  return { upload, table: await readTable(upload.content) };
}

const PREVIEW_ROWS = 50;

export async function paperPreview(db: Db, id: string, userId: number, ods: string) {
  const { upload, table } = await loadUpload(db, id, userId, ods);
  const checked = await checkTable(db, ods, table);
  const counts = { rows: table.rows.length, create: 0, update: 0, unchanged: 0, rejected: new Set(checked.issues.map((i) => i.row)).size };
  for (const v of checked.valid) counts[v.action]++;
  return {
    id: upload.id,
    fileName: upload.file_name,
    problems: checked.problems,
    ignored: checked.ignored,
    counts,
    issues: checked.issues.slice(0, 200),
    rows: checked.valid.slice(0, PREVIEW_ROWS).map((v) => ({ row: v.row, action: v.action, ...v.data })),
  };
}

export interface PaperImportCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/**
 * Imports the valid rows in one transaction, audited, and re-checks the practice's compliance.
 * An import run (with the background job that ran it, if any) commits with the rows.
 */
export async function commitPaperImport(
  db: Db,
  id: string,
  userId: number,
  ods: string,
  opts: { jobId?: number; onProgress?: (p: { phase: "checking" | "writing" | "rechecking"; done: number; total: number }) => void } = {},
): Promise<PaperImportCounts & { runId: number }> {
  const started = new Date();
  const { upload, table } = await loadUpload(db, id, userId, ods);
  return db.transaction().execute(async (trx) => {
    // The upload row is locked until this commit ends and deleted by it: a second commit of the
    // same upload (a double click) is refused rather than writing the rows again.
    if (!(await uploads.claimUpload(trx, id, userId, PAPER_IMPORT_KIND))) {
      throw conflict("This file is already being imported, or has been imported already (it was sent twice). Nothing was imported twice.");
    }
    opts.onProgress?.({ phase: "checking", done: 0, total: 0 });
    const checked = await checkTable(trx, ods, table);
    if (checked.problems.length) throw badRequest(checked.problems.join(" "));
    const counts: PaperImportCounts = { created: 0, updated: 0, unchanged: 0, rejected: new Set(checked.issues.map((i) => i.row)).size };
    opts.onProgress?.({ phase: "writing", done: 0, total: checked.valid.length });
    const events = [];
    for (const v of checked.valid) {
      if (v.action === "unchanged") {
        counts.unchanged++;
        continue;
      }
      const after = v.existing
        ? await repo.updateActivity(trx, v.existing.id, v.existing.version, v.data, userId)
        : await repo.insertActivity(trx, ods, v.data, userId);
      if (!after) throw badRequest("The practice's paper figures changed while the file was being imported. Upload it again.");
      if (v.existing) counts.updated++;
      else counts.created++;
      const strip = (r: repo.ActivityRow) => {
        const { updated_at: _u, practice_code: _p, ...rest } = r;
        return rest;
      };
      events.push({
        userId,
        action: v.existing ? "paper_activity.import_update" : "paper_activity.import_create",
        entityType: PAPER_ENTITY,
        entityId: ods,
        before: v.existing ? { ...strip(v.existing), file: upload.file_name, row: v.row } : undefined,
        after: { ...strip(after), file: upload.file_name, row: v.row },
      });
    }
    opts.onProgress?.({ phase: "writing", done: checked.valid.length, total: checked.valid.length });
    if (events.length) {
      await recordAudit(trx, events);
      await reevaluateAfterChange(trx, ods, userId, (p) => opts.onProgress?.({ phase: "rechecking", ...p }));
    }
    const runId = await uploads.insertImportRun(trx, {
      kind: PAPER_IMPORT_KIND,
      fileName: upload.file_name,
      userId,
      counts: { ...counts, rowsRead: table.rows.length, practice: ods, issues: checked.issues.slice(0, 500) },
      startedAt: started,
      jobId: opts.jobId,
    });
    await uploads.deleteUpload(trx, id, userId);
    return { ...counts, runId };
  });
}

export async function cancelPaperUpload(db: Db, id: string, userId: number) {
  await uploads.deleteUpload(db, id, userId);
}
