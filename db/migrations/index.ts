import type { Migration, MigrationProvider } from "kysely";
import * as m20261121_foundation from "./2026-11-21T22-00-00_foundation";
import * as m20261121_estate from "./2026-11-21T23-00-00_estate";
import * as m20261121_os_seed from "./2026-11-21T23-10-00_os_lifecycle_seed";
import * as m20261121_import_upload from "./2026-11-21T23-20-00_import_upload";
import * as m20261122_compliance from "./2026-11-22T00-00-00_compliance";
import * as m20261122_assessment from "./2026-11-22T01-00-00_assessment";
import * as m20261122_gaps_funding from "./2026-11-22T02-00-00_gaps_funding";
import * as m20261122_result_latest from "./2026-11-22T02-30-00_result_latest_index";
import * as m20261203_import_actor from "./2026-12-03T14-10-00_import_actor";
import * as m20261122_paper_carbon from "./2026-11-22T03-00-00_paper_carbon";
import * as m20261203_audit_append_only from "./2026-12-03T14-20-00_audit_append_only";
import * as m20261203_accounts from "./2026-12-03T14-21-00_accounts";
import * as m20261203_lifecycle_esu from "./2026-12-03T14-45-00_lifecycle_esu_years";
import * as m20261203_jobs from "./2026-12-03T14-35-00_jobs";
import * as m20261203_gap_deadline_basis from "./2026-12-03T14-40-00_gap_deadline_basis";
import * as m20261203_icb_change from "./2026-12-03T14-30-00_icb_change";
import * as m20261203_money_model from "./2026-12-03T18-00-00_money_model";
import * as m20261203_framework_versions from "./2026-12-03T18-20-00_framework_versions";
import * as m20261203_sso from "./2026-12-03T18-40-00_sso";
import * as m20261203_device_management_facts from "./2026-12-03T19-40-00_device_management_facts";
import * as m20261203_device_list_order from "./2026-12-03T19-20-00_device_list_order";
import * as m20261203_api_tokens from "./2026-12-03T19-00-00_api_tokens";
import * as m20261203_dspt_status from "./2026-12-03T20-00-00_dspt_status";
import * as m20261204_cyber_essentials from "./2026-12-04T15-00-00_cyber_essentials";
import * as m20261204_cbt_month from "./2026-12-04T15-10-00_cbt_month";
import * as m20261205_supplier_contracts from "./2026-12-05T04-00-00_supplier_contracts";
import * as m20261205_import_value_mapping from "./2026-12-05T06-00-00_import_value_mapping";
import * as m20261205_practice_started_assessment from "./2026-12-05T07-00-00_practice_started_assessment";
import * as m20261206_import_prefix_rules from "./2026-12-06T06-00-00_import_prefix_rules";
import * as m20261206_lz4_large_values from "./2026-12-06T10-30-00_lz4_large_values";
import * as m20261207_kept_gap_cube from "./2026-12-07T03-00-00_kept_gap_cube";
import * as m20261207_price_change_stamp from "./2026-12-07T10-00-00_price_change_stamp";
import * as m20261207_gap_closed_on_index from "./2026-12-07T16-00-00_gap_closed_on_index";
import * as m20261207_sweep_claim from "./2026-12-07T06-00-00_sweep_claim";
import * as m20261204_import_jobs from "./2026-12-04T11-00-00_import_jobs";
import * as m20261204_budget_pots from "./2026-12-04T12-00-00_budget_pots";
import * as m20261204_practice_change from "./2026-12-04T10-00-00_practice_change";
import * as m20261205_kept_figures from "./2026-12-05T02-00-00_kept_figures";
import * as m20261205_graph_sync from "./2026-12-05T03-00-00_graph_sync";
import * as m20261205_ods_succession from "./2026-12-05T05-00-00_ods_succession";
import * as m20261206_funding_request_vat from "./2026-12-06T01-00-00_funding_request_vat";
import * as m20261206_session_flash from "./2026-12-06T03-00-00_session_flash";

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
  "2026-12-03T14-10-00_import_actor": m20261203_import_actor,
  "2026-12-03T14-20-00_audit_append_only": m20261203_audit_append_only,
  "2026-12-03T14-21-00_accounts": m20261203_accounts,
  "2026-12-03T14-45-00_lifecycle_esu_years": m20261203_lifecycle_esu,
  "2026-12-03T14-35-00_jobs": m20261203_jobs,
  "2026-12-03T14-40-00_gap_deadline_basis": m20261203_gap_deadline_basis,
  "2026-12-03T14-30-00_icb_change": m20261203_icb_change,
  "2026-12-03T18-00-00_money_model": m20261203_money_model,
  "2026-12-03T18-20-00_framework_versions": m20261203_framework_versions,
  "2026-12-03T18-40-00_sso": m20261203_sso,
  "2026-12-03T19-40-00_device_management_facts": m20261203_device_management_facts,
  "2026-12-03T19-20-00_device_list_order": m20261203_device_list_order,
  "2026-12-03T19-00-00_api_tokens": m20261203_api_tokens,
  "2026-12-03T20-00-00_dspt_status": m20261203_dspt_status,
  "2026-12-04T15-00-00_cyber_essentials": m20261204_cyber_essentials,
  "2026-12-04T15-10-00_cbt_month": m20261204_cbt_month,
  "2026-12-05T07-00-00_practice_started_assessment": m20261205_practice_started_assessment,
  "2026-12-04T11-00-00_import_jobs": m20261204_import_jobs,
  "2026-12-04T12-00-00_budget_pots": m20261204_budget_pots,
  "2026-12-04T10-00-00_practice_change": m20261204_practice_change,
  "2026-12-05T03-00-00_graph_sync": m20261205_graph_sync,
  "2026-12-05T04-00-00_supplier_contracts": m20261205_supplier_contracts,
  "2026-12-05T06-00-00_import_value_mapping": m20261205_import_value_mapping,
  "2026-12-05T02-00-00_kept_figures": m20261205_kept_figures,
  "2026-12-05T05-00-00_ods_succession": m20261205_ods_succession,
  "2026-12-06T01-00-00_funding_request_vat": m20261206_funding_request_vat,
  "2026-12-06T03-00-00_session_flash": m20261206_session_flash,
  "2026-12-06T06-00-00_import_prefix_rules": m20261206_import_prefix_rules,
  "2026-12-06T10-30-00_lz4_large_values": m20261206_lz4_large_values,
  "2026-12-07T03-00-00_kept_gap_cube": m20261207_kept_gap_cube,
  "2026-12-07T06-00-00_sweep_claim": m20261207_sweep_claim,
  "2026-12-07T10-00-00_price_change_stamp": m20261207_price_change_stamp,
  "2026-12-07T16-00-00_gap_closed_on_index": m20261207_gap_closed_on_index,
};

export const migrationProvider: MigrationProvider = {
  async getMigrations() {
    return migrations;
  },
};
