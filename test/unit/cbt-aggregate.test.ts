import { describe, expect, it } from "vitest";
import { aggregateCbtFile, monthOf, PAGE_LIMITS } from "~/modules/cbt/aggregate.server";
import { UnreadableFileError } from "~/utils/upload-limits";
import { zipOf } from "../support/upload-bombs";

const HEAD = "Date,REGION_CODE,ICB_CODE,SUB_ICB_LOCATION_CODE,PCN_CODE,PRACTICE_CODE,Indicator,Time_Category,Value";
const line = (date: string, code: string, indicator: string, band: string, value: string) =>
  `${date},Y56,QMF,A3A8R,U05451,${code},${indicator},${band},${value}`;
const file = (...lines: string[]) => new TextEncoder().encode([HEAD, ...lines].join("\n"));

describe("CBT practice-level files", () => {
  it("reads the dates the publication uses, as months", () => {
    expect(monthOf("2026-08-14")).toBe("2026-08-01");
    expect(monthOf("14/08/2026")).toBe("2026-08-01");
    expect(monthOf("01-Aug-2026")).toBe("2026-08-01");
    expect(monthOf("2026-13-01")).toBeNull();
    expect(monthOf("yesterday")).toBeNull();
  });

  it("sums bands per practice and month, uses TOTAL instead of the bands where given, and skips Unassigned", async () => {
    const a = await aggregateCbtFile(
      "cbt.csv",
      file(
        line("2026-08-01", "f84003", "CBT001", "08:00 - 09:59", "30"),
        line("2026-08-01", "F84003", "CBT001", "10:00 - 11:59", "20"),
        line("2026-08-02", "F84003", "CBT001", "08:00 - 09:59", "5"),
        line("2026-08-01", "F84003", "CBT003", "0", "40"),
        line("2026-08-01", "F84003", "CBT006", "08:00 - 09:59", "3"),
        // F84013 gives bands and a TOTAL for inbound calls: the TOTAL is the figure, not the sum of both.
        line("2026-08-01", "F84013", "CBT001", "08:00 - 09:59", "7"),
        line("2026-08-01", "F84013", "CBT001", "TOTAL", "7"),
        line("2026-09-01", "F84013", "CBT001", "08:00 - 09:59", "11"),
        line("2026-08-01", "Unassigned", "CBT001", "08:00 - 09:59", "500"),
      ),
      PAGE_LIMITS,
    );
    expect(a.rows).toEqual([
      {
        practiceCode: "F84003",
        month: "2026-08-01",
        inbound: 55,
        ivrEnded: null,
        answered: 40,
        missed: null,
        callbackRequested: null,
        callbackMade: 3,
      },
      {
        practiceCode: "F84013",
        month: "2026-08-01",
        inbound: 7,
        ivrEnded: null,
        answered: null,
        missed: null,
        callbackRequested: null,
        callbackMade: null,
      },
      {
        practiceCode: "F84013",
        month: "2026-09-01",
        inbound: 11,
        ivrEnded: null,
        answered: null,
        missed: null,
        callbackRequested: null,
        callbackMade: null,
      },
    ]);
    expect(a).toMatchObject({ months: ["2026-08-01", "2026-09-01"], rowsRead: 9, unassignedRows: 1, rejectedRows: 0, problems: [] });
  });

  it("names each bad row by file, line and column, and keeps the rest", async () => {
    const a = await aggregateCbtFile(
      "cbt.csv",
      file(
        line("2026-08-01", "F84003", "CBT001", "x", "10"),
        line("someday", "F84003", "CBT009", "x", "-4"),
        line("2026-08-01", "", "CBT001", "x", "1"),
      ),
      PAGE_LIMITS,
    );
    expect(a.rows.map((r) => [r.practiceCode, r.inbound])).toEqual([["F84003", 10]]);
    expect(a.rejectedRows).toBe(2);
    expect(a.problems).toEqual([
      { file: "cbt.csv", row: 3, column: "Date", message: '"someday" is not a date' },
      { file: "cbt.csv", row: 3, column: "Indicator", message: expect.stringContaining('"CBT009" is not a CBT indicator') },
      { file: "cbt.csv", row: 3, column: "Value", message: '"-4" is not a whole number of calls' },
      { file: "cbt.csv", row: 4, column: "PRACTICE_CODE", message: "The practice code is blank" },
    ]);
  });

  it("reads every CSV in the published zip, and refuses a file that is not CBT data", async () => {
    const zip = await zipOf({
      "Y56_London.csv": () => [HEAD, "\n", line("2026-08-01", "F84003", "CBT001", "x", "10")],
      "Y63_NEY.csv": () => [HEAD, "\n", line("2026-08-01", "A81001", "CBT001", "x", "4")],
      "readme.txt": () => ["not data"],
    });
    const a = await aggregateCbtFile("cbt.zip", zip, PAGE_LIMITS);
    expect(a.rows.map((r) => [r.practiceCode, r.inbound])).toEqual([
      ["A81001", 4],
      ["F84003", 10],
    ]);
    await expect(aggregateCbtFile("devices.csv", new TextEncoder().encode("Asset tag,Type\nPC-1,desktop\n"), PAGE_LIMITS)).rejects.toThrow(
      UnreadableFileError,
    );
    await expect(aggregateCbtFile("devices.csv", new TextEncoder().encode("Asset tag,Type\nPC-1,desktop\n"), PAGE_LIMITS)).rejects.toThrow(
      /no Date, PRACTICE_CODE, Indicator, Value, Time_Category or Duration column/,
    );
  });

  it("stops at the practice-month limit rather than growing without bound", async () => {
    const lines = Array.from({ length: 30 }, (_, i) => line("2026-08-01", `P${String(i).padStart(5, "0")}`, "CBT001", "x", "1"));
    await expect(aggregateCbtFile("big.csv", file(...lines), { ...PAGE_LIMITS, maxKeys: 20 })).rejects.toThrow(
      /more than 20 practice-months/,
    );
  });
});
