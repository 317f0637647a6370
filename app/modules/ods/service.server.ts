import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { applyEbranchs } from "./apply/ebranchs.server";
import { applyEpcn } from "./apply/epcn.server";
import { applyEpraccur } from "./apply/epraccur.server";
import { applyGpadMapping } from "./apply/gpad-mapping.server";
import { applyListSize } from "./apply/list-size.server";
import { Outcome, type ApplyContext } from "./apply/outcome";
import { applySuccessions } from "./apply/succession.server";
import { applyGp2gpSuppliers, applyGpItSuppliers } from "./apply/suppliers.server";
import { detectFile, type DetectedFile } from "./detect";
import { parseEbranchs } from "./parsers/ebranchs";
import { parseEpcn } from "./parsers/epcn";
import { parseEpraccur } from "./parsers/epraccur";
import { parseGp2gpSuppliers } from "./parsers/gp2gp-suppliers";
import { parseGpItSuppliers } from "./parsers/gp-it-suppliers";
import { parseGpadMapping } from "./parsers/gpad-mapping";
import { parseListSize } from "./parsers/list-size";
import { parseSuccessions } from "./parsers/succ";
import { insertImportRun } from "./repository.server";
import { linkSuccessionsToRun } from "./succession-repository.server";
import {
  OdsFileError,
  REJECTED_LIST_CAP,
  type ImportResult,
  type OdsCountEntity,
  type OdsKind,
  type RejectedRow,
  type SkippedCount,
} from "./types";

export interface ImportOdsFileInput {
  fileName: string;
  content: Buffer;
  userId: number | null;
  /** Keep only rows belonging to this ICB (e.g. "QMF"); see each applier for how rows are placed. */
  onlyIcb?: string;
  /** The result of detectFile when the caller already ran it (saves reading an XLSX twice). */
  detected?: DetectedFile;
  /** Work out every change, report it, and roll the transaction back: nothing is written. */
  dryRun?: boolean;
}

/** Thrown inside the transaction to roll a dry run back, carrying the result out. */
class DryRunRollback extends Error {
  constructor(readonly result: ImportResult) {
    super("dry run");
  }
}

/** The entity a file's rejected rows are charged to in the counts. */
const PRIMARY_ENTITY: Record<OdsKind, OdsCountEntity> = {
  epraccur: "practice",
  ebranchs: "site",
  "gpad-mapping": "practice",
  epcn: "pcn",
  "list-size": "practice_list_size",
  "gp-it-suppliers": "practice",
  "gp2gp-suppliers": "practice",
  successors: "practice_succession",
};

interface Parsed {
  rejected: RejectedRow[];
  skipped: SkippedCount[];
  notes?: string[];
  apply: (ctx: ApplyContext, out: Outcome) => Promise<void>;
}

/** Parsing happens before the transaction opens, so a slow or failing parse holds no locks. */
function parse(detected: DetectedFile, content: Buffer, fileName: string): Parsed {
  switch (detected.kind) {
    case "epraccur": {
      const p = parseEpraccur(content);
      return { ...p, apply: (ctx, out) => applyEpraccur(ctx, out, p.records) };
    }
    case "ebranchs": {
      const p = parseEbranchs(content);
      return { ...p, apply: (ctx, out) => applyEbranchs(ctx, out, p.records) };
    }
    case "gpad-mapping": {
      const p = parseGpadMapping(content);
      return { ...p, apply: (ctx, out) => applyGpadMapping(ctx, out, p.records) };
    }
    case "epcn": {
      const p = parseEpcn(detected.workbook);
      return { ...p, apply: (ctx, out) => applyEpcn(ctx, out, p.records) };
    }
    case "list-size": {
      const p = parseListSize(content);
      return { ...p, apply: (ctx, out) => applyListSize(ctx, out, p.records) };
    }
    case "gp-it-suppliers": {
      const p = parseGpItSuppliers(content);
      return { ...p, apply: (ctx, out) => applyGpItSuppliers(ctx, out, p) };
    }
    case "gp2gp-suppliers": {
      const p = parseGp2gpSuppliers(content);
      return { ...p, apply: (ctx, out) => applyGp2gpSuppliers(ctx, out, p.records) };
    }
    case "successors": {
      const p = parseSuccessions(content);
      return { ...p, apply: (ctx, out) => applySuccessions(ctx, out, p.records, fileName) };
    }
  }
}

/**
 * Imports one NHS organisation file in one transaction: detect its kind from the content, parse
 * and validate every row, upsert, and write the import_run row and audit events alongside, so a
 * failure leaves nothing half-written. Re-importing the same file changes nothing.
 * With `dryRun` every change is made and counted inside the transaction, which is then rolled
 * back: the result says what would change and nothing is written (no run, no audit).
 * Throws OdsFileError when the file cannot be recognised or its layout is wrong.
 */
export async function importOdsFile(db: Db, input: ImportOdsFileInput): Promise<ImportResult> {
  try {
    return await importInTransaction(db, input);
  } catch (e) {
    if (e instanceof DryRunRollback) return e.result;
    throw e;
  }
}

async function importInTransaction(db: Db, input: ImportOdsFileInput): Promise<ImportResult> {
  const { fileName, content, userId, onlyIcb } = input;
  const startedAt = new Date();
  const detected = input.detected ?? (await detectFile(fileName, content));
  let parsed: Parsed;
  try {
    parsed = parse(detected, content, fileName);
  } catch (e) {
    throw new OdsFileError(fileName, `${detected.kind} file could not be read: ${(e as Error).message}`);
  }

  return db.transaction().execute(async (trx) => {
    const out = new Outcome(userId);
    await parsed.apply({ db: trx, userId, onlyIcb }, out);
    out.reject(PRIMARY_ENTITY[detected.kind], parsed.rejected.length);
    const rejected = [...parsed.rejected, ...out.rejected].sort((a, b) => a.row - b.row);

    const result: ImportResult = {
      file: fileName,
      kind: detected.kind,
      counts: out.counts,
      skipped: [...parsed.skipped, ...out.skipped.list()],
      rejected: rejected.slice(0, REJECTED_LIST_CAP),
      notes: [...(onlyIcb ? [`restricted to ICB ${onlyIcb}`] : []), ...(parsed.notes ?? []), ...out.notes],
      changes: out.audit
        .slice(0, REJECTED_LIST_CAP)
        .map((a) => ({ action: a.action, entityType: a.entityType, entityId: a.entityId, after: a.after })),
    };
    if (input.dryRun) throw new DryRunRollback({ ...result, dryRun: true, notes: ["dry run: nothing was written", ...result.notes] });
    const summary = {
      file: fileName,
      kind: detected.kind,
      onlyIcb: onlyIcb ?? null,
      counts: result.counts,
      skipped: result.skipped,
      rejected: rejected.length,
    };
    const runId = await insertImportRun(trx, { kind: detected.kind, fileName, userId, counts: summary, startedAt });
    if (detected.kind === "successors") await linkSuccessionsToRun(trx, fileName, runId);
    await recordAudit(trx, [
      { userId, action: "ods.import", entityType: "import_run", entityId: String(runId), after: summary },
      ...out.audit,
    ]);
    return result;
  });
}

/** Files that create practices go first; the rest only add to practices that already exist. */
export function importOrder(kind: OdsKind): number {
  if (kind === "successors") return 2;
  return kind === "gpad-mapping" || kind === "epraccur" ? 0 : 1;
}
