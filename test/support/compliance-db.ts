import type { Insertable } from "kysely";
import type { Db } from "#db/connect";
import type { DeviceTable } from "#db/types";
import { syncLifecycleReference } from "~/modules/os-lifecycle/reference-sync.server";
import { LIFECYCLE } from "./compliance-estate";

/**
 * The OS lifecycle rows the compliance tests rely on: the reference file's rows (the sync also
 * refills a truncated PostgreSQL test database), then any fixture row the file lacks.
 */
export async function ensureLifecycle(db: Db) {
  await syncLifecycleReference(db);
  await db
    .insertInto("os_lifecycle")
    .values(
      LIFECYCLE.map((r) => ({
        ...r,
        esu_year_ends: JSON.stringify(r.esu_year_ends ?? []) as unknown as string[],
        build: null,
        release_date: null,
        source: "test",
        notes: null,
        reference_version: null,
      })),
    )
    .onConflict((oc) => oc.constraint("os_lifecycle_key").doNothing())
    .execute();
}

/** A main site for each practice, with healthy facts. */
export async function addMainSites(db: Db, codes: string[]) {
  await db
    .insertInto("site")
    .values(
      codes.map((code) => ({
        code,
        practice_code: code,
        kind: "main" as const,
        name: `${code} main surgery`,
        address: null,
        postcode: null,
        phone: null,
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
      })),
    )
    .execute();
}

let n = 0;
/** A Windows 11 desktop bought in 2024, in use, with every fact recorded. */
export function desktopRow(practice: string, over: Partial<Insertable<DeviceTable>> = {}): Insertable<DeviceTable> {
  n++;
  return {
    practice_code: practice,
    site_code: practice,
    asset_tag: `${practice}-T${n}`,
    serial_number: `${practice}-S${n}`,
    device_type: "desktop",
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
    last_patched: null,
    tpm_version: "2.0",
    cpu_generation: 12,
    ram_gb: 16,
    ...over,
  };
}

export async function addDevices(db: Db, rows: Insertable<DeviceTable>[]) {
  const ids: number[] = [];
  for (let i = 0; i < rows.length; i += 1000) {
    ids.push(
      ...(
        await db
          .insertInto("device")
          .values(rows.slice(i, i + 1000))
          .returning("id")
          .execute()
      ).map((r) => r.id),
    );
  }
  return ids;
}

/** F84003's current telephony: an analogue system from BT, not on the framework, without call-back, so the telephony rules find gaps. */
export async function addAnalogueTelephony(db: Db) {
  await db
    .insertInto("telephony_system")
    .values({
      practice_code: "F84003",
      system_type: "analogue",
      supplier: "BT",
      on_bpf: false,
      call_back: false,
      main_number: "020 7946 0001",
    })
    .execute();
}

/** An open PCN in QMF's sub-ICB location A3A8R, for tests that make their own. */
export const pcnRow = (code: string, name: string) => ({
  code,
  name,
  sub_icb_code: "A3A8R",
  open_date: "2019-07-01",
  close_date: null,
  address: null,
  postcode: null,
});

/** Extra open practices in ICB QMF (codes T00001…), each with a main site, a few devices and telephony. */
export async function addPractices(db: Db, count: number, prefix = "T") {
  const codes = Array.from({ length: count }, (_, i) => `${prefix}${String(i + 1).padStart(5, "0")}`);
  await db
    .insertInto("practice")
    .values(
      codes.map((ods_code) => ({
        ods_code,
        name: `Test practice ${ods_code}`,
        address: null,
        postcode: null,
        phone: null,
        status: "A",
        open_date: null,
        close_date: null,
        prescribing_setting: 4,
        country: "England",
        region_code: "Y56",
        icb_code: "QMF",
        sub_icb_code: "A3A8R",
        pcn_code: "U05451",
        clinical_system: "EMIS",
        clinical_system_detail: null,
        clinical_system_source: null,
        list_size: 6000,
        list_size_date: null,
      })),
    )
    .execute();
  await addMainSites(db, codes);
  await addDevices(
    db,
    codes.flatMap((c) => [desktopRow(c), desktopRow(c), desktopRow(c, { device_type: "laptop" })]),
  );
  await db
    .insertInto("telephony_system")
    .values(
      codes.map((c) => ({
        practice_code: c,
        system_type: "cloud" as const,
        supplier: "X-on",
        on_bpf: true,
        call_back: true,
        main_number: "020 7946 0000",
      })),
    )
    .execute();
  return codes;
}
