import type { LifecycleRow } from "~/modules/os-lifecycle/support";
import type { PolicyValues } from "../policy";
import type { UnitKind } from "../units";

export type { PolicyValues } from "../policy";

export type Status = "met" | "partial" | "not_met" | "unknown" | "not_applicable";
export const STATUSES: readonly Status[] = ["met", "partial", "not_met", "unknown", "not_applicable"];
export const STATUS_LABELS: Record<Status, string> = {
  met: "Met",
  partial: "Partly met",
  not_met: "Not met",
  unknown: "Not known",
  not_applicable: "Not applicable",
};

/**
 * A record a finding relied on; `outcome` says whether that record passed the check. For an
 * attestation requirement the record is the verified answer (`id` is the assessment id).
 */
export interface EvidenceRef {
  type: "device" | "site" | "telephony_system" | "digital_service" | "practice" | "attestation";
  id: string;
  label: string;
  outcome?: "ok" | "fail" | "unknown";
}

/** Work the gap needs, in units the funding module prices (see units.ts). */
export interface Unit {
  kind: UnitKind;
  quantity: number;
}

/** Something that will change within the policy's warning horizon. */
export interface Upcoming {
  date: string;
  message: string;
}

export interface Finding {
  status: Status;
  /** Plain English for a practice manager, with counts and dates ("14 October 2025"). */
  reason: string;
  evidence: EvidenceRef[];
  units: Unit[];
  upcoming?: Upcoming[];
}

export interface DeviceRecord {
  id: number;
  site_code: string | null;
  asset_tag: string | null;
  serial_number: string | null;
  device_type: string;
  make: string | null;
  model: string | null;
  status: "in_use" | "spare" | "in_repair" | "disposed";
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  purchase_date: string | null;
  warranty_end: string | null;
  funded_by: "icb" | "practice" | null;
  managed: boolean | null;
  encrypted: boolean | null;
  antivirus_up_to_date: boolean | null;
  last_patched: string | null;
  tpm_version: string | null;
  cpu_model: string | null;
  cpu_generation: number | null;
  ram_gb: number | null;
  esu_enrolled: boolean | null;
}

export interface SiteRecord {
  code: string;
  name: string;
  kind: "main" | "branch";
  open_date: string | null;
  close_date: string | null;
  hscn_connected: boolean | null;
  bandwidth_mbps: number | null;
  resilient_line: boolean | null;
  wifi_staff: boolean | null;
  wifi_patient: boolean | null;
  comms_room_ok: boolean | null;
  ups_present: boolean | null;
  records_storage_m2: number | null;
  analogue_lines: number | null;
}

export interface TelephonyRecord {
  id: number;
  system_type: "analogue" | "isdn" | "on_premises_digital" | "cloud";
  supplier: string | null;
  on_bpf: boolean | null;
  contract_start: string | null;
  contract_end: string | null;
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
}

export interface DigitalServiceRecord {
  id: number;
  service_key: string;
  status: "in_use" | "not_in_use" | "unknown";
  supplier: string | null;
  since_date: string | null;
}

/** Everything the rules may read about one practice. Built by the evaluation service in sets. */
export interface PracticeEstate {
  practice: {
    ods_code: string;
    name: string;
    icb_code: string | null;
    pcn_code: string | null;
    list_size: number | null;
    clinical_system: string | null;
  };
  /** All the practice's sites; rules look at those open on the as-of date. */
  sites: SiteRecord[];
  /** Devices not disposed of. */
  devices: DeviceRecord[];
  /** The current telephony system, or null when none is recorded. */
  telephony: TelephonyRecord | null;
  services: DigitalServiceRecord[];
  /** OS lifecycle reference data, indexed with `indexLifecycle` (shared by every practice). */
  lifecycle: Map<string, LifecycleRow>;
}

export type Rule = (estate: PracticeEstate, policy: PolicyValues, asOf: string) => Finding;

export interface RuleDefinition {
  id: string;
  rule: Rule;
  /**
   * False for checks of recent activity (patching, anti-virus) that cannot be projected: the
   * forecast leaves them out rather than reporting every device as unpatched in a year's time.
   */
  forecastable: boolean;
}
