import { z } from "zod";

/**
 * The bounds on an export run in an export thread (export-thread.server.ts), so that one request
 * cannot hold a server process's export slot, or its place in the queue, for ever. Apart from the
 * thread's code so the server's start-up (scripts/server/config.ts) can check them cheaply.
 */

const seconds = (name: string, fallback: number) =>
  z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce
      .number({ message: `${name} must be a number of seconds, like ${fallback}` })
      .positive(`${name} must be more than 0 seconds`)
      .max(3600, `${name} must be at most 3600 seconds`)
      .default(fallback),
  );

const ExportEnvSchema = z.object({
  /**
   * A running threaded export whose client takes nothing for this long is stopped. Shorter than
   * the wait below, so an export queued behind a stalled one gets its turn rather than a 503.
   */
  EXPORT_STALL_SECONDS: seconds("EXPORT_STALL_SECONDS", 30),
  /** An export waiting this long for a slot is refused (503) instead. */
  EXPORT_WAIT_SECONDS: seconds("EXPORT_WAIT_SECONDS", 50),
});

/**
 * The bounds on a threaded export, from EXPORT_STALL_SECONDS and EXPORT_WAIT_SECONDS (seconds,
 * fractions allowed, more than 0 and at most 3600). A bad value throws a message naming it: the
 * server checks them at start-up (scripts/server/config.ts) and will not start with one.
 */
export function exportBounds(env: NodeJS.ProcessEnv = process.env) {
  const parsed = ExportEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  return { stallMs: parsed.data.EXPORT_STALL_SECONDS * 1000, waitMs: parsed.data.EXPORT_WAIT_SECONDS * 1000 };
}

/**
 * The body of an export whose client took nothing for EXPORT_STALL_SECONDS: the export was stopped
 * and its slot freed. It fails after bytes have gone out, so the connection is destroyed.
 */
export class ExportStalledError extends Error {
  constructor(seconds: number) {
    super(`The client took nothing for ${seconds} s, so the export was stopped and its place given to the next.`);
    this.name = "ExportStalledError";
  }
}

/**
 * The body of an export that waited EXPORT_WAIT_SECONDS for a slot: nothing has been sent, so the
 * server answers with `status`, `title`, `message` and a Retry-After of `retryAfterSeconds`
 * (scripts/server/remix-handler.ts reads these fields, not the class, which is bundled twice).
 */
export class ExportBusyError extends Error {
  readonly status = 503;
  readonly title = "This download could not start yet";
  readonly retryAfterSeconds = 60;
  constructor() {
    super(
      "The service is busy preparing other large downloads, so this one has not started and nothing was downloaded. Try again in a minute or two.",
    );
    this.name = "ExportBusyError";
  }
}
