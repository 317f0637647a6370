/**
 * One structured log for the whole service: JSON lines (pino), one per request and one per
 * error, each carrying the request's id so an error a user reports ("reference: …") can be found
 * next to the request that caused it. LOG_LEVEL sets the level (default "info"; "silent" turns it
 * off). The lines go to stderr: the command-line tools print their results (CSV, JSON) on stdout,
 * and share the modules that log.
 */
import { AsyncLocalStorage } from "node:async_hooks";
import { randomUUID } from "node:crypto";
import pino, { type Logger } from "pino";

let rootLogger: Logger | undefined;

/** Made on first use, so LOG_LEVEL set by a script before it logs is honoured. */
function root(): Logger {
  rootLogger ??= pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { pid: process.pid },
      // Error objects as { type, message, stack }, under "err" as pino expects.
      serializers: { err: pino.stdSerializers.err },
    },
    // Synchronous: a line written just before the process exits (a crash) is not lost.
    pino.destination({ fd: 2, sync: true }),
  );
  return rootLogger;
}

interface RequestContext {
  requestId: string;
}

const context = new AsyncLocalStorage<RequestContext>();

/** The logger for the current request (with its id), or the service's own outside a request. */
export function log(): Logger {
  const current = context.getStore();
  return current ? root().child({ requestId: current.requestId }) : root();
}

/** A component's logger, e.g. logFor("jobs"). Request ids are added when called in a request. */
export function logFor(component: string): Logger {
  return log().child({ component });
}

/** The current request's id, if any. */
export function currentRequestId(): string | undefined {
  return context.getStore()?.requestId;
}

/**
 * Our own id for each request. An id sent by a proxy in front (X-Request-Id) is logged beside it
 * but never trusted as ours: a client could send the same id twice, or something that is not an id.
 */
export function newRequestId(): string {
  return randomUUID();
}

export function runWithRequestId<T>(requestId: string, fn: () => T): T {
  return context.run({ requestId }, fn);
}
