import { describe, expect, it } from "vitest";
import { finalSuccessor } from "~/modules/ods/apply/succession.server";
import { detectFile } from "~/modules/ods/detect";
import { icbSuccessionsCsv } from "~/modules/ods/icb-successions";
import { parseEpraccur } from "~/modules/ods/parsers/epraccur";
import { parseSuccessions } from "~/modules/ods/parsers/succ";
import { isStaleVintage, patientsWithVintage, vintageRange } from "~/utils/list-size";

const csv = (...lines: string[]) => Buffer.from(lines.join("\n") + "\n");
// A real epraccur row (shared/data/epraccur.csv) in the layout up to September 2026 ...
const OLD =
  '"F84003","LOWER CLAPTON GENERAL PRACTICE","Y56","QMF","THE PORTICO","34 LINSCOTT ROAD","LONDON","","","E5 0RD","19740401","","A","B","A3A8R","20210401","","020 89867111","","","","0","","A3A8R","","4",""';
// ... and the October 2026 layout: status word in column 13, role RO76 in column 26.
const NEW = OLD.replace('"A","B"', '"ACTIVE","B"').replace('"","4",""', '"","RO76",""');

describe("epraccur layouts", () => {
  it("reads the old (A/C/D/P, setting 4) and new (ACTIVE/INACTIVE/DORMANT, RO76) layouts to the same record", () => {
    const a = parseEpraccur(csv(OLD)).records[0];
    const b = parseEpraccur(csv(NEW)).records[0];
    expect({ ...b, line: 1 }).toEqual({ ...a, line: 1 });
    const inactive = parseEpraccur(csv(NEW.replace('"ACTIVE"', '"INACTIVE"'))).records[0];
    expect(inactive.status).toBe("C");
    expect(parseEpraccur(csv(NEW.replace('"ACTIVE"', '"DORMANT"'))).records[0].status).toBe("D");
  });

  it("skips other roles by name, and rejects a status or column 26 that is neither layout", () => {
    const r = parseEpraccur(
      csv(NEW.replace('"RO76"', '"RO177"'), OLD.replace('"A","B"', '"OPEN","B"'), OLD.replace('"","4",""', '"","X",""')),
    );
    expect(r.skipped).toEqual([{ reason: "not a GP practice (role RO177)", count: 1 }]);
    expect(r.rejected.map((x) => x.message)).toEqual([
      'column 13 (status) "OPEN" is not A, C, D or P (or ACTIVE, INACTIVE, DORMANT)',
      'column 26 (prescribing setting or role) "X" is neither a number nor an ODS role such as RO76',
    ]);
  });

  it("detects a new-layout file as epraccur", async () => {
    expect((await detectFile("epraccur.csv", csv(NEW))).kind).toBe("epraccur");
  });
});

describe("succ.csv", () => {
  it("reads old code, new code and the effective date, and is detected by its shape", async () => {
    const file = csv('"F84734","F84749","","20220401","0"', '"RNH","R1H","","20120401","1"');
    expect(parseSuccessions(file).records).toEqual([
      { line: 1, oldCode: "F84734", newCode: "F84749", effectiveDate: "2022-04-01" },
      { line: 2, oldCode: "RNH", newCode: "R1H", effectiveDate: "2012-04-01" },
    ]);
    expect((await detectFile("succ.csv", file)).kind).toBe("successors");
    expect((await detectFile("icb.csv", icbSuccessionsCsv())).kind).toBe("successors");
  });

  it("rejects bad rows with their line and a reason", () => {
    const r = parseSuccessions(csv('"F84734","F84734","","20220401","0"', '"F84734","F84749","","20221301","0"', '"F84734","F84749",""'));
    expect(r.rejected).toEqual([
      { row: 1, message: "column 1 and column 2 are the same code" },
      { row: 2, message: 'column 4 (effective date) "20221301" is not a date (expected YYYYMMDD)' },
      { row: 3, message: "expected 5 columns (old code, new code, reason, date, flag), found 3" },
    ]);
  });

  it("walks chains to their end and refuses splits and loops", () => {
    const g = new Map([
      ["A", new Set(["B"])],
      ["B", new Set(["C"])],
      ["S", new Set(["X", "Y"])],
      ["L1", new Set(["L2"])],
      ["L2", new Set(["L1"])],
    ]);
    expect(finalSuccessor("A", g)).toEqual({ final: "C" });
    expect(finalSuccessor("C", g)).toEqual({ final: "C" });
    expect(finalSuccessor("S", g)).toEqual({ problem: "S has 2 successors (X, Y): a split, not a merger" });
    expect(finalSuccessor("L1", g)).toEqual({ problem: "the successions from L1 loop back to L1" });
  });

  it("holds the April 2026 ICB successions of feeds.md section 7 (42 ICBs into 36)", () => {
    const rows = parseSuccessions(icbSuccessionsCsv()).records;
    expect(rows).toHaveLength(16);
    expect(rows.filter((r) => r.oldCode === "QNQ").map((r) => r.newCode)).toEqual(["S9B9J", "S0E4D", "QRL"]);
    expect(new Set(rows.map((r) => r.effectiveDate))).toEqual(new Set(["2026-04-01"]));
  });
});

describe("list-size vintage", () => {
  it("names the extract month and marks one older than six months", () => {
    expect(patientsWithVintage(12345, "2026-04-01", "2026-10-15")).toBe("12,345 patients (April 2026)");
    expect(patientsWithVintage(12345, "2026-04-01", "2026-11-01")).toBe("12,345 patients (April 2026) — older than 6 months");
    expect(patientsWithVintage(null, "2026-04-01", "2026-11-01")).toBe("");
    expect(isStaleVintage("2021-01-01", "2026-12-04")).toBe(true);
    expect(vintageRange("2021-01-01", "2026-04-01")).toBe("January 2021 to April 2026");
    expect(vintageRange("2026-04-01", "2026-04-01")).toBe("April 2026");
  });
});
