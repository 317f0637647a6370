import { describe, expect, it, vi } from "vitest";
import { deviceRowParser, FIELD_MEMO_MAX, MEMO_VALUE_MAX_LENGTH } from "~/modules/devices/import/device-parse";
import { applyMapping, autoMap } from "~/modules/devices/import/map";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { validateRecords, type ExistingDevice, type ValidationContext } from "~/modules/devices/import/validate";
import { DEVICE_COLUMNS, DeviceInputSchema } from "~/modules/devices/schema";
import { indexLifecycle } from "~/modules/os-lifecycle/support";

/**
 * The import's memoised row parse (device-parse.ts) must give exactly what DeviceInputSchema gives,
 * for any row: compared here on generated messy rows, both parse by parse and as a whole Preview
 * against validateRecords with the plain schema.
 */

/** A small seeded generator, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const LONG = "x".repeat(1001);
const COMMON = ["", " ", "  \t ", "?", "n/a", LONG, "Unknown", "0", "-1", "=cmd", "'01", "yes", "no"];
const DATES = [
  "31/03/2024",
  "2024-03-31",
  "2024-03-31T10:00:00",
  "31.03.24",
  "31 Mar 2024",
  "29/02/2023",
  "29/02/2024",
  "31/04/2024",
  "2030-01-01",
  "1899-12-31",
  "2026-12-07",
  "01/01/2022",
  "01/01/2021",
  "13/13/2024",
  "2024-3-5",
  " 05/06/2027 ",
];
const POOLS: Record<string, string[]> = {
  practice_ods_code: ["F84003", "f84003", "F84013", "A81001", "ZZZ999", "", " F84003 "],
  asset_tag: ["PC-1", "PC-2", "PC-3", "pc-1", "", " PC-4 ", "T".repeat(51), "EX-1", "EX-2"],
  serial_number: ["SN1", "SN2", "sn1", "", "S".repeat(81), "EXSN-1"],
  device_type: ["Laptop", "Desktop PC", "desktop", "toaster", "Tablet", "Mobile phone", "", "Server", "Thin client"],
  make: ["Dell", "Lenovo", "", " HP "],
  // Too long to be remembered (MEMO_VALUE_MAX_LENGTH) but valid, and too long to be valid.
  model: ["OptiPlex 7090", "ThinkPad T14", "Latitude 5420", "iPad", `Model ${"x".repeat(100)}`, "M".repeat(121)],
  site_code: ["F84003", "FE123", "Branch Surgery", "nowhere", "", "S".repeat(13)],
  status: ["In use", "in_use", "Active", "Spare", "disposed", "Disposed", "lost", ""],
  os_family: ["Windows 10", "Windows 11", "windows 11", "Microsoft Windows 11 Pro", "macOS", "Plan 9", "", "iOS"],
  os_edition: ["Pro", "Professional", "Enterprise", "Home", "Ultimate", ""],
  os_version: ["22H2", "23H2", "10.0.19045.1234", "10.0.22631.2", "10.0.99999.1", "99Z9", "17.2", ""],
  os_build: ["19045.1234", "", "B".repeat(31)],
  funded_by: ["ICB", "Practice", "icb", "someone", ""],
  managed: ["Intune", "Co-managed", "ConfigMgr", "yes", "no", "maybe", ""],
  encrypted: ["Y", "N", "TRUE", "false", "1", "0", "perhaps", ""],
  antivirus_up_to_date: ["yes", "no", "?", "n/a", "sort of", ""],
  tpm_version: ["TPM 2.0", "2.0", "1.2", "none", "3.0", ""],
  cpu_model: ["Intel Core i5-8500", "", "C".repeat(121)],
  cpu_generation: ["8th Gen", "8", "12th generation", "0", "31", "eight", "1,2", ""],
  ram_gb: ["16 GB", "8", "4096", "4097", "1,024", "-2", "lots", ""],
  esu_years: ["0", "1", "2 years", "3", "4", "yes", "none", "Not enrolled", ""],
  device_name: ["DESKTOP-1", "LAPTOP-2", "", "D".repeat(81)],
  last_seen: ["2026-11-30 08:23:45.1234567", "2026-11-30T08:23:45Z", "30/11/2026", "2027-01-01", "", "yesterday"],
  ownership: ["Corporate", "Personal", "company", ""],
  compliance: ["Compliant", "Noncompliant", "In grace period", "ConfigMgr", "fine", ""],
  notes: ["Reception; desk 2", "", "N".repeat(1001), "line\u0000with NUL"],
  os_name: ["Microsoft Windows 10 Pro 10.0.19045", "Microsoft Windows 11 Enterprise 10.0.22631", "Windows", "iOS", "macOS 14.1", ""],
};
for (const f of ["purchase_date", "warranty_end", "last_patched", "patch_released", "disposed_date"]) POOLS[f] = DATES;

/** Values that pass, so that some rows are written (a field not named here is left blank in a clean row). */
const GOOD: Record<string, string[]> = {
  practice_ods_code: ["F84003", "F84013"],
  asset_tag: ["PC-1", "PC-2", "PC-3", "EX-1", "EX-2", "PC-5", "PC-6", "PC-7", "PC-8"],
  device_type: ["Laptop", "Desktop PC"],
  make: ["Dell", "Lenovo"],
  status: ["In use", "Spare"],
  os_name: ["Microsoft Windows 10 Pro 10.0.19045", "Microsoft Windows 11 Enterprise 10.0.22631"],
  purchase_date: ["31/03/2024", "01/01/2022"],
  warranty_end: ["05/06/2027", "01/01/2025"],
  encrypted: ["Y", "N"],
  ram_gb: ["16 GB", "8"],
};

function pickValue(rand: () => number, column: string, clean: boolean) {
  if (clean && rand() < 0.95) {
    const good = GOOD[column] ?? [""];
    return good[Math.floor(rand() * good.length)];
  }
  return pick(rand, POOLS[column]);
}

function pick(rand: () => number, pool: string[]) {
  const all = rand() < 0.15 ? COMMON : pool;
  return all[Math.floor(rand() * all.length)];
}

const csvCell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

/** A file with a random choice of columns (some left out, so absent fields are tried too) and messy rows. */
function messyFile(rand: () => number, rows: number) {
  const columns = [...DEVICE_COLUMNS, "os_name"].filter((c) => c === "asset_tag" || rand() < 0.75);
  const header = columns.map((c) => (c === "os_name" ? "Operating System" : c));
  const lines = [header.join(",")];
  for (let i = 0; i < rows; i++) {
    const clean = rand() < 0.5;
    const cells = columns.map((c) => csvCell(pickValue(rand, c, clean)));
    lines.push(cells.join(","));
  }
  return lines.join("\n") + "\n";
}

function existing(id: number, over: Partial<ExistingDevice>): ExistingDevice {
  const blank = Object.fromEntries(DEVICE_COLUMNS.filter((c) => c !== "practice_ods_code").map((c) => [c, null]));
  return { ...blank, id, version: 1, practice_code: "F84003", device_type: "desktop", status: "in_use", ...over } as ExistingDevice;
}

const DEVICES = [
  existing(1, { asset_tag: "EX-1", serial_number: "EXSN-1", make: "Dell", os_family: "Windows 10", os_edition: "Enterprise" }),
  existing(2, { asset_tag: "EX-2", status: "disposed", disposed_date: "2024-01-01", purchase_date: "2020-01-01" }),
  existing(3, { asset_tag: "PC-1", practice_code: "F84013", device_type: "laptop", warranty_end: "2020-01-01" }),
];

function context(over: Partial<ValidationContext>): Omit<ValidationContext, "mapping"> {
  return {
    scope: { all: false, icbCodes: ["QMF"], practiceCodes: [] },
    fixedPractice: null,
    practices: new Map([
      ["F84003", { ods_code: "F84003", icb_code: "QMF" }],
      ["F84013", { ods_code: "F84013", icb_code: "QMF" }],
      ["A81001", { ods_code: "A81001", icb_code: "QHM" }],
    ]),
    sites: new Map([
      [
        "F84003",
        [
          { code: "F84003", name: "Lower Clapton Group Practice" },
          { code: "FE123", name: "Branch Surgery" },
        ],
      ],
      ["F84013", [{ code: "F84013", name: "Only Site" }]],
    ]),
    devices: DEVICES,
    lifecycle: indexLifecycle([
      {
        family: "Windows 10",
        edition: "Home/Pro/Enterprise/Education",
        version: "22H2",
        end_of_support: "2025-10-14",
        extended_end: "2028-10-10",
      },
    ]),
    asOf: "2026-12-06",
    editionDefaults: new Map([["QMF", "Enterprise"]]),
    ...over,
  };
}

/** validateRecords as it was: every row through DeviceInputSchema.safeParse. */
async function plainValidateRecords(): Promise<typeof validateRecords> {
  vi.resetModules();
  vi.doMock("~/modules/devices/import/device-parse", () => ({
    deviceRowParser: () => (input: Record<string, unknown>) => DeviceInputSchema.safeParse(input),
  }));
  const mod = await import("~/modules/devices/import/validate");
  vi.doUnmock("~/modules/devices/import/device-parse");
  vi.resetModules();
  return mod.validateRecords;
}

describe("the import's memoised row parse", () => {
  it("gives DeviceInputSchema's result for every generated row, absent fields and non-strings included", () => {
    const rand = random(12);
    const parse = deviceRowParser();
    const keys = Object.keys(POOLS).filter((k) => k !== "practice_ods_code" && k !== "os_name");
    // The schema sees values after the importer's own normalising ("Laptop" → laptop).
    const ready: Record<string, string[]> = { device_type: ["laptop", "desktop"], status: ["in_use", "spare"] };
    let written = 0;
    for (let i = 0; i < 10_000; i++) {
      const input: Record<string, unknown> = {};
      const clean = rand() < 0.6;
      for (const k of keys) {
        const r = rand();
        if (r < (clean ? 0.03 : 0.2) && !(clean && k in ready)) continue; // absent
        if (r < (clean ? 0.035 : 0.22)) input[k] = rand() < 0.5 ? undefined : 7;
        else if (clean && k in ready) input[k] = ready[k][Math.floor(rand() * 2)];
        else input[k] = pickValue(rand, k, clean);
      }
      // A cap's worth of distinct values in one column: the memo fills, then rows are parsed as they come.
      if (i % 3 === 0) input.make = `Make ${i}`;
      const got = parse(input);
      const want = DeviceInputSchema.safeParse(input);
      expect(got.success).toBe(want.success);
      if (want.success && got.success) {
        expect(got.data).toStrictEqual(want.data);
        written++;
      }
      if (!want.success && !got.success) expect(got.error.issues).toStrictEqual(want.error.issues);
    }
    expect(FIELD_MEMO_MAX).toBeLessThan(10_000 / 3);
    expect(MEMO_VALUE_MAX_LENGTH).toBeLessThan(106);
    expect(written).toBeGreaterThan(1_000);
  });

  it("gives the same Preview as the plain schema for generated messy files", async () => {
    const plain = await plainValidateRecords();
    const rand = random(2026);
    for (let file = 0; file < 24; file++) {
      const table = parseCsvText(messyFile(rand, 300));
      const mapping = autoMap(table.headers);
      const records = applyMapping(table.rows, mapping);
      const over: Partial<ValidationContext> =
        file % 4 === 1 ? { fixedPractice: "F84003", replace: true } : file % 4 === 2 ? { scope: { all: true } } : {};
      const ctx = { mapping, ...context(over) };
      const want = plain(records, ctx);
      const got = validateRecords(records, ctx);
      expect(got).toStrictEqual(want);
      // The files are messy enough to reach both sides: rows written and rows refused.
      if (file === 0) expect(want.counts.rejected > 0 && want.valid.length > 0).toBe(true);
    }
  });
});
