import type { ColumnType, Generated, GeneratedAlways, Insertable, Selectable, Updateable } from "kysely";

/** Dates are `YYYY-MM-DD` strings on both drivers (see db/connect.ts type parsers). */
type DateStr = string;
/** A timestamptz an insert must give (nullable ones may be left out: Kysely makes null-accepting columns optional). */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
/** JSON written as a JSON string; an insert must give it unless the column has a default (JsonDefault). */
type Json = ColumnType<unknown, string, string>;
/** JSON with a database default ('{}' or '[]'), so an insert may leave it out. */
type JsonDefault = ColumnType<unknown, string | undefined, string>;

export interface RegionTable {
  code: string;
  name: string | null;
}
export interface IcbTable {
  code: string;
  name: string | null;
  region_code: string | null;
}
export interface SubIcbTable {
  code: string;
  name: string | null;
  icb_code: string | null;
}
export interface PcnTable {
  code: string;
  name: string;
  sub_icb_code: string | null;
  open_date: DateStr | null;
  close_date: DateStr | null;
  address: string | null;
  postcode: string | null;
}
export interface PracticeTable {
  ods_code: string;
  name: string;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  status: string;
  open_date: DateStr | null;
  close_date: DateStr | null;
  prescribing_setting: number | null;
  country: string;
  region_code: string | null;
  icb_code: string | null;
  sub_icb_code: string | null;
  pcn_code: string | null;
  clinical_system: string | null;
  clinical_system_detail: string | null;
  clinical_system_source: string | null;
  list_size: number | null;
  list_size_date: DateStr | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface PracticePcnMembershipTable {
  id: Generated<number>;
  practice_code: string;
  pcn_code: string;
  start_date: DateStr;
  end_date: DateStr | null;
}
export interface PracticeListSizeTable {
  practice_code: string;
  extract_date: DateStr;
  patients: number;
}
export interface SiteTable {
  code: string;
  practice_code: string;
  kind: "main" | "branch";
  name: string;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  open_date: DateStr | null;
  close_date: DateStr | null;
  hscn_connected: Generated<boolean | null>;
  hscn_circuit_id: Generated<string | null>;
  bandwidth_mbps: Generated<number | null>;
  resilient_line: Generated<boolean | null>;
  wifi_staff: Generated<boolean | null>;
  wifi_patient: Generated<boolean | null>;
  comms_room_ok: Generated<boolean | null>;
  ups_present: Generated<boolean | null>;
  records_storage_m2: Generated<number | null>;
  ownership: Generated<string | null>;
  planned_move_date: Generated<DateStr | null>;
  planned_works: Generated<string | null>;
  analogue_lines: Generated<number | null>;
  is_manual: Generated<boolean>;
  version: Generated<number>;
}
export interface AppUserTable {
  id: Generated<number>;
  email: string;
  name: string;
  /** Null for a person invited to sign in only through single sign-on. */
  password_hash: string | null;
  /** False: password sign-in refused (single sign-on only), even if a password hash exists. */
  password_sign_in: Generated<boolean>;
  is_active: Generated<boolean>;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  /** Exists only to hold API tokens made by an admin; never signs in with a password. */
  is_service_account: Generated<boolean>;
}
export type Role = "admin" | "icb_lead" | "delivery_partner" | "practice_manager";
export interface MembershipTable {
  id: Generated<number>;
  user_id: number;
  role: Role;
  icb_code: string | null;
  practice_code: string | null;
  created_at: Generated<Date>;
}
export interface SessionTable {
  id: string;
  user_id: number;
  expires_at: Timestamp;
  created_at: Generated<Date>;
  /** The ID token of a single sign-on session (for the provider's end-session); null otherwise. */
  id_token: Generated<string | null>;
  /** A one-time message for the next page ("Device saved."), cleared when shown. */
  flash: Generated<string | null>;
}
export interface SsoIdentityTable {
  id: Generated<number>;
  user_id: number;
  issuer: string;
  subject: string;
  email: string;
  linked_at: Generated<Date>;
  last_sign_in_at: Date | null;
}
export interface LoginAttemptTable {
  id: Generated<number>;
  email: string;
  ip: string;
  succeeded: boolean;
  attempted_at: Generated<Date>;
  /** The known-good device cookie's id when the attempt carried one valid for this account. */
  device_id: string | null;
  /** Refused while its bucket was waiting: tested no password, never counts as a failure. */
  throttled: Generated<boolean>;
}
/** An admin-issued, single-use password reset link; only a SHA-256 of the token is kept. */
export interface PasswordResetTable {
  id: Generated<number>;
  user_id: number;
  token_hash: string;
  created_by: number | null;
  created_at: Generated<Date>;
  expires_at: Date;
  used_at: Date | null;
}
export interface AuditEventTable {
  id: Generated<number>;
  occurred_at: Generated<Date>;
  user_id: number | null;
  action: string;
  entity_type: string;
  entity_id: string;
  before: Json | null;
  after: Json | null;
  /** Who acted when no signed-in user did: "command line (user@host)". */
  actor: string | null;
  /** The API token a change was made with (issue 14). */
  api_token_id: number | null;
}
/** An API token (issue 14): only its SHA-256 is stored. */
export interface ApiTokenTable {
  id: Generated<number>;
  user_id: number;
  name: string;
  token_hash: string;
  hint: string;
  created_by: number | null;
  created_at: Generated<Date>;
  expires_at: Date;
  last_used_at: Date | null;
  revoked_at: Date | null;
  revoked_by: number | null;
  rate_limit_per_minute: Generated<number>;
  rate_window_start: Date | null;
  rate_count: Generated<number>;
}
export type JobStatus = "queued" | "running" | "done" | "failed";
/** A background job (issue 12): a re-check of an ICB or of England, or an import of a stored upload. */
export interface JobTable {
  id: Generated<number>;
  kind: string;
  /** "icb:QMF" or "all" (re-checks); "upload:<id>" (imports: one active job per upload). */
  scope: string;
  params: JsonDefault;
  status: Generated<JobStatus>;
  created_by: number | null;
  created_at: Generated<Date>;
  started_at: Date | null;
  finished_at: Date | null;
  /** Set every few seconds by the process running it; a stale one means that process died. */
  heartbeat_at: Date | null;
  worker: string | null;
  attempts: Generated<number>;
  done: Generated<number>;
  total: number | null;
  /** What the job is doing now, for its page: an import's "checking", "writing" or "rechecking". */
  phase: string | null;
  result: Json | null;
  error: string | null;
}
export interface ImportRunTable {
  id: Generated<number>;
  kind: string;
  file_name: string;
  user_id: number | null;
  counts: Json;
  started_at: Timestamp;
  finished_at: Generated<Date>;
  actor: string | null;
  /** The background job that wrote this run, if any (at most one run per job). */
  job_id: number | null;
}

/** DSPT organisation status history per practice (migration 2026-12-03T20-00-00_dspt_status). */
export interface DsptStatusTable {
  id: Generated<number>;
  practice_code: string;
  cycle: string | null;
  status: string;
  outcome: "met" | "exceeded" | "approaching" | "not_met" | "not_published";
  published_on: DateStr | null;
  source_file: string;
  imported_at: Generated<Date>;
  imported_by: number | null;
  actor: string | null;
}

/** Cyber Essentials certificates per practice (migration 2026-12-04T15-00-00_cyber_essentials). */
export interface CyberEssentialsCertificateTable {
  id: Generated<number>;
  practice_code: string;
  level: "ce" | "ce_plus";
  certificate_number: string;
  certification_body: string | null;
  issued_on: DateStr;
  expires_on: DateStr;
  source_file: string;
  imported_at: Generated<Date>;
  imported_by: number | null;
  actor: string | null;
}

/** Supplier contracts of practices and ICBs (migration 2026-12-05T04-00-00_supplier_contracts). */
export interface SupplierContractTable {
  id: Generated<number>;
  practice_code: string | null;
  icb_code: string | null;
  /** The practice's or ICB's code (generated). */
  holder: GeneratedAlways<string | null>;
  supplier: string;
  category: ContractCategory;
  service: string | null;
  framework: ContractFramework | null;
  starts_on: DateStr;
  ends_on: DateStr;
  notice_months: Generated<number>;
  annual_cost_pence: number;
  paid_by: ContractPayer;
  reference: string;
  ended_on: DateStr | null;
  version: Generated<number>;
  source_file: string | null;
  source_date: DateStr | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type ContractCategory = "telephony" | "clinical_system" | "online_consultation" | "connectivity" | "support" | "other";
export type ContractFramework =
  "better_purchasing_framework" | "digital_care_services" | "tech_innovation_framework" | "gp_it_futures" | "other";
export type ContractPayer = "icb" | "practice" | "other";

/** Cloud Based Telephony sums per practice and month (migration 2026-12-04T15-10-00_cbt_month). */
export interface CbtMonthTable {
  practice_code: string;
  month: DateStr;
  inbound: number | null;
  ivr_ended: number | null;
  answered: number | null;
  missed: number | null;
  callback_requested: number | null;
  callback_made: number | null;
  source_file: string;
  imported_at: Generated<Date>;
}

/** Months and NHS regions the imported CBT data has covered (migration 2026-12-04T15-10-00_cbt_month). */
export interface CbtPublicationTable {
  month: DateStr;
  region_code: string;
  source_file: string;
  practices: number;
  imported_at: Generated<Date>;
}

export interface OsLifecycleTable {
  id: Generated<number>;
  family: string;
  edition: string;
  version: string;
  build: string | null;
  release_date: DateStr | null;
  end_of_support: DateStr | null;
  extended_end: DateStr | null;
  source: string;
  notes: string | null;
  version_no: Generated<number>;
  updated_at: Generated<Date>;
  /** Windows Server mainstream support end (shown only; end_of_support is the extended end). */
  mainstream_end: DateStr | null;
  /** Last day of each paid ESU year, in order; extended_end is the last. JSON array of dates. */
  esu_year_ends: Generated<string[]>;
  /** The reference-data version that wrote the row; null once an admin has created or edited it. */
  reference_version: string | null;
}
/** Which version of each typed reference file the database was last brought up to. */
export interface ReferenceDataTable {
  name: string;
  version: string;
  synced_at: Generated<Date>;
}
export type DeviceStatus = "in_use" | "spare" | "in_repair" | "disposed";
export interface DeviceTable {
  id: Generated<number>;
  practice_code: string;
  site_code: string | null;
  asset_tag: string | null;
  serial_number: string | null;
  device_type: string;
  make: string | null;
  model: string | null;
  status: DeviceStatus;
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  os_build: string | null;
  purchase_date: DateStr | null;
  warranty_end: DateStr | null;
  funded_by: "icb" | "practice" | null;
  managed: boolean | null;
  encrypted: boolean | null;
  antivirus_up_to_date: boolean | null;
  last_patched: DateStr | null;
  patch_released: DateStr | null;
  tpm_version: "none" | "1.2" | "2.0" | null;
  cpu_model: string | null;
  cpu_generation: number | null;
  ram_gb: number | null;
  /** Consecutive paid Extended Security Updates years bought (0 = none, null = not known). */
  esu_years: number | null;
  disposed_date: DateStr | null;
  notes: string | null;
  /** Name on the network, as device management reports it. */
  device_name: string | null;
  /** The day (UK time) it last checked in with device management. */
  last_seen: DateStr | null;
  ownership: "corporate" | "personal" | null;
  compliance: "compliant" | "noncompliant" | "in_grace_period" | "conflict" | "error" | "config_manager" | "unknown" | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export type TelephonyType = "analogue" | "isdn" | "on_premises_digital" | "cloud";
export interface TelephonySystemTable {
  id: Generated<number>;
  practice_code: string;
  is_current: Generated<boolean>;
  system_type: TelephonyType;
  supplier: string | null;
  product: string | null;
  on_bpf: boolean | null;
  contract_start: DateStr | null;
  contract_end: DateStr | null;
  lines: number | null;
  concurrent_calls: number | null;
  call_queuing: boolean | null;
  queue_position_message: boolean | null;
  call_back: boolean | null;
  ivr_routing: boolean | null;
  clinical_system_integration: boolean | null;
  realtime_reporting: boolean | null;
  historic_reporting: boolean | null;
  remote_agents: boolean | null;
  multi_site: boolean | null;
  call_recording: boolean | null;
  cbt_data_sharing: boolean | null;
  main_number: string | null;
  ended_on: DateStr | null;
  notes: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface DigitalServiceTable {
  id: Generated<number>;
  practice_code: string;
  service_key: string;
  status: "in_use" | "not_in_use" | "unknown";
  supplier: string | null;
  since_date: DateStr | null;
  seats: number | null;
  notes: string | null;
  version: Generated<number>;
  updated_at: Generated<Date>;
}
export interface ImportMappingTable {
  user_id: number;
  kind: string;
  mapping: Json;
  updated_at: Generated<Date>;
}
export interface ImportValueMappingTable {
  id: Generated<number>;
  user_id: number;
  column_name: string;
  practice_code: Generated<string>;
  source_value: string;
  source_label: string;
  target_value: string;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
}
export interface ImportUploadTable {
  id: string;
  user_id: number;
  kind: string;
  file_name: string;
  content: Uint8Array;
  practice_code: string | null;
  mapping: Json | null;
  /** The file is the practice's whole inventory: devices missing from it are retired on import. */
  replace_inventory: Generated<boolean>;
  created_at: Generated<Date>;
  /** Device-name prefix → practice rules ([{ value, practice_code }]) placing the rows; null when not used. */
  prefix_rules: Json | null;
}

export interface FrameworkTable {
  id: string;
  version: string;
  name: string;
  description: string | null;
  content_hash: string;
  synced_at: Generated<Date>;
}
export interface RequirementTable {
  id: string;
  framework_id: string;
  sort_order: number;
  domain: string;
  category: string;
  funder: string;
  evidence: "automatic" | "attestation" | "both";
  automatic: boolean;
  title: string;
  description: string;
  sources: Json;
  weight: number;
  applies_from: DateStr | null;
  op_reading: Generated<boolean>;
  content_hash: string;
  retired_at: Timestamp | null;
  updated_at: Generated<Date>;
  introduced_in: Generated<string>;
  versions: JsonDefault;
}
export interface FrameworkVersionTable {
  id: string;
  framework_id: string;
  sort_order: number;
  name: string;
  effective_from: DateStr;
  effective_from_unconfirmed: Generated<boolean>;
  effective_from_note: string | null;
  sources: Json;
  note: string | null;
  updated_at: Generated<Date>;
}
export interface IcbPolicyTable {
  icb_code: string;
  key: string;
  value: Json;
  set_by: number | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export interface EvaluationRunTable {
  id: Generated<number>;
  scope: string;
  as_of: DateStr;
  user_id: number | null;
  started_at: Generated<Date>;
  finished_at: Timestamp | null;
  counts: Json;
}
export type ComplianceStatus = "met" | "partial" | "not_met" | "unknown" | "not_applicable";
export interface EvaluationResultTable {
  id: Generated<number>;
  practice_code: string;
  requirement_id: string;
  as_of: DateStr;
  status: ComplianceStatus;
  reason: string;
  evidence: Json;
  units: Json;
  upcoming: JsonDefault;
  outcome_hash: string;
  run_id: number;
  evaluated_at: Generated<Date>;
}

export type AssessmentStatus = "not_started" | "in_progress" | "submitted" | "returned" | "verified";
export type AttestedAnswer = "met" | "partial" | "not_met" | "not_applicable";
export type ReviewStatus = "pending" | "verified" | "returned";
export interface AssessmentCycleTable {
  id: Generated<number>;
  icb_code: string;
  name: string;
  due_date: DateStr;
  opened_by: number | null;
  opened_at: Generated<Date>;
  closed_at: Timestamp | null;
  closed_by: number | null;
  version: Generated<number>;
  /** The practice that started this assessment itself (its own one-practice cycle); null when the ICB opened the cycle. */
  started_by_practice: string | null;
}
export interface AssessmentTable {
  id: Generated<number>;
  cycle_id: number;
  practice_code: string;
  status: Generated<AssessmentStatus>;
  submitted_at: Timestamp | null;
  submitted_by: number | null;
  verified_at: Timestamp | null;
  verified_by: number | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export interface AssessmentAnswerTable {
  id: Generated<number>;
  assessment_id: number;
  requirement_id: string;
  answer: AttestedAnswer | null;
  evidence_note: string | null;
  evidence_link: string | null;
  answered_by: number | null;
  answered_at: Timestamp | null;
  review_status: Generated<ReviewStatus>;
  review_comment: string | null;
  reviewed_by: number | null;
  reviewed_at: Timestamp | null;
  version: Generated<number>;
}
export type DisputeStatus = "open" | "accepted" | "rejected";
export interface ResultDisputeTable {
  id: Generated<number>;
  assessment_id: number;
  practice_code: string;
  requirement_id: string;
  as_of: DateStr;
  result_status: string;
  comment: string;
  raised_by: number | null;
  raised_at: Generated<Date>;
  status: Generated<DisputeStatus>;
  resolution_comment: string | null;
  resolved_by: number | null;
  resolved_at: Timestamp | null;
  version: Generated<number>;
}

export type GapStatus = "open" | "funding_requested" | "funded" | "in_delivery" | "closed";
export type PriceBasis = "each" | "per_1000_patients";
export type PriceFinance = "capital" | "revenue";
export type PriceRecurrence = "one_off" | "annual";
export type FundingRequestStatus = "draft" | "submitted" | "approved" | "rejected" | "funded" | "delivered";
export interface PriceListEntryTable {
  id: Generated<number>;
  icb_code: string | null;
  unit_kind: string;
  basis: PriceBasis;
  unit_cost_pence: number;
  effective_from: DateStr;
  source: string;
  local_estimate: boolean;
  vat_rate_percent: Generated<number>;
  finance: Generated<PriceFinance>;
  recurrence: Generated<PriceRecurrence>;
  created_by: number | null;
  created_at: Generated<Date>;
}
export interface GapTable {
  id: Generated<number>;
  practice_code: string;
  requirement_id: string;
  status: Generated<GapStatus>;
  result_status: "not_met" | "partial";
  reason: string;
  units: Json;
  first_seen: DateStr;
  deadline: DateStr;
  /** What the deadline rests on: an external date's label, or null for first seen + the category's days. */
  deadline_basis: string | null;
  closed_on: DateStr | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export interface GapEventTable {
  id: Generated<number>;
  gap_id: number;
  on_date: DateStr;
  occurred_at: Generated<Date>;
  kind: "opened" | "changed" | "status" | "closed";
  from_status: string | null;
  to_status: string | null;
  detail: string;
  user_id: number | null;
}
export interface IcbBudgetTable {
  icb_code: string;
  financial_year: number;
  /** Capital + revenue (each counted as 0 when not set). */
  amount_pence: number;
  /** Null: not set for the year. */
  capital_pence: number | null;
  revenue_pence: number | null;
  set_by: number | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export interface FundingRequestTable {
  id: Generated<number>;
  icb_code: string;
  title: string;
  financial_year: number;
  amount_pence: number;
  /** The capital part of the amount; the revenue part is amount - capital. */
  capital_pence: Generated<number>;
  /** VAT on the amount; null when not worked out (requests made before the money model). */
  vat_pence: number | null;
  self_approval_reason: string | null;
  amount_reason: string | null;
  justification: string;
  status: Generated<FundingRequestStatus>;
  created_by: number | null;
  created_at: Generated<Date>;
  submitted_at: Timestamp | null;
  decided_by: number | null;
  decided_at: Timestamp | null;
  decision_reason: string | null;
  budget_override_reason: string | null;
  funded_at: Timestamp | null;
  delivered_at: Timestamp | null;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export interface FundingRequestGapTable {
  request_id: number;
  gap_id: number;
  estimate_pence: number | null;
}

export interface LloydGeorgeRecordTable {
  practice_code: string;
  envelopes_on_site: number | null;
  envelopes_elsewhere: number | null;
  digitised: number | null;
  destroyed: number | null;
  new_envelopes_since_2021: number | null;
  supplier: string | null;
  supplier_approved: boolean | null;
  contract_start: DateStr | null;
  contract_end: DateStr | null;
  destruction_approved_on: DateStr | null;
  notes: string | null;
  version: Generated<number>;
  updated_at: Generated<Date>;
  updated_by: number | null;
}
export interface PaperActivityTable {
  id: Generated<number>;
  practice_code: string;
  site_code: string | null;
  period_start: DateStr;
  period_end: DateStr;
  sheets_printed: number | null;
  recycled_share_pct: number | null;
  letters_posted: number | null;
  sms_sent: number | null;
  nhs_app_messages: number | null;
  emails_sent: number | null;
  notes: string | null;
  version: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  updated_by: number | null;
}
export interface EmissionFactorTable {
  id: Generated<number>;
  key: string;
  value: number;
  unit: string;
  source: string;
  year: number | null;
  is_assumption: Generated<boolean>;
  effective_from: DateStr;
  created_at: Generated<Date>;
  created_by: number | null;
}

/** Change stamps per ICB ('*' national), written by triggers (migration 2026-12-03T14-30-00). */
export interface IcbChangeTable {
  id: Generated<number>;
  icb_code: string;
  weight: Generated<number>;
  changed_at: Generated<Date>;
}

/** One row per practice a statement changed the estate of (migration 2026-12-04T10-00-00_practice_change). */
export interface PracticeChangeTable {
  id: Generated<number>;
  practice_code: string;
  weight: Generated<number>;
}

/**
 * Figures worked out from the database and kept in it for every server process (migration
 * 2026-12-05T02-00-00_kept_figures); 'sweep_claim' rows are housekeeping's claims of a sweep round
 * (migration 2026-12-07T06-00-00_sweep_claim).
 */
export interface KeptFigureTable {
  kind: "forecast_part" | "icb_dashboard" | "england_part" | "gap_cube" | "sweep_claim";
  owner: string;
  key: string;
  value: Json;
  computed_at: Generated<Date>;
}

/** A Microsoft Graph (Intune) connection of an ICB (migration 2026-12-05T03-00-00_graph_sync). */
export interface GraphConnectionTable {
  id: Generated<number>;
  icb_code: string;
  name: string;
  tenant_id: string;
  client_id: string;
  /** AES-256-GCM, "v1.<iv>.<tag>.<ciphertext>" (base64url); never sent to the browser. */
  client_secret_enc: string | null;
  authority_url: Generated<string>;
  graph_url: Generated<string>;
  /** The managedDevice property holding a practice ODS code, if the owner uses one. */
  ods_field: string | null;
  sync_every_hours: number | null;
  missing_after_days: Generated<number>;
  next_sync_at: Timestamp | null;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Generated<Date>;
  version: Generated<number>;
}
export type GraphRuleKind = "prefix" | "group";
export interface GraphRuleTable {
  id: Generated<number>;
  connection_id: number;
  kind: GraphRuleKind;
  value: string;
  practice_code: string;
}
export interface GraphSyncRunTable {
  id: Generated<number>;
  connection_id: number;
  job_id: number | null;
  trigger: "manual" | "schedule";
  user_id: number | null;
  status: "done" | "failed";
  import_run_id: number | null;
  counts: JsonDefault;
  changes: JsonDefault;
  unmapped: JsonDefault;
  issues: JsonDefault;
  error: string | null;
  started_at: Timestamp;
  finished_at: Generated<Date>;
}

export interface GraphDeviceSeenTable {
  connection_id: number;
  graph_id: string;
  device_name: string | null;
  serial_number: string | null;
  practice_code: string | null;
  fingerprint: string;
  first_seen_at: Generated<Date>;
  last_present_at: Timestamp;
  missing_since: Timestamp | null;
}

/** Organisation successions: succ.csv and the April 2026 ICB mergers (migration 2026-12-05T05-00-00_ods_succession). */
export interface OdsSuccessionTable {
  id: Generated<number>;
  kind: "practice" | "icb";
  old_code: string;
  new_code: string;
  /** Where the old organisation's records went after walking the chain (A→B→C gives C). */
  final_code: string;
  effective_date: DateStr;
  source_file: string;
  import_run_id: number | null;
  carried: JsonDefault;
  applied_at: Generated<Date>;
}

export interface Database {
  reference_data: ReferenceDataTable;
  icb_change: IcbChangeTable;
  practice_change: PracticeChangeTable;
  kept_figure: KeptFigureTable;
  price_list_entry: PriceListEntryTable;
  gap: GapTable;
  gap_event: GapEventTable;
  icb_budget: IcbBudgetTable;
  funding_request: FundingRequestTable;
  funding_request_gap: FundingRequestGapTable;
  framework: FrameworkTable;
  framework_version: FrameworkVersionTable;
  requirement: RequirementTable;
  icb_policy: IcbPolicyTable;
  evaluation_run: EvaluationRunTable;
  evaluation_result: EvaluationResultTable;
  assessment_cycle: AssessmentCycleTable;
  assessment: AssessmentTable;
  assessment_answer: AssessmentAnswerTable;
  result_dispute: ResultDisputeTable;
  os_lifecycle: OsLifecycleTable;
  device: DeviceTable;
  telephony_system: TelephonySystemTable;
  digital_service: DigitalServiceTable;
  import_mapping: ImportMappingTable;
  import_upload: ImportUploadTable;
  import_value_mapping: ImportValueMappingTable;
  region: RegionTable;
  icb: IcbTable;
  sub_icb: SubIcbTable;
  pcn: PcnTable;
  practice: PracticeTable;
  practice_pcn_membership: PracticePcnMembershipTable;
  practice_list_size: PracticeListSizeTable;
  site: SiteTable;
  app_user: AppUserTable;
  membership: MembershipTable;
  session: SessionTable;
  sso_identity: SsoIdentityTable;
  login_attempt: LoginAttemptTable;
  password_reset: PasswordResetTable;
  audit_event: AuditEventTable;
  api_token: ApiTokenTable;
  job: JobTable;
  import_run: ImportRunTable;
  dspt_status: DsptStatusTable;
  cyber_essentials_certificate: CyberEssentialsCertificateTable;
  cbt_month: CbtMonthTable;
  cbt_publication: CbtPublicationTable;
  supplier_contract: SupplierContractTable;
  lloyd_george_record: LloydGeorgeRecordTable;
  paper_activity: PaperActivityTable;
  emission_factor: EmissionFactorTable;
  graph_connection: GraphConnectionTable;
  graph_rule: GraphRuleTable;
  graph_sync_run: GraphSyncRunTable;
  graph_device_seen: GraphDeviceSeenTable;
  ods_succession: OdsSuccessionTable;
}

export type Practice = Selectable<PracticeTable>;
export type NewPractice = Insertable<PracticeTable>;
export type PracticeUpdate = Updateable<PracticeTable>;
export type Pcn = Selectable<PcnTable>;
export type Site = Selectable<SiteTable>;
export type AppUser = Selectable<AppUserTable>;
export type Membership = Selectable<MembershipTable>;
