import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { applyMapping, autoMap, mappingProblems, normaliseHeader, targetForHeader, toSavedMapping } from "~/modules/devices/import/map";
import { parseUpload, sniffDelimiter, UnreadableFileError } from "~/modules/devices/import/parse.server";

const bytes = (s: string) => new TextEncoder().encode(s);

describe("reading CSV files", () => {
  it("reads a UTF-8 BOM, semicolons, quoted separators and quoted line breaks, numbering rows as Excel does", async () => {
    const csv =
      "\uFEFFAsset Tag;Serial;Notes\r\n" + // row 1
      'A1;S1;"Dell; refurbished, 2nd hand"\r\n' + // row 2
      "\r\n" + // row 3: blank, skipped
      'A2;S2;"first line\r\nsecond line"\r\n' + // row 4 (one record over two lines)
      ";;\r\n" + // row 5: only separators, skipped
      "A3;S3;plain\r\n"; // row 6
    const t = await parseUpload(bytes(csv));
    expect(t.format).toBe("csv");
    expect(t.delimiter).toBe(";");
    expect(t.headers).toEqual(["Asset Tag", "Serial", "Notes"]);
    expect(t.rows).toEqual([
      { row: 2, cells: ["A1", "S1", "Dell; refurbished, 2nd hand"] },
      { row: 4, cells: ["A2", "S2", "first line\r\nsecond line"] },
      { row: 6, cells: ["A3", "S3", "plain"] },
    ]);
  });

  it("reads commas with quoted commas, and mixed line endings", async () => {
    const t = await parseUpload(bytes('a,b\n"x, y",2\r\n3,"4"\n'));
    expect(t.delimiter).toBe(",");
    expect(t.rows.map((r) => r.cells)).toEqual([
      ["x, y", "2"],
      ["3", "4"],
    ]);
  });

  it("sniffs the separator from the header line only, ignoring separators inside quotes", () => {
    expect(sniffDelimiter('"Make, model";Serial;Type\nA,B,C,D,E,F')).toBe(";");
    expect(sniffDelimiter("Asset\tSerial\tType\n")).toBe("\t");
    expect(sniffDelimiter("Asset tag\n")).toBe(",");
  });

  it("reads tab-separated text", async () => {
    const t = await parseUpload(bytes("Asset Tag\tType\nA1\tLaptop\n"));
    expect(t.rows[0].cells).toEqual(["A1", "Laptop"]);
  });

  it("reads Windows-1252 text that is not valid UTF-8", async () => {
    const t = await parseUpload(new Uint8Array([0x4e, 0x6f, 0x74, 0x65, 0x73, 0x0a, 0x43, 0x61, 0x66, 0xe9, 0x20, 0xa3, 0x35, 0x0a]));
    expect(t.rows[0].cells).toEqual(["Café £5"]);
  });

  it("skips blank lines before the header and keeps row numbers", async () => {
    const t = await parseUpload(bytes("\n\nAsset tag,Type\nA1,desktop\n"));
    expect(t.headers).toEqual(["Asset tag", "Type"]);
    expect(t.rows).toEqual([{ row: 4, cells: ["A1", "desktop"] }]);
  });

  it("refuses files it cannot read, saying why", async () => {
    await expect(parseUpload(bytes(""))).rejects.toThrow("The file is empty.");
    await expect(parseUpload(bytes('Asset tag,Notes\nA1,"never closed\nA2,x\n'))).rejects.toThrow(/quoted value is never closed/);
    await expect(parseUpload(new Uint8Array([0xd0, 0xcf, 0x11, 0xe0, 0, 0]))).rejects.toThrow(/old Excel .xls/);
    await expect(parseUpload(new Uint8Array([0x50, 0x4b, 0x03, 0x04, 1, 2, 3]))).rejects.toBeInstanceOf(UnreadableFileError);
    await expect(parseUpload(bytes("\n\n"))).rejects.toThrow(/no header row/);
  });
});

describe("reading XLSX workbooks", () => {
  it("reads the first sheet by content, with dates, numbers, booleans, rich text and formulas as text", async () => {
    const wb = new ExcelJS.Workbook();
    const sheet = wb.addWorksheet("Devices");
    wb.addWorksheet("Other").addRow(["ignored"]);
    sheet.addRow(["Asset No", "Purchase Date", "RAM (GB)", "Encrypted", "Model", "Total"]);
    sheet.addRow([
      "A1",
      new Date(Date.UTC(2024, 2, 31)),
      16,
      true,
      { richText: [{ text: "Opti" }, { text: "Plex" }] },
      { formula: "1+1", result: 2 },
    ]);
    sheet.addRow([]);
    sheet.addRow(["A2", "31/03/2024", null, false, "X1", null]);
    const buf = new Uint8Array(await wb.xlsx.writeBuffer());
    const t = await parseUpload(buf);
    expect(t.format).toBe("xlsx");
    expect(t.headers).toEqual(["Asset No", "Purchase Date", "RAM (GB)", "Encrypted", "Model", "Total"]);
    expect(t.rows).toEqual([
      { row: 2, cells: ["A1", "2024-03-31", "16", "TRUE", "OptiPlex", "2"] },
      { row: 4, cells: ["A2", "31/03/2024", "", "FALSE", "X1"] }, // trailing empty cells are absent
    ]);
  });
});

describe("matching headers to device columns", () => {
  it("normalises headers", () => {
    expect(normaliseHeader(" RAM (GB) ")).toBe("ram gb");
    expect(normaliseHeader("Asset_Tag")).toBe("asset tag");
  });

  it.each([
    ["Asset Tag", "asset_tag"],
    ["Asset No", "asset_tag"],
    ["Serial", "serial_number"],
    ["Serial Number", "serial_number"],
    ["Device Type", "device_type"],
    ["Type", "device_type"],
    ["Manufacturer", "make"],
    ["Model", "model"],
    ["OS", "os_name"],
    ["Operating System", "os_name"],
    ["Purchase Date", "purchase_date"],
    ["Warranty Expiry", "warranty_end"],
    ["Practice", "practice_ods_code"],
    ["ODS", "practice_ods_code"],
    ["Practice Code", "practice_ods_code"],
    ["Site", "site_code"],
    ["Status", "status"],
    ["Last Patched", "last_patched"],
    ["TPM", "tpm_version"],
    ["RAM (GB)", "ram_gb"],
    ["CPU", "cpu_model"],
    ["BitLocker", "encrypted"],
    ["practice_ods_code", "practice_ods_code"],
    ["antivirus_up_to_date", "antivirus_up_to_date"],
    ["Memory (GB)", "ram_gb"],
  ])("%s → %s", (header, target) => {
    expect(targetForHeader(header)).toBe(target);
  });

  it("leaves unknown headers unmapped and uses each field once", () => {
    const m = autoMap(["Asset tag", "Colour", "Asset No"]);
    expect(m.map((x) => x.target)).toEqual(["asset_tag", null, null]);
  });

  it("prefers the uploader's remembered choice, including a choice not to import a column", () => {
    const saved = toSavedMapping([
      { header: "Kit ref", target: "asset_tag" },
      { header: "Type", target: null },
    ]);
    expect(autoMap(["Kit Ref", "Type", "Serial"], saved).map((x) => x.target)).toEqual(["asset_tag", null, "serial_number"]);
  });

  it("reports a mapping without an identifier, or with a field chosen twice", () => {
    expect(mappingProblems([{ header: "Type", target: "device_type" }])).toEqual([
      "Choose the column that holds the asset tag or the serial number: devices are matched by them.",
    ]);
    expect(
      mappingProblems([
        { header: "A", target: "asset_tag" },
        { header: "B", target: "asset_tag" },
      ])[0],
    ).toMatch(/chosen for both "A" and "B"/);
  });

  it("applies a mapping to rows", () => {
    const recs = applyMapping(
      [{ row: 2, cells: ["A1", "ignored", "laptop"] }],
      [
        { header: "Tag", target: "asset_tag" },
        { header: "X", target: null },
        { header: "Type", target: "device_type" },
      ],
    );
    expect(recs).toEqual([{ row: 2, values: { asset_tag: "A1", device_type: "laptop" } }]);
  });
});
