/**
 * Imports an estate file into the configured database, through the same checks and writes as the
 * import page, with admin scope. Columns are matched by their headers.
 *
 *   npm run -s estate:import -- --kind devices [--practice ODS] [--dry-run] [--json] FILE
 *
 * --practice imports a file with no practice column (an Intune "All devices" export) into that
 * practice; rows naming another practice are rejected. --replace (with --practice) treats the
 * file as the practice's whole inventory: its devices the file does not name are retired, and
 * --json adds "retired" (their count).
 * --dry-run checks every row and writes nothing. --json prints exactly one JSON object on stdout:
 * { rowsRead, created, updated, unchanged, rejected: [{ row, column, message }] } (in a dry run the
 * counts are what would happen). Rejected rows are skipped; the rest are imported in one
 * transaction. Exit code 1 when the file cannot be read or the import fails, 2 for bad arguments.
 *
 * The file is read under the same limits as the import page (~/utils/upload-limits), and the
 * import is recorded as done by "command line (user@host)".
 */
import path from "node:path";
import { pathToFileURL } from "node:url";
import { cliActor, fail, importMain, readImportFile, type CliFile, type Io } from "./cli-import";
import type { Db } from "#db/connect";
import { importDeviceFile, type ImportCounts } from "~/modules/devices/import/commit.server";
import { UnreadableFileError } from "~/modules/devices/import/parse.server";
import { todayAsOf } from "~/modules/devices/import/service.server";
import type { RowIssue } from "~/modules/devices/import/validate";
import { describeGroup, groupProblems } from "~/modules/devices/import/problem-groups";
import { getPractice } from "~/modules/devices/import/repository.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { AppError } from "~/utils/errors";

const KINDS = ["devices"] as const;
const USAGE = "usage: npm run estate:import -- --kind devices [--practice ODS [--replace]] [--dry-run] [--json] FILE";

export interface CliArgs {
  kind: (typeof KINDS)[number];
  file: string;
  dryRun: boolean;
  json: boolean;
  /** The practice a file without a practice column is for (upper case), if given. */
  practice?: string;
  /** The file is the practice's whole inventory: retire its devices the file does not name. */
  replace?: boolean;
}

export function parseArgs(argv: string[]): CliArgs {
  let kind: string | undefined;
  let dryRun = false;
  let json = false;
  let practice: string | undefined;
  let replace = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dry-run") dryRun = true;
    else if (a === "--json") json = true;
    else if (a === "--kind") kind = argv[++i];
    else if (a.startsWith("--kind=")) kind = a.slice("--kind=".length);
    else if (a === "--practice") practice = argv[++i] ?? "";
    else if (a === "--replace") replace = true;
    else if (a.startsWith("--practice=")) practice = a.slice("--practice=".length);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (!kind) throw new Error(`--kind is required\n${USAGE}`);
  if (!(KINDS as readonly string[]).includes(kind)) throw new Error(`--kind must be one of: ${KINDS.join(", ")}`);
  if (files.length !== 1) throw new Error(`give exactly one file\n${USAGE}`);
  const args: CliArgs = { kind: kind as CliArgs["kind"], file: files[0], dryRun, json };
  if (practice !== undefined) {
    const code = OdsCodeSchema.safeParse(practice);
    if (!code.success) throw new Error(`--practice must be a practice ODS code, such as F84003\n${USAGE}`);
    args.practice = code.data;
  }
  if (replace) {
    if (!args.practice) throw new Error(`--replace needs --practice: only one practice's inventory can be replaced\n${USAGE}`);
    args.replace = true;
  }
  return args;
}

export interface CliOutput extends Omit<ImportCounts, "rejected"> {
  /** With --replace only. */
  retired?: number;
  rejected: RowIssue[];
}

/** Runs one import; `out` receives what goes to stdout, `err` progress and messages for people. */
export async function runCli(db: Db, args: CliArgs, io: Io, file?: CliFile): Promise<number> {
  const read = file ?? (await readImportFile(args, io));
  if (typeof read === "number") return read;
  const started = Date.now();
  if (args.practice && !(await getPractice(db, args.practice))) return fail(io, args, `No practice has ODS code ${args.practice}`);
  try {
    const result = await importDeviceFile(db, {
      content: read.content,
      table: read.table,
      fileName: path.basename(args.file),
      userId: null,
      actor: cliActor(),
      scope: { all: true },
      fixedPractice: args.practice ?? null,
      replace: args.replace ?? false,
      asOf: todayAsOf(),
      dryRun: args.dryRun,
      onProgress: (p) => {
        if (!args.json && p.phase === "writing" && p.total > 0)
          io.err(`  written ${p.done.toLocaleString("en-GB")} of ${p.total.toLocaleString("en-GB")}`);
      },
    });
    const output: CliOutput = { ...result.counts, ...(args.replace ? { retired: result.retired } : {}), rejected: result.issues };
    if (args.json) io.out(JSON.stringify(output));
    else printSummary(io, args, output, result, (Date.now() - started) / 1000);
    return 0;
  } catch (e) {
    if (e instanceof UnreadableFileError || e instanceof AppError) return fail(io, args, `${args.file}: ${e.message}`);
    throw e;
  }
}

function printSummary(
  io: { out: (s: string) => void },
  args: CliArgs,
  o: CliOutput,
  result: { counts: ImportCounts; assumptions: string[] },
  seconds: number,
) {
  const n = (v: number) => v.toLocaleString("en-GB");
  const verb = args.dryRun ? "would be" : "were";
  io.out(
    `${args.file}: ${n(o.rowsRead)} rows read in ${seconds.toFixed(1)} s${args.practice ? ` for practice ${args.practice}` : ""}${args.dryRun ? " (dry run: nothing written)" : ""}`,
  );
  io.out(
    `  ${n(o.created)} new devices ${verb} added, ${n(o.updated)} ${verb} updated, ${n(o.unchanged)} unchanged, ${n(result.counts.rejected)} rows rejected`,
  );
  if (args.replace) io.out(`  ${n(o.retired ?? 0)} devices not in the file ${verb} retired (recorded as disposed of today)`);
  for (const a of result.assumptions) io.out(`  Assumed: ${a}`);
  // One line per kind of problem (most rows first), not one per row.
  const groups = groupProblems(o.rejected);
  for (const g of groups.slice(0, 20)) io.out(`  ${describeGroup(g)}`);
  if (groups.length > 20) io.out(`  … ${n(groups.length - 20)} more kinds of problem (--json lists every row)`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await importMain(parseArgs, runCli);
