import { Kysely, PostgresDialect } from "kysely";
import pg from "pg";
import type { Database } from "./types";

// The PostgreSQL side of connect.ts, in a file of its own so that code bundled for a worker
// thread (compliance/judge.worker.ts) can open its own connection without pulling in PGlite.

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

/** The connection string each PostgreSQL Kysely was opened with, so work handed to a worker thread can open its own. */
const urls = new WeakMap<object, string>();

export function openPostgres(url: string, max = 10): Kysely<Database> {
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
  const db = new Kysely<Database>({ dialect: new PostgresDialect({ pool }) });
  urls.set(db, url);
  return db;
}

/** The connection string `db` was opened with, or null (PGlite, or a transaction: one connection, not shareable). */
export const postgresUrlOf = (db: object): string | null => urls.get(db) ?? null;
