import { describe, expect, it } from "vitest";
import { applyMapping, autoMap } from "~/modules/devices/import/map";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { validateRecords, type ExistingDevice, type ValidationContext } from "~/modules/devices/import/validate";
import { indexLifecycle } from "~/modules/os-lifecycle/support";

const LIFECYCLE = indexLifecycle([
  {
    family: "Windows 10",
    edition: "Home/Pro/Enterprise/Education",
    version: "22H2",
    end_of_support: "2025-10-14",
    extended_end: "2028-10-10",
  },
  { family: "Windows 11", edition: "Enterprise/Education", version: "23H2", end_of_support: "2026-11-10", extended_end: null },
]);

const PRACTICES = new Map([
  ["F84003", { ods_code: "F84003", icb_code: "QMF" }],
  ["F84013", { ods_code: "F84013", icb_code: "QMF" }],
  ["A81001", { ods_code: "A81001", icb_code: "QHM" }],
]);

function existing(over: Partial<ExistingDevice>): ExistingDevice {
  return {
    id: 1,
    version: 1,
    practice_code: "F84003",
    asset_tag: null,
    serial_number: null,
    device_type: "desktop",
    make: null,
    model: null,
    site_code: null,
    status: "in_use",
    os_family: null,
    os_edition: null,
    os_version: null,
    os_build: null,
    purchase_date: null,
    warranty_end: null,
    funded_by: null,
    managed: null,
    encrypted: null,
    antivirus_up_to_date: null,
    last_patched: null,
    patch_released: null,
    tpm_version: null,
    cpu_model: null,
    cpu_generation: null,
    ram_gb: null,
    esu_years: null,
    disposed_date: null,
    notes: null,
    device_name: null,
    last_seen: null,
    ownership: null,
    compliance: null,
    ...over,
  };
}

function check(csv: string, over: Partial<ValidationContext> = {}) {
  const table = parseCsvText(csv);
  const mapping = over.mapping ?? autoMap(table.headers);
  return validateRecords(applyMapping(table.rows, mapping), {
    mapping,
    scope: { all: false, icbCodes: ["QMF"], practiceCodes: [] },
    fixedPractice: null,
    practices: PRACTICES,
    sites: new Map([
      [
        "F84003",
        [
          { code: "F84003", name: "Lower Clapton Group Practice" },
          { code: "FE123", name: "Branch Surgery" },
        ],
      ],
    ]),
    devices: [],
    lifecycle: LIFECYCLE,
    asOf: "2026-11-21",
    ...over,
  });
}

describe("checking import rows", () => {
  it("reads DD/MM/YYYY dates, Y/N/TRUE values, labels for choices and units", () => {
    const p = check(
      "Practice,Asset Tag,Type,Status,Purchase Date,Warranty Expiry,Encrypted,Managed,Antivirus,TPM,RAM (GB),Last Patched,CPU Generation\n" +
        "F84003,PC-1,Desktop PC,Active,31/03/2024,30/03/2029,Y,TRUE,n,TPM 2.0,16 GB,21/11/2026 09:13:00,8th Gen\n",
    );
    expect(p.issues).toEqual([]);
    expect(p.valid[0].data).toMatchObject({
      asset_tag: "PC-1",
      device_type: "desktop",
      status: "in_use",
      purchase_date: "2024-03-31",
      warranty_end: "2029-03-30",
      encrypted: true,
      managed: true,
      antivirus_up_to_date: false,
      tpm_version: "2.0",
      ram_gb: 16,
      last_patched: "2026-11-21",
      cpu_generation: 8,
    });
    expect(p.counts).toEqual({ create: 1, update: 0, unchanged: 0, rejected: 0 });
  });

  it("splits an operating system written in one column into family, edition, version and build", () => {
    const p = check("Practice,Asset Tag,Type,Operating System\nF84003,PC-1,laptop,Microsoft Windows 10 Pro 10.0.19045\n");
    expect(p.valid[0].data).toMatchObject({ os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", os_build: "19045" });
  });

  it("keeps separately mapped OS columns over the parsed full name", () => {
    const p = check(
      "Practice,Asset Tag,Type,Operating System,OS Version\nF84003,PC-1,laptop,Microsoft Windows 11 Enterprise 10.0.22631,24H2\n",
    );
    expect(p.valid[0].data).toMatchObject({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2", os_build: "22631" });
  });

  it("rejects the second occurrence of an asset tag or serial in the file, naming both rows", () => {
    const p = check(
      "Practice,Asset Tag,Serial,Type\n" +
        "F84003,PC-1,S1,desktop\n" + // 2
        "F84003,PC-2,S2,desktop\n" + // 3
        "F84003,pc-1,S3,desktop\n" + // 4: same tag, other case
        "F84003,PC-4,s2,desktop\n" + // 5: same serial
        "F84013,PC-1,S9,desktop\n", // 6: same tag at another practice is fine
    );
    expect(p.issues).toEqual([
      { row: 4, column: "Asset Tag", message: "Asset tag pc-1 appears more than once in this file (rows 2 and 4)" },
      { row: 5, column: "Serial", message: "Serial number s2 appears more than once in this file (rows 3 and 5)" },
    ]);
    expect(p.counts).toMatchObject({ create: 3, rejected: 2 });
  });

  it("gives one message, not two, for a repeated row of a stored device", () => {
    const p = check("Practice,Asset Tag,Type\nF84003,PC-1,desktop\nF84003,PC-1,desktop\n", {
      devices: [existing({ id: 10, asset_tag: "PC-1" })],
    });
    expect(p.issues).toEqual([
      { row: 3, column: "Asset Tag", message: "Asset tag PC-1 appears more than once in this file (rows 2 and 3)" },
    ]);
    expect(p.valid.map((v) => [v.row, v.action])).toEqual([[2, "unchanged"]]);
  });

  it("reports each problem with its row, the file's column name and a plain message", () => {
    const p = check(
      "ODS,Asset No,Device Type,Purchase Date,Encrypted,Site\n" +
        "F84003,A1,gizmo,31/02/2024,maybe,FE123\n" +
        "F84003,,laptop,,,\n" +
        ",A3,laptop,,,\n" +
        "ZZZ999,A4,laptop,,,\n" +
        "A81001,A5,laptop,,,\n" +
        "F84003,A6,laptop,,,Nowhere\n" +
        "F84003,A7,laptop,,,branch surgery\n",
    );
    expect(p.issues).toEqual([
      { row: 2, column: "Device Type", message: expect.stringMatching(/^Type "gizmo" is not recognised. Use one of: Desktop, Laptop/) },
      { row: 2, column: "Purchase Date", message: "Purchase date must be a real date, like 31/03/2024" },
      { row: 2, column: "Encrypted", message: "Encrypted must be yes, no or blank" },
      { row: 3, column: "Asset No", message: "Enter an asset tag or a serial number" },
      { row: 4, column: "ODS", message: "Enter the practice ODS code" },
      { row: 5, column: "ODS", message: "No practice has ODS code ZZZ999" },
      { row: 6, column: "ODS", message: "You cannot change devices for practice A81001" },
      { row: 7, column: "Site", message: "Site Nowhere is not one of practice F84003's sites (F84003, FE123)" },
    ]);
    // A site may be given by name; it is stored as its code.
    expect(p.valid.map((v) => [v.row, v.data.site_code])).toEqual([[8, "FE123"]]);
  });

  it("uses the practice the import started from, and refuses rows for another", () => {
    const p = check("Asset Tag,Type,Practice\nA1,laptop,\nA2,laptop,F84013\nA3,laptop,f84003\n", { fixedPractice: "F84003" });
    expect(p.valid.map((v) => [v.row, v.practice_code])).toEqual([
      [2, "F84003"],
      [4, "F84003"],
    ]);
    expect(p.issues).toEqual([
      { row: 3, column: "Practice", message: "This row is for practice F84013, but you are importing into practice F84003" },
    ]);
  });

  it("sorts rows into create, update and unchanged, matching by tag then serial, ignoring case", () => {
    const devices = [
      existing({ id: 10, asset_tag: "PC-1", serial_number: "S1", device_type: "laptop", make: "Dell" }),
      existing({ id: 11, asset_tag: null, serial_number: "S2", device_type: "desktop" }),
      existing({ id: 12, asset_tag: "PC-3", serial_number: "S3", device_type: "desktop" }),
      existing({ id: 13, asset_tag: "PC-4", serial_number: "S4", device_type: "desktop" }),
    ];
    const p = check(
      "Practice,Asset Tag,Serial,Type,Make\n" +
        "F84003,pc-1,S1,Laptop,Dell\n" + // unchanged (tag case differs only in the match, value is stored as typed)
        "F84003,PC-2,s2,desktop,HP\n" + // update by serial: gains a tag and a make
        "F84003,PC-9,S9,desktop,\n" + // create
        "F84003,PC-3,S4,desktop,\n", // tag matches 12, serial belongs to 13
      { devices },
    );
    expect(p.valid.map((v) => [v.row, v.action, v.existing?.id ?? null, v.changed])).toEqual([
      [2, "update", 10, ["asset_tag"]],
      [3, "update", 11, ["asset_tag", "serial_number", "make"]],
      [4, "create", null, []],
    ]);
    expect(p.issues).toEqual([
      { row: 5, column: "Serial", message: "Serial number S4 already belongs to another device at practice F84003 (asset tag PC-4)" },
    ]);
  });

  it("keeps stored values for columns the file does not have", () => {
    const devices = [existing({ id: 10, asset_tag: "PC-1", device_type: "laptop", status: "spare", make: "Dell", ram_gb: 8 })];
    const p = check("Practice,Asset Tag,Last Patched\nF84003,PC-1,01/11/2026\n", { devices });
    expect(p.valid[0]).toMatchObject({ action: "update", changed: ["last_patched"] });
    expect(p.valid[0].data).toMatchObject({ device_type: "laptop", status: "spare", make: "Dell", ram_gb: 8, last_patched: "2026-11-01" });
    expect(p.notes[0]).toMatch(/no status column/);
  });

  it("refuses two rows that are the same stored device", () => {
    const devices = [existing({ id: 10, asset_tag: "PC-1", serial_number: "S1" })];
    const p = check("Practice,Asset Tag,Serial,Type\nF84003,PC-1,,desktop\nF84003,PC-7,S1,desktop\n", { devices });
    expect(p.issues).toEqual([{ row: 3, column: "Asset Tag", message: "This row and row 2 are the same device. Keep one of them." }]);
  });

  it("warns, without refusing, about an ended warranty and an OS missing from the lifecycle table", () => {
    const p = check(
      "Practice,Asset Tag,Type,Warranty end,OS\nF84003,A1,laptop,01/01/2025,Windows 10 Enterprise 1607\nF84003,A2,laptop,01/01/2030,Windows 11 Enterprise 23H2\n",
    );
    expect(p.counts.rejected).toBe(0);
    expect(p.warnings).toEqual([
      { row: 2, column: "Warranty end", message: "Warranty ended on 1 January 2025" },
      { row: 2, column: "OS", message: "Windows 10 Enterprise 1607 is not in the OS lifecycle table, so its end of support is not known" },
    ]);
  });

  it("needs a type for a new device, and says how to add one", () => {
    const p = check("Practice,Asset Tag\nF84003,A1\n");
    expect(p.issues).toEqual([{ row: 2, column: "Type", message: "A new device needs a type: add a type column to the file" }]);
  });
});
