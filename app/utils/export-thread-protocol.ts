/**
 * Messages between a server process and its export thread (export-thread.server.ts and
 * export.worker.ts). One export at a time per thread, from "start" to "done"; the main thread
 * asks for each chunk ("pull"), so the thread is never more than one chunk ahead of the client.
 */
export type ToExportThread =
  { type: "start"; producer: string; params: unknown; databaseUrl: string } | { type: "pull" } | { type: "cancel" };

export type FromExportThread =
  /** Up to CHUNK_BYTES of the file (a transferred buffer, not a copy). */
  | { type: "chunk"; bytes: ArrayBuffer }
  /** The whole file has been sent. */
  | { type: "end" }
  /** The export failed: the download must end with an error, never look complete. */
  | { type: "error"; message: string; stack?: string }
  /** After "end", "error" or "cancel": the thread's database pool is closed, it holds nothing. */
  | { type: "done" };

/** Bytes a chunk gathers before it is passed: fewer, larger messages; two of them bound what waits. */
export const CHUNK_BYTES = 64 * 1024;

/** The nice value of an export thread: below the threads serving pages (0), so pages go first. */
export const EXPORT_THREAD_NICE = 10;

/** `application_name` of an export thread's connections, so they can be told apart in pg_stat_activity. */
export const EXPORT_APPLICATION_NAME = "gp-estate-export";
