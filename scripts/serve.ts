/**
 * `npm run serve`: the production server for a built app (`npm run build`) and a migrated
 * database. One supervisor process, WEB_CONCURRENCY server processes (one on the embedded
 * database) on PORT; see README "Production serving". Run with `tsx scripts/serve.ts` or
 * `node --import tsx scripts/serve.ts`; `npm start` runs the same supervisor.
 */
import cluster from "node:cluster";
import { serverConfig } from "./server/config";
import { startSupervisor } from "./server/supervisor";

/** Starts the supervisor in this process and stops it (then exits) on SIGTERM/SIGINT. */
export function serve() {
  const supervisor = startSupervisor(serverConfig());
  for (const signal of ["SIGTERM", "SIGINT"] as const) {
    process.on(signal, () => {
      void supervisor.stop(signal).then(() => process.exit(0));
    });
  }
  return supervisor;
}

const fail = (e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
};

if (cluster.isWorker) {
  // Imported only here: the server process's code (the app, its database drivers) is most of a
  // process's memory, and the supervisor, which never serves a request, need not hold it.
  import("./server/worker").then(({ runWorker }) => runWorker()).catch(fail);
} else if (import.meta.filename === process.argv[1]) {
  // Like remix-serve: a server started on its own is production unless told otherwise.
  process.env.NODE_ENV ??= "production";
  try {
    serve();
  } catch (e) {
    fail(e);
  }
}
