import { afterAll, afterEach, beforeAll, beforeEach } from "vitest";
import { setDbHandle } from "~/utils/db.server";
import { openTestDb } from "./db";
import { guardFileHandle, isolatedPerTest, TestTransaction } from "./isolation";
import type { DbHandle } from "#db/connect";

// Every test file gets its own migrated, empty database, installed as the app's database so
// loaders, actions and services under test use it exactly as the running server would. What the
// file's beforeAll hooks write is committed; each test then runs in a transaction of its own,
// rolled back after it (test/support/isolation.ts), unless the file calls isolatePerFile.
// These hooks are registered before the file's own, so beforeEach runs first and afterEach last.
let handle: DbHandle;
let test: TestTransaction | null = null;

beforeAll(async () => {
  handle = await openTestDb();
  if (isolatedPerTest()) handle = guardFileHandle(handle);
  setDbHandle(handle);
});

beforeEach(() => {
  if (!isolatedPerTest()) return;
  test = new TestTransaction(handle);
  setDbHandle(test.handle);
});

afterEach(async () => {
  if (!test) return;
  const ending = test;
  test = null;
  setDbHandle(handle);
  await ending.end();
});

afterAll(async () => {
  setDbHandle(undefined);
  await handle?.db.destroy();
});
