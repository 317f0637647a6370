import {
  CompiledQuery,
  Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type DatabaseConnection,
  type Driver,
  type KyselyPlugin,
  type QueryResult,
} from "kysely";
import type { Database } from "#db/types";
import type { Db, DbHandle } from "#db/connect";

/*
 * Per-test isolation (docs/adr/0012-tests-isolated-per-test.md). Each test runs inside one
 * transaction on one pinned connection, rolled back after the test, so a test sees exactly what
 * the file's beforeAll hooks committed and never what an earlier test wrote. The app's own
 * transactions inside a test become savepoints, and so does each statement outside them, so a
 * failed statement (a unique violation the app catches, an expected trigger refusal) undoes only
 * itself, as it would on its own connection.
 */

let perFileReason: string | null = null;

/**
 * Opts this test file out of per-test isolation: its tests share the file's database and see
 * each other's writes, as before. Only for tests that cannot run inside one connection's
 * transaction: two transactions at once, row locks between connections, worker threads, child
 * processes or a server process that open their own connections, job workers on PostgreSQL,
 * migrations. Call it once, at the top of the file; `reason` says which of these it is.
 */
export function isolatePerFile(reason: string) {
  if (!reason.trim()) throw new Error("isolatePerFile: say why this file cannot be isolated per test");
  perFileReason = reason;
}

/** Whether this file's tests each run in a transaction of their own (no isolatePerFile call). */
export const isolatedPerTest = () => perFileReason === null;

/** Whether a test (of an isolated file) is running now. */
let running = false;

/**
 * Refuses queries on the file's own handle while a test runs: a handle kept from beforeAll
 * (`const db = getDb()` outside the test) would write outside the test's transaction, so its
 * rows would be committed and seen by later tests (or, on PGlite, wait for the test's
 * connection for ever). Tests call getDb() when they need the database.
 */
export const fileHandleGuard: KyselyPlugin = {
  transformQuery({ node }) {
    if (running)
      throw new Error(
        "This test used the file's database handle, kept from outside the test: call getDb() inside the test " +
          "(each test has its own handle, in a transaction rolled back after it; see test/support/README.md).",
      );
    return node;
  },
  transformResult: async ({ result }) => result,
};

/** The handle tests in an isolated file are given before the file's own hooks and tests run. */
export function guardFileHandle(handle: DbHandle): DbHandle {
  return { ...handle, db: handle.db.withPlugin(fileHandleGuard) as Db };
}

const raw = (sql: string) => CompiledQuery.raw(sql);

/**
 * One test's transaction: begun at the test's first statement (so a test that never touches the
 * database costs nothing) on a connection taken from the file's handle and held until `end`.
 */
export class TestTransaction {
  readonly handle: DbHandle;
  #base: Db;
  #pinned: Promise<{ conn: DatabaseConnection; release: () => void; done: Promise<void> }> | null = null;
  /** Serialises users of the one connection, as the PGlite driver does: one statement or one app transaction at a time. */
  #queue: Promise<void> = Promise.resolve();
  #unlock: (() => void) | null = null;
  /** App transactions open now, each a savepoint (one at a time: they take turns). */
  #savepoints = 0;
  #ended = false;

  constructor(base: DbHandle) {
    this.#base = base.db;
    const driver = this.#driver();
    const db = new Kysely<Database>({
      dialect: {
        createAdapter: () => new PostgresAdapter(),
        createDriver: () => driver,
        createQueryCompiler: () => new PostgresQueryCompiler(),
        createIntrospector: (k) => new PostgresIntrospector(k),
      },
    });
    this.handle = { ...base, db };
    running = true;
  }

  /** Takes a connection from the file's handle and begins the test's transaction on it. */
  #pin() {
    this.#pinned ??= new Promise((resolve, reject) => {
      let release!: () => void;
      const held = new Promise<void>((r) => (release = r));
      const done = this.#base
        .withoutPlugins()
        .getExecutor()
        .provideConnection(async (conn) => {
          try {
            await conn.executeQuery(raw("begin"));
          } catch (e) {
            reject(e);
            return;
          }
          resolve({ conn, release, done });
          await held;
        });
      done.catch(reject);
    });
    return this.#pinned;
  }

  #driver(): Driver {
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the driver's methods need the transaction, not the driver
    const t = this;
    const exec = async (q: CompiledQuery) => (await t.#pin()).conn.executeQuery(q);
    const connection: DatabaseConnection = {
      async executeQuery<R>(q: CompiledQuery): Promise<QueryResult<R>> {
        if (t.#savepoints > 0) return (await t.#pin()).conn.executeQuery<R>(q);
        // A statement on its own: a savepoint of its own, so its failure leaves the test's transaction usable.
        await exec(raw("savepoint test_statement"));
        try {
          const result = await (await t.#pin()).conn.executeQuery<R>(q);
          await exec(raw("release savepoint test_statement"));
          return result;
        } catch (e) {
          await exec(raw("rollback to savepoint test_statement"));
          await exec(raw("release savepoint test_statement"));
          throw e;
        }
      },
      async *streamQuery<R>(q: CompiledQuery, chunkSize?: number) {
        yield* (await t.#pin()).conn.streamQuery<R>(q, chunkSize);
      },
    };
    return {
      init: async () => {},
      acquireConnection: async () => {
        if (t.#ended) throw new Error("This test has ended: its database handle is closed (work left running after the test?)");
        const previous = t.#queue;
        let unlock!: () => void;
        t.#queue = new Promise<void>((r) => (unlock = r));
        await previous;
        t.#unlock = unlock;
        return connection;
      },
      releaseConnection: async () => {
        const unlock = t.#unlock;
        t.#unlock = null;
        unlock?.();
      },
      // The app's transactions are savepoints in the test's; isolation level and access mode
      // cannot be set on a savepoint, and the test's transaction is read committed, as the app's default.
      beginTransaction: async () => {
        await exec(raw(`savepoint test_app_${t.#savepoints + 1}`));
        t.#savepoints++;
      },
      // A commit that fails leaves the savepoint open: Kysely then calls rollbackTransaction.
      commitTransaction: async () => {
        await exec(raw(`release savepoint test_app_${t.#savepoints}`));
        t.#savepoints--;
      },
      rollbackTransaction: async () => {
        const name = `test_app_${t.#savepoints}`;
        try {
          await exec(raw(`rollback to savepoint ${name}`));
          await exec(raw(`release savepoint ${name}`));
        } finally {
          t.#savepoints--;
        }
      },
      savepoint: async (_c, name) => void (await exec(raw(`savepoint "${name}"`))),
      rollbackToSavepoint: async (_c, name) => void (await exec(raw(`rollback to savepoint "${name}"`))),
      releaseSavepoint: async (_c, name) => void (await exec(raw(`release savepoint "${name}"`))),
      destroy: async () => {},
    };
  }

  /** Rolls the test's work back and gives the connection back to the file's handle. */
  async end() {
    this.#ended = true;
    running = false;
    if (!this.#pinned) return;
    const { conn, release, done } = await this.#pinned;
    // Wait for a statement still running (work the test left behind), then undo everything.
    await this.#queue;
    try {
      await conn.executeQuery(raw("rollback"));
    } finally {
      release();
      await done;
    }
  }
}
