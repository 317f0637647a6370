import { afterAll, beforeAll } from "vitest";
import { setDbHandle } from "~/utils/db.server";
import { openTestDb } from "./db";
import type { DbHandle } from "#db/connect";

// Every test file gets its own migrated, empty database, installed as the app's database so
// loaders, actions and services under test use it exactly as the running server would.
let handle: DbHandle;

beforeAll(async () => {
  handle = await openTestDb();
  setDbHandle(handle);
});

afterAll(async () => {
  setDbHandle(undefined);
  await handle?.db.destroy();
});
