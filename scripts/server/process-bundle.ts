/**
 * The server process (scripts/server/worker.ts) compiled to plain JavaScript beside the app's
 * build, so the supervisor can start server processes with `node` alone instead of under tsx.
 *
 * Why: tsx's loader hooks every module the process imports, the 1.7 MB server build included,
 * and a server process run under it sat at 260-330 MB resident when idle against about 145 MB
 * for the same build under plain node (measured 2026-12-04 on the national dataset). With two
 * processes and the supervisor that alone took the service past 600 MB during an England-wide
 * download (docs/performance.md "Session 7").
 */
import fs from "node:fs";
import path from "node:path";

const root = path.resolve(import.meta.dirname, "../..");

/**
 * Where the compiled entry lives. Two folders deep, like scripts/server/, so the code's own
 * `import.meta.dirname`-relative paths (config.ts finds build/ from it) resolve the same way.
 */
export const PROCESS_BUNDLE = path.join(root, "build/server-process/index.mjs");

/**
 * The supervisor compiled the same way (`npm run serve` and the benchmark run it with plain
 * node): under tsx's loader the supervisor sat at 71-87 MB resident, most of it the loader's.
 */
export const SUPERVISOR_BUNDLE = path.join(root, "build/server-process/serve.mjs");

const SOURCES = [
  path.join(root, "scripts/server"),
  path.join(root, "scripts/server-options.ts"),
  path.join(root, "scripts/serve.ts"),
  path.join(root, "app/utils"),
];

export function newestMtime(p: string): number {
  if (!fs.existsSync(p)) return 0;
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  return fs.readdirSync(p).reduce((m, f) => Math.max(m, newestMtime(path.join(p, f))), st.mtimeMs);
}

/** The compiled entry, if it exists (the supervisor's beside it) and is not older than the code it was compiled from. */
export function freshProcessBundle(): string | undefined {
  // A build from before the supervisor was compiled has no serve.mjs: built again, it gets one.
  if (!fs.existsSync(PROCESS_BUNDLE) || !fs.existsSync(SUPERVISOR_BUNDLE)) return undefined;
  const built = fs.statSync(PROCESS_BUNDLE).mtimeMs;
  return SOURCES.every((s) => newestMtime(s) <= built) ? PROCESS_BUNDLE : undefined;
}

/** Compiles scripts/server/process-entry.ts and the supervisor, scripts/serve.ts (npm run build, and npm start when stale). */
export async function buildProcessBundle(): Promise<string> {
  const { build } = await import("esbuild");
  for (const [entry, outfile, external] of [
    ["scripts/server/process-entry.ts", PROCESS_BUNDLE, []],
    // The supervisor's bundle leaves the server process's module out: a compiled supervisor forks
    // PROCESS_BUNDLE and never imports it, and bundled, its packages (imported at the top of an
    // ES module) would all load in the supervisor.
    ["scripts/serve.ts", SUPERVISOR_BUNDLE, [path.join(root, "scripts/server/worker.ts")]],
  ] as const) {
    const result = await build({
      entryPoints: [path.join(root, entry)],
      outfile,
      write: false,
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      // node_modules stay where they are; the `~/` and `#db/` paths come from tsconfig.json.
      packages: "external",
      external: [...external],
      tsconfig: path.join(root, "tsconfig.json"),
      logLevel: "warning",
      legalComments: "none",
    });
    // Written beside and renamed into place: a supervisor starting meanwhile never reads half a file.
    fs.mkdirSync(path.dirname(outfile), { recursive: true });
    const tmp = `${outfile}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, result.outputFiles[0].contents);
    fs.renameSync(tmp, outfile);
  }
  await buildWorkerBundles();
  return PROCESS_BUNDLE;
}

/** Threads' code the built server runs (app/utils/worker-bundle.server.ts), bundled now rather than at a first export. */
const WORKER_ENTRIES = ["utils/export.worker.ts"];

async function buildWorkerBundles() {
  const { build } = await import("esbuild");
  // Imported here: the supervisor imports this file and needs none of it.
  const { prebuiltWorkerPath, workerBuildOptions } = await import("../../app/utils/worker-bundle.server");
  for (const entry of WORKER_ENTRIES) {
    const out = await build({ ...workerBuildOptions(path.join(root, "app", entry)), tsconfig: path.join(root, "tsconfig.json") });
    const file = prebuiltWorkerPath(root, entry);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const tmp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, out.outputFiles![0].contents);
    fs.renameSync(tmp, file);
  }
}

/** Whether a process runs under tsx's loader (`node --import tsx`, or tsx's command line). */
export const underTsx = (execArgv: readonly string[]) => execArgv.some((a) => /tsx/.test(a));

/** `node --import tsx`'s flags (and tsx CLI's preflight) taken out of a process's execArgv. */
export function withoutTsx(execArgv: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < execArgv.length; i++) {
    const a = execArgv[i];
    if ((a === "--import" || a === "--require" || a === "-r" || a === "--loader") && /tsx/.test(execArgv[i + 1] ?? "")) {
      i++;
      continue;
    }
    if (/^--(import|require|loader)=.*tsx/.test(a)) continue;
    out.push(a);
  }
  return out;
}
