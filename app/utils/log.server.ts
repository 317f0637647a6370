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

/** Longest query text kept in an error line: enough to recognise the statement. */
export const LOGGED_SQL_LIMIT = 2000;

/** Error fields that hold a failed query's values (PGlite adds `params` and `queryOptions`; others `parameters`). */
const QUERY_VALUES = ["params", "parameters", "queryOptions"];
/** Error fields that hold a failed query's text. */
const QUERY_TEXT = ["query", "sql", "text"];

/**
 * pino's error serializer, then a failed query's values dropped (a count is kept) and its text cut
 * short: the values of a bulk insert made one 300 KB line, and they can hold personal data.
 */
export function serializeError(err: unknown): unknown {
  const out = pino.stdSerializers.err(err as Error) as unknown as Record<string, unknown>;
  if (!out || typeof out !== "object") return out;
  const clean: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(out)) {
    if (QUERY_VALUES.includes(key)) {
      if (Array.isArray(value)) clean[`${key}Count`] = value.length;
    } else if (QUERY_TEXT.includes(key) && typeof value === "string" && value.length > LOGGED_SQL_LIMIT) {
      clean[key] = `${value.slice(0, LOGGED_SQL_LIMIT)}… (${value.length} characters)`;
    } else if (key === "aggregateErrors" && Array.isArray(value)) {
      clean[key] = value.map((v) => serializeError(v));
    } else if (value && typeof value === "object" && "stack" in value && "message" in value) {
      clean[key] = serializeError(value); // an error under another key (pino serialized it already)
    } else clean[key] = value;
  }
  return clean;
}

/** Made on first use, so LOG_LEVEL set by a script before it logs is honoured. */
function root(): Logger {
  rootLogger ??= pino(
    {
      level: process.env.LOG_LEVEL ?? "info",
      base: { pid: process.pid },
      // Error objects as { type, message, stack }, under "err" as pino expects, without a query's values.
      serializers: { err: serializeError },
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
