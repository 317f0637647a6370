/**
 * `npm run build`'s second step: compiles the server process and the supervisor
 * (scripts/server/process-bundle.ts). A script of its own rather than a "run as main" check in
 * process-bundle.ts: bundled into the supervisor, such a check is true of every module in it.
 */
import path from "node:path";
import { buildProcessBundle } from "./server/process-bundle";

buildProcessBundle().then(
  (f) => console.log(`Server process compiled: ${path.relative(path.resolve(import.meta.dirname, ".."), f)}`),
  (e) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  },
);
