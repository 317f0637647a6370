import type { Db } from "#db/connect";
import { BOTH_IDS, type ChunkReads } from "./judge";
import * as repo from "./repository.server";

/**
 * What the rules need for one chunk of practices, in a handful of set queries: their estate, the
 * outcomes stored on and before `asOf`, and the verified answers of the "both" requirements.
 * The main thread and the evaluation worker threads (judge.worker.ts) read through this one
 * function, so both judge the same rows.
 */
export const readChunk = (db: Db, codes: string[], asOf: string): Promise<ChunkReads> =>
  Promise.all([
    repo.loadEstateRows(db, codes),
    repo.loadStoredOutcomes(db, codes, asOf),
    repo.loadVerifiedAttestations(db, codes, BOTH_IDS, asOf),
  ]);
