import { createHash } from "node:crypto";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Db } from "#db/connect";
import { logFor } from "~/utils/log.server";
import * as repo from "./repository.server";

export type { KeptKind } from "./repository.server";
export {
  claimKeptKey,
  forgetKeptFigures,
  readKeptFigures,
  readKeptFiguresOf,
  readKeptFiguresWithoutNext,
  storeNextFigures,
} from "./repository.server";

/**
 * The code's digest, part of every kept figure's key, so figures kept by an older version of the
 * code are never read by a newer one. In the built server this module is inside the server
 * bundle, so any change to the code moves it; under tsx and Vitest it is this file's source
 * (there, code changes without a new key last at most until the date in the key moves).
 */
let digest: string | undefined;
export function codeDigest() {
  if (digest === undefined) {
    try {
      digest = createHash("md5")
        .update(readFileSync(fileURLToPath(import.meta.url)))
        .digest("hex")
        .slice(0, 12);
    } catch {
      digest = "unknown";
    }
  }
  return digest;
}

/** Keeps figures for every process; a failure to store (a lock, a read-only replica) only costs the next process the work. */
export async function keepFigures(db: Db, kind: repo.KeptKind, rows: { owner: string; key: string; value: unknown }[]) {
  if (rows.length === 0) return;
  try {
    await repo.storeKeptFigures(db, kind, rows);
  } catch (err) {
    logFor("kept-figures").warn({ err, kind }, "could not keep figures in the database");
  }
}
