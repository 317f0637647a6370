import { addDays } from "~/utils/today";
import type { Insertable } from "kysely";
import type { DeviceTable, DigitalServiceTable, LloydGeorgeRecordTable, PaperActivityTable, TelephonySystemTable } from "#db/types";
import { SERVICE_KEYS } from "~/modules/catalogue/digital-services";
import { createRandom, hashString, type Random } from "./random";

/**
 * Plausible synthetic estate for a practice, scaled to its list size. Deterministic: the same
 * practice and seed always give the same records, whatever order practices are generated in.
 * Every record is marked as demo data in its notes.
 */
export const DEMO_NOTE = "Synthetic demo data";
/** Dates are generated relative to this day, not today, so the data never drifts. */
export const REFERENCE_DATE = "2026-11-01";

export interface PracticeSeedInput {
  ods_code: string;
  list_size: number | null;
  clinical_system?: string | null;
  sites: { code: string; kind: "main" | "branch" }[];
}

export interface SiteFacts {
  code: string;
  hscn_connected: boolean;
  hscn_circuit_id: string | null;
  bandwidth_mbps: number;
  resilient_line: boolean;
  wifi_staff: boolean;
  wifi_patient: boolean;
  comms_room_ok: boolean | null;
  ups_present: boolean | null;
  records_storage_m2: number | null;
  ownership: string;
  analogue_lines: number;
}

export interface GeneratedEstate {
  devices: Insertable<DeviceTable>[];
  telephony: Insertable<TelephonySystemTable>[];
  services: Insertable<DigitalServiceTable>[];
  siteFacts: SiteFacts[];
  lloydGeorge: Insertable<LloydGeorgeRecordTable>;
  paperActivity: Insertable<PaperActivityTable>[];
}

// Share of practices using each service in the demo: national services near universal,
// newer contract items less so, and some left unrecorded ("not known") as in real registers.
const SERVICE_UPTAKE: Record<string, number> = {
  online_consultation: 0.95,
  video_consultation: 0.8,
  nhs_app_appointments: 0.85,
  nhs_app_repeat_prescriptions: 0.95,
  nhs_app_messaging: 0.7,
  nhs_app_record_view: 0.9,
  prospective_record_access: 0.85,
  gp_connect_access_record: 0.9,
  gp_connect_update_record: 0.7,
  eps: 0.99,
  ers: 0.99,
  gp2gp: 0.99,
  scr: 0.99,
  sms_messaging: 0.95,
  nhsmail: 0.99,
  online_registration: 0.75,
  practice_website: 0.98,
  practice_website_yygp: 0.6,
  cis2_smartcard_connect: 0.4,
};
const SERVICE_SUPPLIERS: Record<string, string[]> = {
  online_consultation: ["Accurx", "Klinik", "PATCHS", "eConsult"],
  video_consultation: ["Accurx", "AccuRx Video", "Attend Anywhere"],
  sms_messaging: ["Accurx", "iPlato", "MJog"],
  practice_website: ["Silicon Practice", "My Surgery Website", "Oldroyd Publishing"],
};

function servicesFor(rand: Random, p: PracticeSeedInput): Insertable<DigitalServiceTable>[] {
  return SERVICE_KEYS.map((key) => {
    if (key === "principal_clinical_system") {
      return {
        practice_code: p.ods_code,
        service_key: key,
        status: p.clinical_system ? "in_use" : "unknown",
        supplier: p.clinical_system ?? null,
        since_date: null,
        notes: DEMO_NOTE,
      };
    }
    const status = rand.chance(0.05) ? "unknown" : rand.chance(SERVICE_UPTAKE[key] ?? 0.8) ? "in_use" : "not_in_use";
    const suppliers = SERVICE_SUPPLIERS[key];
    return {
      practice_code: p.ods_code,
      service_key: key,
      status,
      supplier: status === "in_use" && suppliers ? rand.pick(suppliers) : null,
      since_date: status === "in_use" ? addDays(REFERENCE_DATE, -rand.int(90, 6 * 365)) : null,
      notes: DEMO_NOTE,
    };
  });
}

const addYears = (iso: string, years: number) => `${Number(iso.slice(0, 4)) + years}${iso.slice(4)}`.replace("-02-29", "-02-28");

const MAKES: Record<string, [string, string[]][]> = {
  desktop: [
    ["Dell", ["OptiPlex 7010", "OptiPlex 5090", "OptiPlex 3080", "OptiPlex 7000"]],
    ["HP", ["EliteDesk 800 G6", "ProDesk 400 G7", "EliteDesk 800 G9"]],
    ["Lenovo", ["ThinkCentre M70q", "ThinkCentre M920q"]],
  ],
  laptop: [
    ["Dell", ["Latitude 5420", "Latitude 5440", "Latitude 7400"]],
    ["HP", ["EliteBook 840 G8", "ProBook 450 G9"]],
    ["Lenovo", ["ThinkPad T14 Gen 3", "ThinkPad L14"]],
  ],
  monitor: [
    ["Dell", ["P2422H", "P2419H"]],
    ["iiyama", ["ProLite XU2493HS"]],
    ["HP", ["E24 G5"]],
  ],
  smartcard_reader: [
    ["Omnikey", ["3121"]],
    ["Identiv", ["SCR3310"]],
  ],
  printer: [
    ["HP", ["LaserJet Pro M404dn", "LaserJet Enterprise M507"]],
    ["Brother", ["HL-L6400DW"]],
    ["Kyocera", ["ECOSYS P3145dn"]],
  ],
  scanner: [
    ["Fujitsu", ["fi-7160", "fi-8170"]],
    ["Canon", ["DR-C225 II"]],
  ],
  network_switch: [
    ["Cisco", ["Catalyst 1000-24P", "Catalyst 2960-X"]],
    ["HPE Aruba", ["2530-24G"]],
  ],
  firewall: [
    ["Fortinet", ["FortiGate 60F", "FortiGate 40F"]],
    ["Cisco", ["Meraki MX68"]],
  ],
  wifi_access_point: [
    ["Cisco", ["Meraki MR36"]],
    ["HPE Aruba", ["AP-505"]],
  ],
  server: [
    ["Dell", ["PowerEdge T340"]],
    ["HP", ["ProLiant ML350 Gen10"]],
  ],
  phone_handset: [
    ["Yealink", ["T54W", "T43U"]],
    ["Poly", ["VVX 450"]],
  ],
};

function windowsFor(rand: Random, purchase: string, type: string) {
  const year = Number(purchase.slice(0, 4));
  if (type === "server")
    return { os_family: "Windows Server", os_edition: "Standard", os_version: year < 2020 ? "2016" : "2019", os_build: null };
  // Older kit is more likely still on Windows 10; most has moved to Windows 11 Enterprise.
  const win10Share = year <= 2018 ? 0.55 : year <= 2020 ? 0.25 : 0.06;
  if (rand.chance(0.02)) return { os_family: "Windows 10", os_edition: "Enterprise LTSC 2019", os_version: "1809", os_build: "17763" };
  if (rand.chance(win10Share))
    return { os_family: "Windows 10", os_edition: rand.pick(["Pro", "Enterprise"]), os_version: "22H2", os_build: "19045" };
  const v = rand.weighted([
    ["23H2", 1],
    ["24H2", 9],
  ] as const);
  return { os_family: "Windows 11", os_edition: "Enterprise", os_version: v, os_build: v === "23H2" ? "22631" : "26100" };
}

function makeDevice(rand: Random, ods: string, type: string, n: number, site: string, patchReference: string): Insertable<DeviceTable> {
  const [make, models] = rand.pick(MAKES[type] ?? [["Generic", ["Unknown"]]]);
  const ageDays = type === "phone_handset" ? rand.int(200, 1400) : rand.int(60, 9 * 365);
  const purchase = addDays(REFERENCE_DATE, -ageDays);
  const runsOs = ["desktop", "laptop", "server"].includes(type);
  const os = runsOs ? windowsFor(rand, purchase, type) : { os_family: null, os_edition: null, os_version: null, os_build: null };
  const year = Number(purchase.slice(0, 4));
  const modernCpu = year >= 2019 || (year === 2018 && rand.chance(0.5));
  return {
    practice_code: ods,
    site_code: site,
    asset_tag: `${ods}-${type === "phone_handset" ? "PH" : type.slice(0, 2).toUpperCase()}${String(n).padStart(4, "0")}`,
    serial_number: `${make.slice(0, 2).toUpperCase()}${(hashString(`${ods}${type}${n}`) % 1e8).toString(36).toUpperCase().padStart(6, "0")}`,
    device_type: type,
    make,
    model: rand.pick(models),
    status: rand.weighted([
      ["in_use", 92],
      ["spare", 5],
      ["in_repair", 3],
    ] as const),
    ...os,
    purchase_date: purchase,
    warranty_end: addYears(purchase, rand.pick([3, 3, 5])),
    funded_by: type === "printer" || type === "phone_handset" ? "practice" : rand.chance(0.93) ? "icb" : "practice",
    managed: runsOs ? rand.chance(0.97) : null,
    encrypted: runsOs ? rand.chance(type === "laptop" ? 0.97 : 0.9) : null,
    antivirus_up_to_date: runsOs ? rand.chance(0.94) : null,
    // Most computers patched within the last fortnight, some well behind.
    last_patched: runsOs ? addDays(patchReference, -(rand.chance(0.85) ? rand.int(1, 12) : rand.int(15, 120))) : null,
    tpm_version: runsOs ? (modernCpu ? "2.0" : rand.pick(["1.2", "2.0", "none"] as const)) : null,
    cpu_model: runsOs
      ? modernCpu
        ? rand.pick(["Intel Core i5-10500", "Intel Core i5-1145G7", "Intel Core i7-1265U", "Intel Core i5-12500"])
        : rand.pick(["Intel Core i5-6500", "Intel Core i3-7100", "Intel Core i5-7500"])
      : null,
    cpu_generation: runsOs ? (modernCpu ? rand.int(10, 13) : rand.int(6, 7)) : null,
    ram_gb: runsOs ? rand.pick([8, 8, 16, 16, 32]) : null,
    // About 30% of Windows 10 22H2 machines bought ESU; half of those renewed for year 2 (chosen by
    // the serial's hash, so the random stream, and every other seeded fact, stays as it was).
    esu_years:
      os.os_family === "Windows 10" && os.os_version === "22H2"
        ? rand.chance(0.3)
          ? hashString(`${ods}${type}${n}esu`) % 2 === 0
            ? 2
            : 1
          : 0
        : null,
    disposed_date: null,
    notes: DEMO_NOTE,
  };
}

/**
 * How many devices to generate relative to the demo: 1 (the default) gives about one member of
 * staff per 400 patients and the kit they use, about 120 devices for a typical North East London
 * practice. The national dataset uses a smaller scale (see NATIONAL_DEVICE_SCALE) so that all of
 * England comes to a few hundred thousand devices; per-site network kit is not scaled.
 */
export interface GeneratorOptions {
  deviceScale?: number;
  /**
   * The day patch dates count back from (default REFERENCE_DATE). Patching is a rolling
   * activity, so seeds pass the day they run: counted from a fixed day, every computer would look
   * unpatched a fortnight later.
   */
  patchReference?: string;
}

function devicesFor(rand: Random, p: PracticeSeedInput, scale: number, patchReference: string) {
  const list = p.list_size ?? 7000;
  const staff = Math.max(Math.max(1, Math.round(6 * scale)), Math.round((list / 400) * scale));
  const counts: Record<string, number> = {
    desktop: staff,
    laptop: Math.max(2, Math.round(staff * 0.3)),
    monitor: staff + Math.round(staff * 0.4),
    smartcard_reader: staff + 2,
    printer: Math.max(2, Math.round(staff / 6)),
    scanner: Math.max(1, Math.round(staff / 12)),
    network_switch: p.sites.length,
    firewall: p.sites.length,
    wifi_access_point: p.sites.length * 2,
    server: rand.chance(0.3) ? 1 : 0,
    phone_handset: staff,
  };
  const siteCodes = p.sites.map((s) => s.code);
  const devices: Insertable<DeviceTable>[] = [];
  let n = 1;
  for (const [type, count] of Object.entries(counts)) {
    for (let i = 0; i < count; i++) {
      // Most kit sits at the main site; branches get a share, network kit one per site.
      const site = ["network_switch", "firewall"].includes(type)
        ? siteCodes[i % siteCodes.length]
        : rand.chance(0.8)
          ? siteCodes[0]
          : rand.pick(siteCodes);
      devices.push(makeDevice(rand, p.ods_code, type, n++, site, patchReference));
    }
  }
  return devices;
}

function telephonyFor(rand: Random, p: PracticeSeedInput): Insertable<TelephonySystemTable>[] {
  const type = rand.weighted([
    ["cloud", 80],
    ["on_premises_digital", 10],
    ["analogue", 7],
    ["isdn", 3],
  ] as const);
  const modern = type === "cloud";
  const start = addDays(REFERENCE_DATE, -rand.int(100, 5 * 365));
  const feature = (p1: number) => (modern ? rand.chance(p1) : rand.chance(0.15));
  const supplier = modern
    ? rand.pick(["X-on (Surgery Connect)", "Redcentric", "Daisy Communications", "Premier Choice Healthcare", "Babblevoice", "Connexin"])
    : rand.pick(["BT", "Local PBX maintainer", "Virgin Media Business"]);
  return [
    {
      practice_code: p.ods_code,
      is_current: true,
      system_type: type,
      supplier,
      product: modern ? "Cloud-based telephony" : type === "on_premises_digital" ? "On-premises IP PBX" : "PSTN lines",
      on_bpf: modern ? rand.chance(0.85) : false,
      contract_start: start,
      contract_end: addYears(start, rand.pick([3, 5])),
      lines: modern ? null : rand.int(2, 8),
      concurrent_calls: modern ? rand.int(10, 40) : rand.int(2, 8),
      call_queuing: feature(0.97),
      queue_position_message: feature(0.9),
      call_back: feature(0.85),
      ivr_routing: feature(0.95),
      clinical_system_integration: feature(0.7),
      realtime_reporting: feature(0.9),
      historic_reporting: feature(0.92),
      remote_agents: feature(0.8),
      multi_site: p.sites.length > 1 ? feature(0.8) : null,
      call_recording: rand.chance(0.8),
      cbt_data_sharing: modern ? rand.chance(0.88) : null,
      main_number: `020 ${rand.int(7000, 8999)} ${rand.int(1000, 9999)}`,
      ended_on: null,
      notes: DEMO_NOTE,
    },
  ];
}

function siteFactsFor(rand: Random, p: PracticeSeedInput, analogue: boolean): SiteFacts[] {
  const list = p.list_size ?? 7000;
  return p.sites.map((s) => {
    const main = s.kind === "main";
    const hscn = main ? rand.chance(0.98) : rand.chance(0.85);
    return {
      code: s.code,
      hscn_connected: hscn,
      hscn_circuit_id: hscn ? `HSCN-${(hashString(s.code) % 1e6).toString().padStart(6, "0")}` : null,
      bandwidth_mbps: main ? rand.pick([80, 100, 100, 200, 500, 1000]) : rand.pick([20, 40, 80, 100]),
      resilient_line: main ? rand.chance(0.6) : rand.chance(0.2),
      wifi_staff: rand.chance(0.95),
      wifi_patient: rand.chance(main ? 0.9 : 0.7),
      comms_room_ok: rand.chance(0.75),
      ups_present: rand.chance(0.6),
      // Lloyd George storage: roughly 0.14 m² per 1,000 records in dense racking, more on open shelving.
      records_storage_m2: main ? Math.round((list / 1000) * rand.pick([0.14, 0.3, 0.6]) * 10) / 10 : rand.chance(0.5) ? 0 : null,
      ownership: rand.weighted([
        ["owned", 35],
        ["leased", 35],
        ["nhs_property_services", 20],
        ["community_health_partnerships", 10],
      ] as const),
      analogue_lines: analogue
        ? rand.int(2, 6)
        : rand.weighted([
            [0, 70],
            [1, 20],
            [2, 10],
          ] as const),
    };
  });
}

const SCANNING_SUPPLIERS = ["Digitise Health Ltd (demo)", "Scan4Care Ltd (demo)", "Records Digital Services (demo)"];

/** Months of paper activity generated: January of the year before the reference date up to the month before it. */
export function paperMonths(reference = REFERENCE_DATE): string[] {
  const end = Number(reference.slice(0, 4)) * 12 + Number(reference.slice(5, 7)) - 2;
  const out: string[] = [];
  for (let t = (Number(reference.slice(0, 4)) - 1) * 12; t <= end; t++)
    out.push(`${Math.floor(t / 12)}-${String((t % 12) + 1).padStart(2, "0")}`);
  return out;
}
const lastDayOf = (ym: string) =>
  `${ym}-${String(new Date(Date.UTC(Number(ym.slice(0, 4)), Number(ym.slice(5, 7)), 0)).getUTCDate()).padStart(2, "0")}`;

/**
 * Lloyd George records and monthly paper activity. Envelopes are 70-100% of the list size; some
 * practices are fully digitised, some part way, most not started. About one practice in three
 * misses some months, and a few record nothing. A stream of its own, so the rest of the estate
 * is the same as before paper was added.
 */
export function generatePracticePaper(p: PracticeSeedInput, seed = 20261121) {
  return paperFor(p, seed);
}

function paperFor(
  p: PracticeSeedInput,
  seed: number,
): { lloydGeorge: Insertable<LloydGeorgeRecordTable>; paperActivity: Insertable<PaperActivityTable>[] } {
  const rand = createRandom(seed ^ hashString(`${p.ods_code}:paper`));
  const list = p.list_size ?? 7000;
  const records = Math.round(list * (0.7 + rand.next() * 0.3));
  const stage = rand.weighted([
    ["done", 15],
    ["part", 35],
    ["none", 50],
  ] as const);
  const digitised = stage === "done" ? records : stage === "part" ? Math.round(records * (0.1 + rand.next() * 0.8)) : 0;
  const destroyed =
    stage === "done" ? (rand.chance(0.8) ? records : Math.round(records * 0.6)) : Math.round(digitised * rand.pick([0, 0, 0.5, 1]));
  const held = records - destroyed;
  const elsewhere = held > 0 && rand.chance(0.2) ? Math.round(held * (0.2 + rand.next() * 0.4)) : 0;
  const contracted = stage !== "none" || rand.chance(0.1);
  const start = `${rand.pick([2022, 2023, 2024, 2025])}-${String(rand.int(1, 12)).padStart(2, "0")}-01`;
  const lloydGeorge: Insertable<LloydGeorgeRecordTable> = {
    practice_code: p.ods_code,
    envelopes_on_site: held - elsewhere,
    envelopes_elsewhere: elsewhere,
    digitised,
    destroyed,
    new_envelopes_since_2021: rand.weighted([
      [0, 90],
      [rand.int(1, 20), 5],
      [null, 5],
    ] as const),
    supplier: contracted ? rand.pick(SCANNING_SUPPLIERS) : null,
    supplier_approved: contracted ? rand.chance(0.9) : null,
    contract_start: contracted ? start : null,
    contract_end: contracted ? `${Number(start.slice(0, 4)) + rand.pick([2, 3, 5])}${start.slice(4)}` : null,
    destruction_approved_on: destroyed > 0 ? `${rand.pick([2024, 2025])}-${String(rand.int(1, 12)).padStart(2, "0")}-15` : null,
    notes: DEMO_NOTE,
  };

  const months = paperMonths();
  const pattern = rand.weighted([
    ["complete", 65],
    ["gaps", 22],
    ["recent", 10],
    ["nothing", 3],
  ] as const);
  const gaps = new Set(pattern === "gaps" ? Array.from({ length: rand.int(1, 3) }, () => rand.pick(months)) : []);
  const from = pattern === "recent" ? months.length - rand.int(6, 12) : 0;
  const recycled = rand.weighted([
    [100, 40],
    [0, 30],
    [50, 15],
    [75, 10],
    [25, 5],
  ] as const);
  const sheets = list * (0.8 + rand.next() * 1.7);
  const letters = list * (0.02 + rand.next() * 0.1);
  const sms = list * (0.1 + rand.next() * 0.4);
  const app = list * (0.02 + rand.next() * 0.18);
  const email = list * rand.next() * 0.05;
  const noisy = (v: number, i: number, trend = 0) => Math.max(0, Math.round(v * (1 + trend * i) * (0.85 + rand.next() * 0.3)));
  const paperActivity: Insertable<PaperActivityTable>[] =
    pattern === "nothing"
      ? []
      : months.flatMap((ym, i) => {
          if (i < from || gaps.has(ym)) return [];
          const blankShare = rand.chance(0.03);
          return [
            {
              practice_code: p.ods_code,
              site_code: null,
              period_start: `${ym}-01`,
              period_end: lastDayOf(ym),
              sheets_printed: noisy(sheets, i, -0.005),
              recycled_share_pct: blankShare ? null : recycled,
              letters_posted: noisy(letters, i, -0.01),
              sms_sent: noisy(sms, i, 0.005),
              nhs_app_messages: noisy(app, i, 0.03),
              emails_sent: noisy(email, i),
              notes: DEMO_NOTE,
            },
          ];
        });
  return { lloydGeorge, paperActivity };
}

export function generatePracticeEstate(p: PracticeSeedInput, seed = 20261121, opts: GeneratorOptions = {}): GeneratedEstate {
  const scale = opts.deviceScale ?? 1;
  if (!(scale > 0 && scale <= 10)) throw new Error(`deviceScale must be above 0 and at most 10, not ${scale}`);
  const rand = createRandom(seed ^ hashString(p.ods_code));
  const sites = p.sites.length ? p : { ...p, sites: [{ code: p.ods_code, kind: "main" as const }] };
  const telephony = telephonyFor(rand, sites);
  const analogue = telephony[0].system_type === "analogue" || telephony[0].system_type === "isdn";
  const devices = devicesFor(rand, sites, scale, opts.patchReference ?? REFERENCE_DATE);
  const siteFacts = siteFactsFor(rand, sites, analogue);
  const services = servicesFor(rand, sites);
  const paper = paperFor(sites, seed);
  // Every envelope destroyed: no floor space is used for paper records any more.
  if (paper.lloydGeorge.envelopes_on_site === 0) for (const f of siteFacts) f.records_storage_m2 = 0;
  return { devices, telephony, siteFacts, services, ...paper };
}
