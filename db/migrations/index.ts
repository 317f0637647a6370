import type { Migration, MigrationProvider } from "kysely";
import * as m20261121_foundation from "./2026-11-21T22-00-00_foundation";
import * as m20261121_estate from "./2026-11-21T23-00-00_estate";
import * as m20261121_os_seed from "./2026-11-21T23-10-00_os_lifecycle_seed";
import * as m20261121_import_upload from "./2026-11-21T23-20-00_import_upload";
import * as m20261122_compliance from "./2026-11-22T00-00-00_compliance";
import * as m20261122_assessment from "./2026-11-22T01-00-00_assessment";
import * as m20261122_gaps_funding from "./2026-11-22T02-00-00_gaps_funding";
import * as m20261122_result_latest from "./2026-11-22T02-30-00_result_latest_index";
import * as m20261122_paper_carbon from "./2026-11-22T03-00-00_paper_carbon";
import * as m20261203_icb_change from "./2026-12-03T14-30-00_icb_change";

// A static list rather than a folder scan, so the same migrations load in tsx scripts,
// in Vitest and inside the bundled server. Add each new migration here, in order.
const migrations: Record<string, Migration> = {
  "2026-11-21T22-00-00_foundation": m20261121_foundation,
  "2026-11-21T23-00-00_estate": m20261121_estate,
  "2026-11-21T23-10-00_os_lifecycle_seed": m20261121_os_seed,
  "2026-11-21T23-20-00_import_upload": m20261121_import_upload,
  "2026-11-22T00-00-00_compliance": m20261122_compliance,
  "2026-11-22T01-00-00_assessment": m20261122_assessment,
  "2026-11-22T02-00-00_gaps_funding": m20261122_gaps_funding,
  "2026-11-22T02-30-00_result_latest_index": m20261122_result_latest,
  "2026-11-22T03-00-00_paper_carbon": m20261122_paper_carbon,
  "2026-12-03T14-30-00_icb_change": m20261203_icb_change,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
