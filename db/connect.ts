import { Kysely, PostgresDialect, type Transaction } from "kysely";
import pg from "pg";
import { PGlite } from "@electric-sql/pglite";
import { PGliteDialect } from "kysely-pglite-dialect";
import type { Database } from "./types";

/** PostgreSQL type OIDs whose parsing we set identically on both drivers. */
const OID = { int8: 20, date: 1082, timestamp: 1114, timestamptz: 1184 } as const;

/**
 * One set of parsers for pg and PGlite, so the same query returns the same JS types on both:
 * counts (int8) as numbers, dates as `YYYY-MM-DD` strings (no time-zone shift across BST),
 * instants as Date.
 */
export const typeParsers: Record<number, (value: string) => unknown> = {
  [OID.int8]: (v) => {
    const n = Number(v);
    if (!Number.isSafeInteger(n)) throw new Error(`int8 value ${v} is too large for a JS number`);
    return n;
  },
  [OID.date]: (v) => v,
  [OID.timestamp]: (v) => new Date(`${v.replace(" ", "T")}Z`),
  [OID.timestamptz]: (v) => new Date(v),
};

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
  const pool = new pg.Pool({
    connectionString: url,
    max,
    // No JIT: the app's statements are short, and JIT compiling the national gap register's
    // totals took 4.7 s of an 8 s statement on a busy machine (a cost estimate over its threshold).
    options: "-c jit=off",
    types: {
      getTypeParser: ((oid: number, format?: string) =>
        // eslint-disable-next-line @typescript-eslint/no-explicit-any -- pg's overloaded getTypeParser cannot be typed through one signature
        typeParsers[oid] ?? pg.types.getTypeParser(oid, format as any)) as any,
    },
  });
  const safe = new URL(url);
  safe.password = "";
  return { db: new Kysely<Database>({ dialect: new PostgresDialect({ pool }) }), kind: "postgres", where: safe.toString() };
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
