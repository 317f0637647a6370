import type { ColumnType } from "kysely";
import type {
  CbtMonthTable,
  CyberEssentialsCertificateTable,
  DeviceTable,
  DsptStatusTable,
  DigitalServiceTable,
  LloydGeorgeRecordTable,
  PaperActivityTable,
  SiteTable,
  TelephonySystemTable,
} from "#db/types";
import type { LifecycleRow } from "~/modules/os-lifecycle/support";
import type { PolicyValues } from "./policy";
import type { UnitKind } from "./units";

export type { PolicyValues } from "./policy";

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
 * A record a finding relied on; `outcome` says whether that record passed the check. Devices
 * appear only when they fail or their data is missing (problemRefs): the reason counts those
 * that pass. For an attestation requirement the record is the verified answer (`id` is the
 * assessment id).
 */
export interface EvidenceRef {
  type:
    | "device"
    | "site"
    | "telephony_system"
    | "digital_service"
    | "practice"
    | "attestation"
    | "lloyd_george"
    | "paper_activity"
    | "dspt_status"
    | "cyber_essentials"
    | "cbt_month";
  id: string;
  label: string;
  outcome?: "ok" | "fail" | "unknown";
}

/**
 * Work the gap needs, in units the funding module prices (see units.ts).
 *
 * `items` (one key per unit, such as `device:42`) or `ref` (one key for the whole quantity, such
 * as `practice:telephony`) say which things the work is for, so that the engine can cost each
 * remediation unit once per practice however many requirements it fails (remediation.ts). They
 * are used while evaluating and never stored.
 *
 * A stored unit with quantity 0 and `costedUnder` records work this gap needs that another
 * requirement's gap already costs (`covered` of them); `replacedUnder` means the device is
 * replaced there, so this work is not needed. Such units price at £0.
 */
export interface Unit {
  kind: UnitKind;
  quantity: number;
  items?: string[];
  ref?: string;
  costedUnder?: string;
  replacedUnder?: string;
  covered?: number;
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

// The rules read plain records; their shapes come from the tables so the two cannot drift apart.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- only the select type matters here
type Row<T> = { [K in keyof T]: T[K] extends ColumnType<infer S, any, any> ? S : T[K] };

/**
 * The device columns the rules read besides `id`: the one list that the compliance load selects
 * and that the import's impact preview copies from a checked row, so the two read the same.
 */
export const DEVICE_RECORD_COLUMNS = [
  "site_code",
  "asset_tag",
  "serial_number",
  "device_type",
  "make",
  "model",
  "status",
  "os_family",
  "os_edition",
  "os_version",
  "purchase_date",
  "warranty_end",
  "funded_by",
  "managed",
  "encrypted",
  "antivirus_up_to_date",
  "last_patched",
  "patch_released",
  "tpm_version",
  "cpu_model",
  "cpu_generation",
  "ram_gb",
  "esu_years",
] as const satisfies readonly (keyof DeviceTable)[];

export type DeviceRecord = Pick<Row<DeviceTable>, "id" | (typeof DEVICE_RECORD_COLUMNS)[number]>;

export type SiteRecord = Pick<
  Row<SiteTable>,
  | "code"
  | "name"
  | "kind"
  | "open_date"
  | "close_date"
  | "hscn_connected"
  | "bandwidth_mbps"
  | "resilient_line"
  | "wifi_staff"
  | "wifi_patient"
  | "comms_room_ok"
  | "ups_present"
  | "records_storage_m2"
  | "analogue_lines"
>;

export type TelephonyRecord = Pick<
  Row<TelephonySystemTable>,
  | "id"
  | "system_type"
  | "supplier"
  | "on_bpf"
  | "contract_start"
  | "contract_end"
  | "lines"
  | "concurrent_calls"
  | "call_queuing"
  | "queue_position_message"
  | "call_back"
  | "ivr_routing"
  | "clinical_system_integration"
  | "realtime_reporting"
  | "historic_reporting"
  | "remote_agents"
  | "multi_site"
  | "call_recording"
  | "cbt_data_sharing"
  | "main_number"
>;

export type DigitalServiceRecord = Pick<Row<DigitalServiceTable>, "id" | "service_key" | "status" | "supplier" | "since_date" | "seats">;

export type LloydGeorgeRecord = Pick<
  Row<LloydGeorgeRecordTable>,
  | "envelopes_on_site"
  | "envelopes_elsewhere"
  | "digitised"
  | "destroyed"
  | "new_envelopes_since_2021"
  | "supplier"
  | "supplier_approved"
  | "contract_start"
  | "contract_end"
  | "destruction_approved_on"
>;

export type PaperActivityRecord = Pick<
  Row<PaperActivityTable>,
  | "id"
  | "site_code"
  | "period_start"
  | "period_end"
  | "sheets_printed"
  | "recycled_share_pct"
  | "letters_posted"
  | "sms_sent"
  | "nhs_app_messages"
  | "emails_sent"
>;

export type DsptRecord = Pick<Row<DsptStatusTable>, "id" | "cycle" | "status" | "outcome" | "published_on">;

export type CbtMonthRecord = Pick<Row<CbtMonthTable>, "month" | "inbound" | "answered" | "callback_made">;

export type CyberEssentialsRecord = Pick<
  Row<CyberEssentialsCertificateTable>,
  "id" | "level" | "certificate_number" | "certification_body" | "issued_on" | "expires_on"
>;

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
  /** The practice's Lloyd George record counts, or null when none are recorded. */
  lloydGeorge: LloydGeorgeRecord | null;
  /** Paper and post activity periods (the last two years at most, oldest first). */
  paper: PaperActivityRecord[];
  /** DSPT statuses imported for the practice, any order (absent in estates built before the DSPT import existed). */
  dspt?: DsptRecord[];
  /** Cyber Essentials certificates imported for the practice, any order (absent before that import existed). */
  cyberEssentials?: CyberEssentialsRecord[];
  /** NHS England's cloud telephony data for the practice, by month (absent before that import existed). */
  cbt?: CbtMonthRecord[];
  /** Months, in order, whose imported cloud telephony data covers the practice's NHS region. */
  cbtPublished?: string[];
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
