import { describe, expect, it } from "vitest";
import { defaultExpiry, mapHeaders, parseLevel, validateRows } from "~/modules/cyber-essentials/parse";

const HEAD = ["ODS code", "Organisation name", "Level", "Certificate number", "Certification body", "Issue date", "Expiry date"];
const table = (...rows: string[][]) => ({ headers: HEAD, rows: rows.map((cells, i) => ({ row: i + 2, cells })) });
const TODAY = "2026-12-04";

describe("Cyber Essentials certificate file", () => {
  it("finds columns by their usual names, exact names first", () => {
    expect(mapHeaders(HEAD)).toEqual({ map: { code: 0, name: 1, level: 2, number: 3, body: 4, issued: 5, expires: 6 }, missing: [] });
    // "Certificate" alone is the number column; "Postcode" is never the code.
    expect(mapHeaders(["Postcode", "Practice code", "Certificate", "Scheme", "Date certified"]).map).toEqual({
      code: 1,
      number: 2,
      level: 3,
      issued: 4,
    });
    expect(mapHeaders(["Code", "Name"]).missing).toEqual(["level", "number", "issued"]);
  });

  it("reads the two levels however they are written", () => {
    for (const v of ["Cyber Essentials Plus", "cyber essentials+", "CE+", "CE Plus", "Plus"]) expect(parseLevel(v)).toBe("ce_plus");
    for (const v of ["Cyber Essentials", "CE", "basic", "Cyber Essentials Basic"]) expect(parseLevel(v)).toBe("ce");
    for (const v of ["", "IASME Gold", "ISO 27001"]) expect(parseLevel(v)).toBeNull();
  });

  it("takes 12 months from issue when no expiry is given (IASME), 29 February to 28 February", () => {
    expect(defaultExpiry("2026-03-14")).toBe("2027-03-14");
    expect(defaultExpiry("2028-02-29")).toBe("2029-02-28");
    const { rows, issues } = validateRows(table(["f84003", "LOWER CLAPTON", "CE+", "IASME-CEP-001", "IASME", "14/03/2026", ""]), TODAY);
    expect(issues).toEqual([]);
    expect(rows).toEqual([
      {
        row: 2,
        practiceCode: "F84003",
        name: "LOWER CLAPTON",
        level: "ce_plus",
        certificateNumber: "IASME-CEP-001",
        body: "IASME",
        issuedOn: "2026-03-14",
        expiresOn: "2027-03-14",
      },
    ]);
  });

  it("names each problem with its row and column, and keeps the good rows", () => {
    const { rows, issues } = validateRows(
      table(
        ["F84003", "", "Cyber Essentials", "CE-1", "", "01/05/2026", "30/04/2027"],
        ["X", "", "Gold", "", "", "31/02/2026", ""],
        ["F84013", "", "CE", "CE 2", "", "05/12/2026", ""],
        ["F84013", "", "CE", "CE-3", "", "01/01/2026", "01/01/2026"],
        ["F84013", "", "CE", "CE-4", "", "01/01/2026", "02/01/2027"],
        ["F84013", "", "CE", "CE<5>", "", "banana", "soon"],
      ),
      TODAY,
    );
    expect(rows.map((r) => r.certificateNumber)).toEqual(["CE-1"]);
    expect(rows[0].expiresOn).toBe("2027-04-30");
    expect(issues).toEqual([
      { row: 3, column: "ODS code", message: expect.stringContaining("ODS code of letters and digits") },
      { row: 3, column: "Level", message: expect.stringContaining('"Gold" is not a level') },
      { row: 3, column: "Certificate number", message: "Enter the certificate number" },
      { row: 3, column: "Issue date", message: expect.stringContaining('"31/02/2026" is not a date') },
      { row: 4, column: "Issue date", message: "The issue date 05/12/2026 is in the future" },
      { row: 5, column: "Expiry date", message: "The expiry date must be after the issue date" },
      { row: 6, column: "Expiry date", message: expect.stringContaining("valid for 12 months from issue") },
      { row: 7, column: "Certificate number", message: expect.stringContaining("letters, digits") },
      { row: 7, column: "Issue date", message: expect.stringContaining('"banana" is not a date') },
      { row: 7, column: "Expiry date", message: expect.stringContaining('"soon" is not a date') },
    ]);
  });
});
