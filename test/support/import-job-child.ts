/**
 * A job worker in its own process, for the "killed mid-import" test (test/integration/jobs-import-restart.test.ts).
 * It opens the database named by DATABASE_URL (or the PGlite folder DATA_DIR), runs the queued
 * jobs with the real import handler, and once the import's transaction has written its first
 * chunk of devices it says "WRITING" on stdout and waits for ever, the transaction open, so the
 * test can kill it there with SIGKILL, as a crash or `kill -9` would.
 */
import type { KyselyPlugin, PluginTransformQueryArgs, PluginTransformResultArgs, QueryResult, RootOperationNode, UnknownRow } from "kysely";
import { createDbFromEnv } from "#db/connect";
import "~/modules/jobs/import.server"; // registers the import handler
import { runPendingJobs } from "~/modules/queue/worker.server";

/** Notices the statement that inserts a chunk of new devices, and stalls once its result is back. */
class StallAfterFirstChunk implements KyselyPlugin {
  private readonly inserts = new WeakSet<object>();
  transformQuery(args: PluginTransformQueryArgs): RootOperationNode {
    const node = args.node as { kind: string; sqlFragments?: readonly string[] };
    if (node.kind === "RawNode" && node.sqlFragments?.join(" ").includes("insert into device (id,")) this.inserts.add(args.queryId);
    return args.node;
  }
  async transformResult(args: PluginTransformResultArgs): Promise<QueryResult<UnknownRow>> {
    if (this.inserts.has(args.queryId)) {
      process.stdout.write("WRITING\n");
      await new Promise(() => {}); // never resolves: the transaction stays open until the process is killed
    }
    return args.result;
  }
}

const handle = createDbFromEnv({ DATABASE_URL: process.env.DATABASE_URL || undefined, DATA_DIR: process.env.DATA_DIR ?? "" });
const db = handle.db.withPlugin(new StallAfterFirstChunk());
await runPendingJobs(db, { worker: "child-to-be-killed" });
process.stdout.write("FINISHED\n"); // only if the import never reached its first chunk: the test fails on it
await handle.db.destroy();
