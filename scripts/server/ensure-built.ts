/**
 * Builds what the production server runs when it is missing or older than its sources: the Remix
 * app (build/server, build/client) and the compiled server process (build/server-process).
 * `npm start` and `npm run bench` both call it, so neither serves a stale build.
 */
import { spawnSync } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { buildProcessBundle, freshProcessBundle, newestMtime } from "./process-bundle";

const root = path.resolve(import.meta.dirname, "../..");

export async function ensureBuilt(log: (line: string) => void): Promise<void> {
  const entry = path.join(root, "build/server/index.js");
  const built = fs.existsSync(entry) ? fs.statSync(entry).mtimeMs : 0;
  const sources = Math.max(...["app", "db", "vite.config.ts", "package-lock.json"].map((p) => newestMtime(path.join(root, p))));
  if (built < sources) {
    log("Building the app (no build yet, or the sources changed)…");
    const r = spawnSync(process.execPath, [path.join(root, "node_modules/@remix-run/dev/dist/cli.js"), "vite:build"], {
      cwd: root,
      stdio: ["ignore", "ignore", "pipe"],
      encoding: "utf8",
    });
    if (r.status !== 0) throw new Error(`The build failed:\n${r.stderr.slice(-4000)}`);
  }
  if (!freshProcessBundle()) await buildProcessBundle();
}
