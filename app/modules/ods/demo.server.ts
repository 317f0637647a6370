import fs from "node:fs/promises";
import path from "node:path";
import type { Db } from "#db/connect";
import { importOdsFile } from "./service.server";
import type { ImportResult } from "./types";

export const NORTH_EAST_LONDON_ICB = "QMF";

/**
 * The shared NHS files that describe North East London, in dependency order: GPAD first (it
 * names the ICB, sub-ICB and PCNs, so later files can be placed in the ICB), then epraccur for
 * practice details, ePCN for PCN details and membership history, the 2021 list sizes before the
 * 2026 extract (so the newer figure ends up on the practice), branch surgeries, and suppliers.
 */
export const NEL_DEMO_FILES = [
  "gpad_practice_mapping_2025-08.csv",
  "epraccur.csv",
  "ePCN.xlsx",
  "gp-reg-pat-prac-all_2021-01.csv",
  "gp-reg-pat-prac-all_2026-04_NEL-extract.csv",
  "ebranchs_2017.csv",
  "gp_it_suppliers_2025-10.csv",
] as const;

/** ODS_DATA_DIR, else the shared data folder beside the project. */
export function defaultOdsDataDir(): string {
  return process.env.ODS_DATA_DIR || path.resolve("../shared/data");
}

/**
 * Loads only NHS North East London (ICB QMF) from the national files, one transaction per file,
 * for the demo seed and first start. Safe to run again: a second run changes nothing.
 */
export async function importNorthEastLondon(
  db: Db,
  dataDir: string = defaultOdsDataDir(),
  userId: number | null = null,
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const fileName of NEL_DEMO_FILES) {
    const file = path.join(dataDir, fileName);
    const content = await fs.readFile(file).catch((e: Error) => {
      throw new Error(
        `North East London demo data: cannot read ${file} (set ODS_DATA_DIR to the folder holding the NHS files): ${e.message}`,
      );
    });
    results.push(await importOdsFile(db, { fileName, content, userId, onlyIcb: NORTH_EAST_LONDON_ICB }));
  }
  return results;
}
