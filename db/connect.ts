import { Kysely, type Transaction } from "kysely";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import type { Database } from "./types";
import { openPostgres, typeParsers } from "./postgres";

export { typeParsers };

export type Db = Kysely<Database>;
/** A function taking Trx must run inside the caller's transaction (its writes belong with the caller's, or it locks rows). */
export type Trx = Transaction<Database>;
export type DbKind = "postgres" | "pglite";

export interface DbHandle {
  db: Db;
  kind: DbKind;
  /** Human-readable location without credentials, for logs and /healthz. */
  where: string;
  /** The embedded client, when kind is pglite (for snapshots). */
  pglite?: PGlite;
}

export function createPostgresDb(url: string, max = 10): DbHandle {
  const safe = new URL(url);
  safe.password = "";
  return { db: openPostgres(url, max), kind: "postgres", where: safe.toString() };
}

/**
 * PGlite's WebAssembly runtime sets `process.exitCode` to 0 when it shuts down, so a command that
 * had failed (exit code 1) and then closed its database exited 0. The code is kept across close.
 */
class ExitCodeKeepingPGlite extends PGlite {
  override async close() {
    const code = process.exitCode;
    try {
      await super.close();
    } finally {
      process.exitCode = code;
    }
  }
}

/** Embedded PostgreSQL (WebAssembly). `dataDir` undefined means in-memory. */
export function createPgliteDb(dataDir?: string, loadDataDir?: Blob): DbHandle {
  const client = new ExitCodeKeepingPGlite({ dataDir, parsers: typeParsers, loadDataDir });
  return {
    db: new Kysely<Database>({ dialect: new PGliteDialect(client) }),
    kind: "pglite",
    where: dataDir ? `pglite:${dataDir}` : "pglite:memory",
    pglite: client,
  };
}

export function createDbFromEnv(env: { DATABASE_URL?: string; DATA_DIR: string }): DbHandle {
  return env.DATABASE_URL ? createPostgresDb(env.DATABASE_URL) : createPgliteDb(env.DATA_DIR);
}
