/**
 * The server's own settings, checked once at start-up like app/utils/env.server.ts (which still
 * owns PORT, DATABASE_URL and NODE_ENV).
 */
import os from "node:os";
import path from "node:path";
import { z } from "zod";
import { getEnv } from "~/utils/env.server";
import { exportBounds } from "~/utils/export-bounds";

const root = path.resolve(import.meta.dirname, "../..");

const ServerEnvSchema = z.object({
  /** Interface to listen on; unset means every interface. */
  HOST: z
    .string()
    .optional()
    .transform((v) => v || undefined),
  /** Server processes; unset means one per CPU on PostgreSQL. */
  WEB_CONCURRENCY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number().int("WEB_CONCURRENCY must be a whole number").min(1, "WEB_CONCURRENCY must be at least 1").max(256).optional(),
  ),
  /**
   * Requests each server process works on at once (loaders, actions, the render); more wait their
   * turn in order, never refused. See render-slots.ts.
   */
  RENDER_CONCURRENCY: z.preprocess(
    (v) => (v === "" ? undefined : v),
    z.coerce.number().int("RENDER_CONCURRENCY must be a whole number").min(1, "RENDER_CONCURRENCY must be at least 1").max(1000).default(4),
  ),
  /** How long a stopping server waits for requests in flight before closing their connections. */
  SHUTDOWN_TIMEOUT_SECONDS: z.coerce.number().positive().max(600).default(20),
});

export interface ServerConfig {
  port: number;
  host: string | undefined;
  production: boolean;
  workers: number;
  /** Why `workers` is what it is, for the start-up line. */
  workersReason: string;
  shutdownTimeoutMs: number;
  /** Requests in Remix at once per server process (render-slots.ts). */
  renderConcurrency: number;
  buildEntry: string;
  clientDir: string;
}

export function serverConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const app = getEnv();
  // EXPORT_STALL_SECONDS and EXPORT_WAIT_SECONDS are read by each export; a bad one stops the start.
  exportBounds(env);
  const parsed = ServerEnvSchema.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join(".")}: ${i.message}`);
    throw new Error(`Invalid environment:\n${lines.join("\n")}`);
  }
  const { HOST, WEB_CONCURRENCY, SHUTDOWN_TIMEOUT_SECONDS, RENDER_CONCURRENCY } = parsed.data;
  const embedded = !app.DATABASE_URL;
  let workers: number;
  let workersReason: string;
  if (embedded) {
    // PGlite keeps the database inside the process and allows one process at a time.
    workers = 1;
    workersReason =
      WEB_CONCURRENCY && WEB_CONCURRENCY > 1
        ? `the embedded database allows one process, so WEB_CONCURRENCY=${WEB_CONCURRENCY} is ignored`
        : "the embedded database allows one process";
  } else if (WEB_CONCURRENCY) {
    workers = WEB_CONCURRENCY;
    workersReason = "WEB_CONCURRENCY";
  } else {
    workers = os.availableParallelism();
    workersReason = "one per CPU";
  }
  return {
    port: app.PORT,
    host: HOST,
    production: app.NODE_ENV === "production",
    workers,
    workersReason,
    shutdownTimeoutMs: SHUTDOWN_TIMEOUT_SECONDS * 1000,
    renderConcurrency: RENDER_CONCURRENCY,
    buildEntry: path.join(root, "build/server/index.js"),
    clientDir: path.join(root, "build/client"),
  };
}
