/**
 * Entry of a compiled server process (see process-bundle.ts): the supervisor forks this with plain
 * node. Under tsx the supervisor forks scripts/serve.ts instead, which runs the same runWorker.
 */
import { runWorker } from "./worker";

runWorker().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
