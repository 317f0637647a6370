import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { exportFormatFrom, neutraliseFormula, tabularResponse, toCsv, toXlsx, xlsxStream, zipInputs } from "~/utils/tabular-export.server";

describe("tabular export", () => {
  it("writes CSV with yes/no booleans, blank unknowns and quoted commas", () => {
    const csv = toCsv(
      ["a", "b", "c", "d"],
      [
        ["x, y", true, null, 2.5],
        ["z", false, undefined, 0],
      ],
    );
    expect(csv).toBe('\ufeffa,b,c,d\r\n"x, y",yes,,2.5\r\nz,no,,0\r\n');
  });

  it("keeps the header row when there are no rows", () => {
    expect(toCsv(["a", "b"], [])).toBe("\ufeffa,b\r\n");
  });

  it("defuses formulas but keeps phone numbers and signed numbers", () => {
    expect(neutraliseFormula('=HYPERLINK("x")')).toBe('\'=HYPERLINK("x")');
    expect(neutraliseFormula("@SUM(A1)")).toBe("'@SUM(A1)");
    expect(neutraliseFormula("+cmd|x")).toBe("'+cmd|x");
    expect(neutraliseFormula("+44 20 7946 0000")).toBe("+44 20 7946 0000");
    expect(neutraliseFormula("-3.5")).toBe("-3.5");
  });

  it("writes one XLSX sheet with numbers as numbers", async () => {
    const buf = await toXlsx(
      "Sites",
      ["code", "bandwidth_mbps", "wifi_staff"],
      [
        ["F84003", 80, true],
        ["F84003-M1", null, null],
      ],
    );
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(buf) as never);
    expect(wb.worksheets).toHaveLength(1);
    const ws = wb.worksheets[0];
    expect(ws.name).toBe("Sites");
    expect(ws.getRow(1).values).toEqual([undefined, "code", "bandwidth_mbps", "wifi_staff"]);
    expect(ws.getRow(2).getCell(2).value).toBe(80);
    expect(ws.getRow(2).getCell(3).value).toBe("yes");
    expect(ws.getRow(3).getCell(2).value).toBe("");
  });

  it("reads the format from the URL and refuses anything else", () => {
    expect(exportFormatFrom(new URL("http://x/e"))).toBe("csv");
    expect(exportFormatFrom(new URL("http://x/e?format=XLSX"))).toBe("xlsx");
    expect(() => exportFormatFrom(new URL("http://x/e?format=pdf"))).toThrow(/CSV or XLSX/);
  });

  it("answers a download with a safe file name", async () => {
    const res = await tabularResponse("csv", "F84003-sites-2026-11-22", "Sites", ["a"], [["1"]]);
    expect(res.headers.get("Content-Type")).toBe("text/csv; charset=utf-8");
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="F84003-sites-2026-11-22.csv"');
  });

  it("a streamed workbook waits for the zip between batches: the worksheet's XML never piles up in front of it", async () => {
    const backlogs: number[] = [];
    let inputs = 0;
    const body = xlsxStream(async (wb, breathe) => {
      const ws = wb.addWorksheet("Rows");
      for (let b = 0; b < 40; b++) {
        for (let i = 0; i < 2000; i++) ws.addRow([b * 2000 + i, `row ${b * 2000 + i} `.padEnd(120, "x"), i % 7, "some text here"]).commit();
        inputs = Math.max(inputs, zipInputs(wb).length);
        await breathe();
        backlogs.push(zipInputs(wb).reduce((n, s) => n + s.bytes, 0));
      }
      ws.commit();
    });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(await new Response(body).arrayBuffer());
    // exceljs's worksheet hands its XML to the zip through one stream we can see...
    expect(inputs).toBe(1);
    // ...and after each pause at most the 4 MB allowed waits there (a batch here is about 0.4 MB of XML).
    expect(Math.max(...backlogs)).toBeLessThanOrEqual(4 * 1024 * 1024);
    const sheet = wb.getWorksheet("Rows")!;
    expect(sheet.rowCount).toBe(80_000);
    expect(sheet.getRow(80_000).getCell(1).value).toBe(79_999);
  });
});
