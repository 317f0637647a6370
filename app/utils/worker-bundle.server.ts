import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type { BuildOptions } from "esbuild";
import { logFor } from "./log.server";

/**
 * A worker thread's code as one CommonJS string (run with `new Worker(code, { eval: true })`), the
 * same way under tsx, Vitest and the built server. Under tsx and Vitest the entry (a .ts file
 * under app/, found next to this file's folder) and what it imports are bundled in memory by
 * esbuild (installed with tsx and Vite). The built server takes the bundle `npm run build` wrote
 * (build/workers/, see scripts/server/process-bundle.ts): bundling a thread's code at the first
 * export took seconds of CPU from the pages being served; failing that, it bundles the entry
 * under the working directory's app/. Null when there is nothing to run or esbuild is missing:
 * the caller then works on the main thread. compliance/judge-threads.server.ts bundles its
 * evaluation threads in memory the same way.
 */
export async function bundleWorker(entryUnderApp: string, what: string): Promise<string | null> {
  let source: string | null = null;
  try {
    // Not `new URL(..., import.meta.url)`: Vite would copy the bare .ts file as an asset.
    source = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", entryUnderApp);
  } catch {
    // import.meta.url is not a file URL (bundled): not running from the sources.
  }
  if (!source || !existsSync(source)) {
    const built = prebuiltWorkerPath(process.cwd(), entryUnderApp);
    if (existsSync(built)) return readFileSync(built, "utf8");
    source = path.resolve(process.cwd(), "app", entryUnderApp);
    if (!existsSync(source)) return null;
  }
  try {
    const esbuild = await import("esbuild");
    const out = await esbuild.build(workerBuildOptions(source));
    return out.outputFiles![0].text;
  } catch (e) {
    logFor(what).warn({ err: e }, `${what} worker threads are unavailable, working on the main thread`);
    return null;
  }
}

/** Where `npm run build` writes a thread's bundle: build/workers/<entry's name>.cjs. */
export const prebuiltWorkerPath = (root: string, entryUnderApp: string) =>
  path.join(root, "build/workers", `${path.basename(entryUnderApp, ".ts")}.cjs`);

/** esbuild's options for a thread's code: everything in one CommonJS file (run with `eval`, it resolves no module). */
export function workerBuildOptions(entry: string): BuildOptions & { write: false } {
  return {
    entryPoints: [entry],
    bundle: true,
    platform: "node",
    format: "cjs",
    // pg's optional native binding is never used (nor installed); esbuild itself is only
    // reached through code that starts threads, which a thread never runs.
    external: ["pg-native", "esbuild"],
    target: "node20",
    write: false,
    logLevel: "silent",
  };
}
