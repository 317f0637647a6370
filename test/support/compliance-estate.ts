import { DEFAULT_POLICY, type PolicyValues } from "~/modules/catalogue/policy";
import type { DeviceRecord, DigitalServiceRecord, PracticeEstate, SiteRecord, TelephonyRecord } from "~/modules/compliance/rules";
import { indexLifecycle, type LifecycleRow } from "~/modules/os-lifecycle/support";

/**
 * Lifecycle rows the rule tests rely on (dates as in the research note, §3.2, and the reference
 * file app/modules/os-lifecycle/reference.ts: Windows Server rows are "All editions").
 */
export const LIFECYCLE: LifecycleRow[] = [
  {
    family: "Windows 10",
    edition: "Home/Pro/Enterprise/Education",
    version: "22H2",
    end_of_support: "2025-10-14",
    extended_end: "2028-10-10",
    esu_year_ends: ["2026-10-13", "2027-10-12", "2028-10-10"],
  },
  { family: "Windows 10", edition: "LTSC 2019", version: "1809", end_of_support: "2029-01-09", extended_end: null },
  { family: "Windows 11", edition: "Enterprise/Education", version: "23H2", end_of_support: "2026-11-10", extended_end: null },
  { family: "Windows 11", edition: "Enterprise/Education", version: "24H2", end_of_support: "2027-10-12", extended_end: null },
  { family: "Windows 11", edition: "Home/Pro", version: "24H2", end_of_support: "2026-10-13", extended_end: null },
  { family: "Windows Server", edition: "All editions", version: "2019", end_of_support: "2029-01-09", extended_end: null },
  { family: "Windows Server", edition: "All editions", version: "2012", end_of_support: "2023-10-10", extended_end: null },
];

let nextId = 1;

/** A healthy in-use desktop on Windows 11 24H2 Enterprise, bought in 2024; override what a test needs. */
export function device(over: Partial<DeviceRecord> = {}): DeviceRecord {
  const id = over.id ?? nextId++;
  return {
    id,
    site_code: "F84003",
    asset_tag: `TAG${id}`,
    serial_number: `SN${id}`,
    device_type: "desktop",
    make: "Dell",
    model: "OptiPlex",
    status: "in_use",
    os_family: "Windows 11",
    os_edition: "Enterprise",
    os_version: "24H2",
    purchase_date: "2024-01-15",
    warranty_end: "2029-01-15",
    funded_by: "icb",
    managed: true,
    encrypted: true,
    antivirus_up_to_date: true,
    last_patched: "2026-11-20",
    patch_released: null,
    tpm_version: "2.0",
    cpu_model: "Intel Core i5-12500",
    cpu_generation: 12,
    ram_gb: 16,
    esu_years: null,
    ...over,
  };
}

export const win10 = (over: Partial<DeviceRecord> = {}) =>
  device({ os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", ...over });

export function site(over: Partial<SiteRecord> = {}): SiteRecord {
  return {
    code: "F84003",
    name: "Main Surgery",
    kind: "main",
    open_date: null,
    close_date: null,
    hscn_connected: true,
    bandwidth_mbps: 200,
    resilient_line: true,
    wifi_staff: true,
    wifi_patient: true,
    comms_room_ok: true,
    ups_present: true,
    records_storage_m2: 0,
    analogue_lines: 0,
    ...over,
  };
}

export const branch = (over: Partial<SiteRecord> = {}) => site({ code: "F84003001", name: "Branch Surgery", kind: "branch", ...over });

export function telephony(over: Partial<TelephonyRecord> = {}): TelephonyRecord {
  return {
    id: 1,
    system_type: "cloud",
    supplier: "X-on",
    on_bpf: true,
    contract_start: "2024-04-01",
    contract_end: "2029-03-31",
    lines: null,
    concurrent_calls: 30,
    call_queuing: true,
    queue_position_message: true,
    call_back: true,
    ivr_routing: true,
    clinical_system_integration: true,
    realtime_reporting: true,
    historic_reporting: true,
    remote_agents: true,
    multi_site: true,
    call_recording: true,
    cbt_data_sharing: true,
    main_number: "020 7946 0000",
    ...over,
  };
}

export function service(
  key: string,
  status: DigitalServiceRecord["status"] = "in_use",
  over: Partial<DigitalServiceRecord> = {},
): DigitalServiceRecord {
  return { id: nextId++, service_key: key, status, supplier: null, since_date: null, seats: null, ...over };
}

export function estate(
  over: Partial<Omit<PracticeEstate, "practice">> & { practice?: Partial<PracticeEstate["practice"]> } = {},
): PracticeEstate {
  const { practice, ...rest } = over;
  return {
    practice: {
      ods_code: "F84003",
      name: "Lower Clapton",
      icb_code: "QMF",
      pcn_code: "U05451",
      list_size: 10000,
      clinical_system: "EMIS",
      ...practice,
    },
    sites: [site()],
    devices: [device()],
    telephony: telephony(),
    services: [],
    lloydGeorge: null,
    paper: [],
    lifecycle: indexLifecycle(LIFECYCLE),
    ...rest,
  };
}

export const policy = (over: Partial<PolicyValues> = {}): PolicyValues => ({ ...DEFAULT_POLICY, ...over });

/** n copies of a device builder's output, each with its own id. */
export const many = (n: number, make: () => DeviceRecord) => Array.from({ length: n }, make);
