import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { detectFile, isZip } from "~/modules/ods/detect";
import { OdsFileError } from "~/modules/ods/types";

// First lines copied from the real files in ../shared/data (see shared/reference/datasets.md).
const EPRACCUR =
  '"A81001","THE DENSHAM SURGERY","Y63","QHM","THE HEALTH CENTRE","LAWSON STREET","STOCKTON ON TEES","CLEVELAND","","TS18 1HU","19740401","","A","B","16C","20200401","","01642 672351","","","","0","","16C","","4",""\n' +
  '"F84003","LOWER CLAPTON GENERAL PRACTICE","Y56","QMF","THE PORTICO","34 LINSCOTT ROAD","LONDON","","","E5 0RD","19740401","","A","B","A3A8R","20210401","","020 89867111","","","","0","","A3A8R","","4",""\n';
const EBRANCHS =
  '"A81004001","DR LEIGH","Y54","Q74","283 ACKLAM ROAD","","","MIDDLESBROUGH","CLEVELAND","TS5 7BP","20040401","","","","A81004","20040401","","01642 818952","","","","0","","A","","",""\r\n' +
  '"F84749001","CHURCH STREET - PSU","Y56","Q71","THE CENTRE MANOR PARK","30 CHURCH ROAD","MANOR PARK","LONDON","GREATER LONDON","E12 6AQ","20131001","","","","F84749","20131001","","","","","","0","","H","","",""\r\n';
const GPAD =
  "GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ICB_CODE,ICB_NAME,REGION_CODE,REGION_NAME\r\n" +
  "F84003,LOWER CLAPTON GENERAL PRACTICE,EMIS/EVERGREENLIFE,U05451,HACKNEY MARSHES PCN,A3A8R,NHS North East London ICB - A3A8R,QMF,NHS North East London Integrated Care Board,Y56,London\r\n";
const LIST_SIZE_2021 =
  "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n" +
  "GP_PRAC_PAT_LIST,01JAN2021,GP,07T,E38000035,F84003,E5 0PQ,ALL,ALL,15204\n";
const LIST_SIZE_2026 =
  "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS\n" +
  "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84003,E5 0RD,ALL,ALL,15142\n";
const GP_IT = "GP_ODS_CODE,GP_NAME,GP_GPAD_SYSTEMS,GP_SYSTEM\nF84003,LOWER CLAPTON GENERAL PRACTICE,EMIS,EMIS\n";
const GP_IT_SUB_ICB =
  "ICB Sub location,GP_ODS_CODE,GP_NAME,GP_GPAD_SYSTEMS,GP_SYSTEM\nA3A8R,F84003,LOWER CLAPTON GENERAL PRACTICE,EMIS,EMIS\n";
const GP2GP = "ODSCode,Supplier\nA81001,TPP\nF84003,EMIS\n";

const detect = async (content: string | Buffer, name = "upload.csv") =>
  (await detectFile(name, typeof content === "string" ? Buffer.from(content) : content)).kind;

async function workbook(sheets: string[]): Promise<Buffer> {
  const wb = new ExcelJS.Workbook();
  for (const name of sheets) wb.addWorksheet(name).addRow(["Partner\nOrganisation\nCode", "PCN Code"]);
  return Buffer.from(await wb.xlsx.writeBuffer());
}

describe("detectFile", () => {
  it("recognises each CSV kind from its content", async () => {
    expect(await detect(EPRACCUR)).toBe("epraccur");
    expect(await detect(EBRANCHS)).toBe("ebranchs");
    expect(await detect(GPAD)).toBe("gpad-mapping");
    expect(await detect(LIST_SIZE_2021)).toBe("list-size");
    expect(await detect(LIST_SIZE_2026)).toBe("list-size");
    expect(await detect(GP_IT)).toBe("gp-it-suppliers");
    expect(await detect(GP_IT_SUB_ICB)).toBe("gp-it-suppliers");
    expect(await detect(GP2GP)).toBe("gp2gp-suppliers");
  });

  it("ignores the file name: an epraccur saved as ebranchs.csv is still epraccur", async () => {
    expect(await detect(EPRACCUR, "ebranchs.csv")).toBe("epraccur");
    expect(await detect(GPAD, "ePCN.xlsx")).toBe("gpad-mapping");
  });

  it("still recognises epraccur when its first row is malformed", async () => {
    const badFirst = '"NOT-A-CODE","X"\n' + EPRACCUR + EPRACCUR;
    expect(await detect(badFirst)).toBe("epraccur");
  });

  it("recognises a UTF-8 BOM before the header", async () => {
    expect(await detect(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(GP2GP)]))).toBe("gp2gp-suppliers");
  });

  it("recognises the ePCN workbook by its zip magic bytes and sheet names", async () => {
    const xlsx = await workbook(["PCNDetails", "PCN Core Partner Details"]);
    expect(isZip(xlsx)).toBe(true);
    const detected = await detectFile("anything.bin", xlsx);
    expect(detected.kind).toBe("epcn");
    expect(detected.kind === "epcn" && detected.workbook.worksheets.map((w) => w.name)).toEqual(["PCNDetails", "PCN Core Partner Details"]);
  });

  it("refuses a workbook without the ePCN sheets, naming the file and the sheets found", async () => {
    const xlsx = await workbook(["Sheet1"]);
    await expect(detectFile("budget.xlsx", xlsx)).rejects.toThrow(/^budget\.xlsx: .*not an ODS ePCN file.*"Sheet1"/);
  });

  it("refuses unknown, empty and corrupt files with an error naming the file", async () => {
    await expect(detectFile("people.csv", Buffer.from("name,email\nAnn,a@b.c\n"))).rejects.toThrow(OdsFileError);
    await expect(detectFile("people.csv", Buffer.from("name,email\nAnn,a@b.c\n"))).rejects.toThrow(
      /^people\.csv: not a recognised NHS organisation file \(first row starts "name,email"\)/,
    );
    await expect(detectFile("empty.csv", Buffer.alloc(0))).rejects.toThrow(/^empty\.csv: the file is empty/);
    const fakeZip = Buffer.concat([Buffer.from("PK\x03\x04"), Buffer.from("not really a zip")]);
    await expect(detectFile("broken.xlsx", fakeZip)).rejects.toThrow(/^broken\.xlsx: looks like a zip\/XLSX file but could not be read/);
  });

  it("does not mistake a 27-column file of other codes for epraccur or ebranchs", async () => {
    const row = Array.from({ length: 27 }, () => '"ABCD"').join(",") + "\n";
    await expect(detectFile("odd.csv", Buffer.from(row + row))).rejects.toThrow(/not a recognised/);
  });
});
