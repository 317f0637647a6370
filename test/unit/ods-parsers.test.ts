import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { joinAddress, toIsoDate } from "~/modules/ods/fields";
import { parseEbranchs } from "~/modules/ods/parsers/ebranchs";
import { parseEpcn } from "~/modules/ods/parsers/epcn";
import { parseEpraccur } from "~/modules/ods/parsers/epraccur";
import { parseGp2gpSuppliers } from "~/modules/ods/parsers/gp2gp-suppliers";
import { parseGpItSuppliers } from "~/modules/ods/parsers/gp-it-suppliers";
import { parseGpadMapping } from "~/modules/ods/parsers/gpad-mapping";
import { parseListSize } from "~/modules/ods/parsers/list-size";

// Rows copied from the real files in ../shared/data; malformed rows are edited copies of them.
const csv = (...lines: string[]) => Buffer.from(lines.join("\n") + "\n");

const F84003 =
  '"F84003","LOWER CLAPTON GENERAL PRACTICE","Y56","QMF","THE PORTICO","34 LINSCOTT ROAD","LONDON","","","E5 0RD","19740401","","A","B","A3A8R","20210401","","020 89867111","","","","0","","A3A8R","","4",""';
const A81003_CLOSED =
  '"A81003","VICTORIA MEDICAL PRACTICE","Y54","Q74","THE HEALTH CENTRE","VICTORIA ROAD","HARTLEPOOL","CLEVELAND","","TS26 8DB","19740401","20171031","C","B","00K","20130401","20171031","01429 272945","","","","0","","00K","","4",""';
const W91002_WELSH =
  '"W91002","PLAS MEDDYG","W00","Q99","PLAS MEDDYG","STATION ROAD","RUTHIN","DENBIGHSHIRE","","LL15 1BP","19740401","","A","B","7A1","20091001","","01824 702255","","","","0","","7A1","","4",""';
const A83642_NOT_GP =
  '"A83642","RECOVERY CENTRE DURHAM","Y63","QHM","81-88 WHINNEY HILL","OLD ELVET","DURHAM","","","DH1 3BQ","20001101","","A","B","84H","20130501","","0300 266666","","","","0","","116","","8",""';
const Y06592 =
  '"Y06592","SPECIAL ALLOCATION SCHEME (NEL)","Y56","QMF","MOORSIDE CLINIC","7-9 MOORSIDE ROAD","BROMLEY","KENT","","BR1 5EP","20200201","","A","B","A3A8R","20210401","","0330 1281661","","","","1","","A3A8R","","4",""';

describe("toIsoDate and joinAddress", () => {
  it("reads the three NHS date styles and refuses impossible dates", () => {
    expect(toIsoDate("19740401")).toBe("1974-04-01");
    expect(toIsoDate("01JAN2021")).toBe("2021-01-01");
    expect(toIsoDate("01jan2021")).toBe("2021-01-01");
    expect(toIsoDate("2026-04-01")).toBe("2026-04-01");
    expect(toIsoDate("  ")).toBeNull();
    expect(toIsoDate("20230230")).toBeUndefined();
    expect(toIsoDate("2023-13-01")).toBeUndefined();
    expect(toIsoDate("31FOO2021")).toBeUndefined();
    expect(toIsoDate("1/4/1974")).toBeUndefined();
  });

  it("joins the non-empty address lines with commas", () => {
    expect(joinAddress(["THE PORTICO", "34 LINSCOTT ROAD", "LONDON", "", " "])).toBe("THE PORTICO, 34 LINSCOTT ROAD, LONDON");
    expect(joinAddress(["", ""])).toBeNull();
  });
});

describe("parseEpraccur", () => {
  it("maps a GP practice row to a record with ISO dates, a joined address and its geography", () => {
    const { records, rejected, skipped } = parseEpraccur(csv(F84003));
    expect(rejected).toEqual([]);
    expect(skipped).toEqual([]);
    expect(records).toEqual([
      {
        line: 1,
        code: "F84003",
        name: "LOWER CLAPTON GENERAL PRACTICE",
        regionCode: "Y56",
        icbCode: "QMF",
        subIcbCode: "A3A8R",
        address: "THE PORTICO, 34 LINSCOTT ROAD, LONDON",
        postcode: "E5 0RD",
        phone: "020 89867111",
        status: "A",
        openDate: "1974-04-01",
        closeDate: null,
        prescribingSetting: 4,
        country: "England",
      },
    ]);
  });

  it("keeps closed practices with their close date, and Y-codes", () => {
    const { records } = parseEpraccur(csv(A81003_CLOSED, Y06592));
    expect(records.map((r) => [r.code, r.status, r.closeDate])).toEqual([
      ["A81003", "C", "2017-10-31"],
      ["Y06592", "A", null],
    ]);
  });

  it("imports Welsh practices flagged as Wales (by W00 grouping or W code)", () => {
    const w00OnlyGrouping = F84003.replace('"F84003"', '"F99999"').replace('"Y56"', '"W00"');
    const { records } = parseEpraccur(csv(W91002_WELSH, w00OnlyGrouping, F84003));
    expect(records.map((r) => [r.code, r.country])).toEqual([
      ["W91002", "Wales"],
      ["F99999", "Wales"],
      ["F84003", "England"],
    ]);
  });

  it("skips rows that are not GP practices, counted by prescribing setting, without validating them", () => {
    const channelIslands = A83642_NOT_GP.replace('"A83642"', '"GUE010"').replace('"8",""', '"0",""');
    const { records, rejected, skipped } = parseEpraccur(csv(A83642_NOT_GP, F84003, channelIslands, A83642_NOT_GP));
    expect(records.map((r) => r.code)).toEqual(["F84003"]);
    expect(rejected).toEqual([]);
    expect(skipped).toEqual([
      { reason: "not a GP practice (prescribing setting 0)", count: 1 },
      { reason: "not a GP practice (prescribing setting 8)", count: 2 },
    ]);
  });

  it("rejects malformed rows with their line number and a reason, and keeps the valid ones", () => {
    const badCode = F84003.replace('"F84003"', '"F8400X"');
    const badDate = F84003.replace('"19740401"', '"19741301"');
    const badStatus = F84003.replace('"A","B"', '"X","B"');
    const shortRow = F84003.replace(',""', "");
    const noName = F84003.replace('"LOWER CLAPTON GENERAL PRACTICE"', '""');
    const badSetting = F84003.replace('"4",""', '"GP",""');
    const { records, rejected } = parseEpraccur(csv(F84003, badCode, badDate, "", badStatus, shortRow, noName, badSetting, Y06592));
    expect(records.map((r) => [r.line, r.code])).toEqual([
      [1, "F84003"],
      [9, "Y06592"],
    ]);
    expect(rejected).toEqual([
      { row: 2, message: 'column 1 (organisation code) "F8400X" is not a valid code (expected e.g. F84003)' },
      { row: 3, message: 'column 11 (open date) "19741301" is not a date (expected YYYYMMDD)' },
      { row: 5, message: 'column 13 (status) "X" is not A, C, D or P (or ACTIVE, INACTIVE, DORMANT)' },
      { row: 6, message: "expected 27 columns, found 26" },
      { row: 7, message: "column 2 (name) is empty" },
      { row: 8, message: 'column 26 (prescribing setting or role) "GP" is neither a number nor an ODS role such as RO76' },
    ]);
  });

  it("reports a broken quote at the line where the bad record starts, not where it ends", () => {
    // A quote never closed swallows the rest of the file; a stray quote pair spans lines.
    const unclosed = parseEpraccur(csv(F84003, "", Y06592, '"F84004,BROKEN'));
    expect(unclosed.records.map((r) => r.code)).toEqual(["F84003", "Y06592"]);
    expect(unclosed.rejected).toEqual([{ row: 4, message: expect.stringMatching(/never closed/) }]);

    const spanning = parseEpraccur(csv(F84003, "", '"F84004,BROKEN', '"X","Y"', Y06592));
    expect(spanning.records.map((r) => [r.line, r.code])).toEqual([
      [1, "F84003"],
      [5, "Y06592"],
    ]);
    expect(spanning.rejected).toEqual([{ row: 3, message: "expected 27 columns, found 2" }]);
  });
});

describe("parseEbranchs", () => {
  const F84749001 =
    '"F84749001","CHURCH STREET - PSU","Y56","Q71","THE CENTRE MANOR PARK","30 CHURCH ROAD","MANOR PARK","LONDON","GREATER LONDON","E12 6AQ","20131001","","","","F84749","20131001","","","","","","0","","H","","",""';
  const A81004001 =
    '"A81004001","DR LEIGH","Y54","Q74","283 ACKLAM ROAD","","","MIDDLESBROUGH","CLEVELAND","TS5 7BP","20040401","","","","A81004","20040401","","01642 818952","","","","0","","A","","",""';

  it("reads branch code, parent (column 15), address, dates and phone", () => {
    const { records, rejected } = parseEbranchs(Buffer.from(`${A81004001}\r\n${F84749001}\r\n`));
    expect(rejected).toEqual([]);
    expect(records[1]).toEqual({
      line: 2,
      code: "F84749001",
      name: "CHURCH STREET - PSU",
      parentCode: "F84749",
      address: "THE CENTRE MANOR PARK, 30 CHURCH ROAD, MANOR PARK, LONDON, GREATER LONDON",
      postcode: "E12 6AQ",
      phone: null,
      openDate: "2013-10-01",
      closeDate: null,
    });
    expect(records[0]).toMatchObject({
      code: "A81004001",
      parentCode: "A81004",
      phone: "01642 818952",
      address: "283 ACKLAM ROAD, MIDDLESBROUGH, CLEVELAND",
    });
  });

  it("rejects bad branch and parent codes and wrong column counts", () => {
    const badParent = F84749001.replace('"F84749","20131001"', '"F8474","20131001"');
    const badCode = F84749001.replace('"F84749001"', '"F84749"');
    const { records, rejected } = parseEbranchs(csv(badParent, badCode, '"F84749003","X"', A81004001));
    expect(records.map((r) => r.code)).toEqual(["A81004001"]);
    expect(rejected).toEqual([
      { row: 1, message: 'column 15 (parent practice code) "F8474" is not a valid code (expected e.g. F84749)' },
      { row: 2, message: 'column 1 (branch code) "F84749" is not a valid code (expected e.g. F84749001)' },
      { row: 3, message: "expected 27 columns, found 2" },
    ]);
  });
});

describe("parseGpadMapping", () => {
  const HEADER =
    "GP_CODE,GP_NAME,SUPPLIER,PCN_CODE,PCN_NAME,SUB_ICB_LOCATION_CODE,SUB_ICB_LOCATION_NAME,ICB_CODE,ICB_NAME,REGION_CODE,REGION_NAME";
  const NEL = "A3A8R,NHS North East London ICB - A3A8R,QMF,NHS North East London Integrated Care Board,Y56,London";
  const F84003_ROW = `F84003,LOWER CLAPTON GENERAL PRACTICE,EMIS/EVERGREENLIFE,U05451,HACKNEY MARSHES PCN,${NEL}`;
  const F84749_EMIS = `F84749,CARPENTERS PRACTICE,EMIS,U11373,NEWHAM CENTRAL PCN,${NEL}`;
  const F84749_EVERGREEN = `F84749,CARPENTERS PRACTICE,EMIS/EVERGREENLIFE,U11373,NEWHAM CENTRAL PCN,${NEL}`;
  const Y06592_UNALLOCATED = `Y06592,SPECIAL ALLOCATION SCHEME (NEL),EMIS,U,UNALLOCATED,${NEL}`;

  it("reads practice, supplier, PCN and named hierarchy", () => {
    const { records, rejected } = parseGpadMapping(Buffer.from(`${HEADER}\r\n${F84003_ROW}\r\n`));
    expect(rejected).toEqual([]);
    expect(records).toEqual([
      {
        line: 2,
        code: "F84003",
        name: "LOWER CLAPTON GENERAL PRACTICE",
        supplier: "EMIS/EVERGREENLIFE",
        pcnCode: "U05451",
        pcnName: "HACKNEY MARSHES PCN",
        subIcbCode: "A3A8R",
        subIcbName: "NHS North East London ICB - A3A8R",
        icbCode: "QMF",
        icbName: "NHS North East London Integrated Care Board",
        regionCode: "Y56",
        regionName: "London",
      },
    ]);
  });

  it("treats PCN UNALLOCATED as no PCN", () => {
    const { records } = parseGpadMapping(csv(HEADER, Y06592_UNALLOCATED));
    expect(records[0]).toMatchObject({ code: "Y06592", pcnCode: null, pcnName: null, icbCode: "QMF" });
  });

  it("keeps one row per practice listed twice, whatever the row order, and says so in notes", () => {
    const a = parseGpadMapping(csv(HEADER, F84749_EVERGREEN, F84749_EMIS));
    const b = parseGpadMapping(csv(HEADER, F84749_EMIS, F84749_EVERGREEN));
    expect(a.records).toHaveLength(1);
    expect(a.records[0].supplier).toBe("EMIS");
    expect(b.records[0].supplier).toBe("EMIS");
    expect(a.notes?.[0]).toMatch(/^1 practices appear on more than one row.*F84749 \(EMIS\/EVERGREENLIFE \/ EMIS -> kept EMIS\)/);
  });

  it("rejects rows with bad codes or the wrong number of columns, with file line numbers", () => {
    const badPcn = F84003_ROW.replace("U05451", "X05451");
    const badPractice = F84003_ROW.replace("F84003", "84003");
    const { records, rejected } = parseGpadMapping(csv(HEADER, badPcn, badPractice, "F84003,LOWER CLAPTON", F84749_EMIS));
    expect(records.map((r) => r.code)).toEqual(["F84749"]);
    expect(rejected).toEqual([
      { row: 2, message: 'PCN_CODE "X05451" is not a valid code (expected e.g. U05451)' },
      { row: 3, message: 'GP_CODE "84003" is not a valid code (expected e.g. F84003)' },
      { row: 4, message: "expected 11 columns, found 2" },
    ]);
  });

  it("fails loudly when a required column is missing", () => {
    expect(() => parseGpadMapping(csv("GP_CODE,GP_NAME,SUPPLIER,PCN_CODE", "F84003,X,EMIS,U05451"))).toThrow(
      /missing column\(s\): PCN_NAME, SUB_ICB_LOCATION_CODE/,
    );
  });
});

describe("parseEpcn", () => {
  async function epcnWorkbook(details: string[][], partners: string[][]): Promise<ExcelJS.Workbook> {
    const wb = new ExcelJS.Workbook();
    wb.addWorksheet("PCNDetails").addRows([
      [
        "PCN Code",
        "PCN Name",
        "Current Sub ICB Loc Code",
        "Sub ICB Location",
        "Open Date",
        "Close Date",
        "Address Line 1",
        "Address Line 2",
        "Address Line 3",
        "Address Line 4",
        "Address Line 5",
        "Postcode",
      ],
      ...details,
    ]);
    wb.addWorksheet("PCN Core Partner Details").addRows([
      [
        "Partner\nOrganisation\nCode",
        "Partner\nName",
        "Practice\nParent\nSub ICB Loc Code",
        "Practice\nParent\nSub ICB Loc Name",
        "PCN Code",
        "PCN Name",
        "PCN Parent\nSub ICB Loc Code",
        "PCN Parent\nSub ICB Loc Name",
        "Practice to PCN\nRelationship\nStart Date",
        "Practice to PCN\nRelationship\nEnd Date",
        "Practice Sub ICB Loc and PCN Sub ICB Loc Match ",
      ],
      ...partners,
    ]);
    // Round-trip through bytes, as an uploaded file would arrive.
    const loaded = new ExcelJS.Workbook();
    await loaded.xlsx.load((await wb.xlsx.writeBuffer()) as ExcelJS.Buffer);
    return loaded;
  }
  const NEL = "NHS NORTH EAST LONDON ICB - A3A8R";
  const HAVERING = [
    "U00367",
    "HAVERING SOUTH PCN",
    "A3A8R",
    NEL,
    "20191001",
    "",
    "WOOD LANE MEDICAL CENTRE",
    "39 WOOD LANE",
    "",
    "HORNCHURCH",
    "",
    "RM12 5HX",
  ];
  const LEASIDE_CLOSED = [
    "U94503",
    "LEASIDE NETWORK PCN",
    "A3A8R",
    NEL,
    "20191001",
    "20210630",
    "LIBERTY BRIDGE ROAD PRACTICE",
    "40 LIBERTY BRIDGE ROAD",
    "EAST VILLAGE",
    "LONDON",
    "",
    "E20 1AS",
  ];
  const member = (pcn: string, pcnName: string, start: string, end: string) => [
    "F82001",
    "HALBUTT STREET SURGERY",
    "A3A8R",
    NEL,
    pcn,
    pcnName,
    "A3A8R",
    NEL,
    start,
    end,
    "TRUE",
  ];

  it("reads PCNs and the dated membership history despite line breaks in the headers", async () => {
    const wb = await epcnWorkbook(
      [HAVERING, LEASIDE_CLOSED],
      [
        member("U86966", "BARKING & DAGENHAM EAST PCN", "20191001", "20220701"),
        member("U11211", "BARKING & DAGENHAM WEST PCN", "20220701", ""),
      ],
    );
    const { records, rejected } = parseEpcn(wb);
    expect(rejected).toEqual([]);
    expect(records.pcns).toEqual([
      {
        line: 2,
        code: "U00367",
        name: "HAVERING SOUTH PCN",
        subIcbCode: "A3A8R",
        subIcbName: NEL,
        openDate: "2019-10-01",
        closeDate: null,
        address: "WOOD LANE MEDICAL CENTRE, 39 WOOD LANE, HORNCHURCH",
        postcode: "RM12 5HX",
      },
      {
        line: 3,
        code: "U94503",
        name: "LEASIDE NETWORK PCN",
        subIcbCode: "A3A8R",
        subIcbName: NEL,
        openDate: "2019-10-01",
        closeDate: "2021-06-30",
        address: "LIBERTY BRIDGE ROAD PRACTICE, 40 LIBERTY BRIDGE ROAD, EAST VILLAGE, LONDON",
        postcode: "E20 1AS",
      },
    ]);
    expect(records.memberships).toEqual([
      { line: 2, practiceCode: "F82001", pcnCode: "U86966", startDate: "2019-10-01", endDate: "2022-07-01" },
      { line: 3, practiceCode: "F82001", pcnCode: "U11211", startDate: "2022-07-01", endDate: null },
    ]);
  });

  it("rejects bad rows with the sheet name and Excel row number", async () => {
    const wb = await epcnWorkbook(
      [HAVERING, ["U0036", "BAD PCN", "A3A8R", NEL, "20191001", "", "", "", "", "", "", ""]],
      [member("U86966", "X", "20191301", ""), member("U11211", "Y", "20220701", "20220101"), member("U11211", "Y", "20220701", "")],
    );
    const { records, rejected } = parseEpcn(wb);
    expect(records.pcns.map((p) => p.code)).toEqual(["U00367"]);
    expect(records.memberships.map((m) => m.line)).toEqual([4]);
    expect(rejected).toEqual([
      { row: 3, message: 'PCNDetails: PCN Code "U0036" is not a valid code (expected e.g. U05451)' },
      { row: 2, message: 'PCN Core Partner Details: Relationship Start Date "20191301" is not a date (expected YYYYMMDD)' },
      { row: 3, message: "PCN Core Partner Details: relationship ends before it starts" },
    ]);
  });
});

describe("parseListSize", () => {
  const OLD = "PUBLICATION,EXTRACT_DATE,TYPE,CCG_CODE,ONS_CCG_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS";
  const NEW = "PUBLICATION,EXTRACT_DATE,TYPE,SUB_ICB_LOCATION_CODE,ONS_SUB_ICB_LOCATION_CODE,CODE,POSTCODE,SEX,AGE,NUMBER_OF_PATIENTS";

  it("reads the CCG-era layout with 01JAN2021 dates", () => {
    const { records, rejected, notes } = parseListSize(
      csv(
        OLD,
        "GP_PRAC_PAT_LIST,01JAN2021,GP,07T,E38000035,F84003,E5 0PQ,ALL,ALL,15204",
        "GP_PRAC_PAT_LIST,01JAN2021,GP,07L,E38000004,F82001,RM9 5AS,ALL,ALL,6820",
      ),
    );
    expect(rejected).toEqual([]);
    expect(records).toEqual([
      { line: 2, code: "F84003", extractDate: "2021-01-01", patients: 15204 },
      { line: 3, code: "F82001", extractDate: "2021-01-01", patients: 6820 },
    ]);
    expect(notes?.[0]).toMatch(/CCG-era/);
  });

  it("reads the sub-ICB-era layout with ISO dates", () => {
    const { records, notes } = parseListSize(csv(NEW, "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84003,E5 0RD,ALL,ALL,15142"));
    expect(records).toEqual([{ line: 2, code: "F84003", extractDate: "2026-04-01", patients: 15142 }]);
    expect(notes?.[0]).toMatch(/sub-ICB-era/);
  });

  it("rejects bad dates and counts, and skips breakdown rows that are not all-patient totals", () => {
    const { records, rejected, skipped } = parseListSize(
      csv(
        NEW,
        "GP_PRAC_PAT_LIST,2026-02-30,GP,A3A8R,E38000255,F84003,E5 0RD,ALL,ALL,15142",
        "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84003,E5 0RD,ALL,ALL,lots",
        "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F84003,E5 0RD,MALE,ALL,7000",
        "GP_PRAC_PAT_LIST,2026-04-01,GP,A3A8R,E38000255,F82001,RM9 5AS,ALL,ALL,5508",
      ),
    );
    expect(records.map((r) => r.code)).toEqual(["F82001"]);
    expect(rejected).toEqual([
      { row: 2, message: 'EXTRACT_DATE "2026-02-30" is not a date (expected YYYYMMDD)' },
      { row: 3, message: 'NUMBER_OF_PATIENTS "lots" is not a whole number' },
    ]);
    expect(skipped).toEqual([{ reason: "not a practice all-patients total (TYPE/SEX/AGE)", count: 1 }]);
  });
});

describe("supplier lists", () => {
  it("reads the NHS Digital GP IT list in both layouts", () => {
    const plain = parseGpItSuppliers(
      csv("GP_ODS_CODE,GP_NAME,GP_GPAD_SYSTEMS,GP_SYSTEM", "F84749,CARPENTERS PRACTICE,EMIS/EVERGREENLIFE,EMIS"),
    );
    const withSubIcb = parseGpItSuppliers(
      csv(
        "ICB Sub location,GP_ODS_CODE,GP_NAME,GP_GPAD_SYSTEMS,GP_SYSTEM",
        "A3A8R,F84003,LOWER CLAPTON GENERAL PRACTICE,EMIS,EMIS",
        "A3A8R,F8400,BAD,EMIS,EMIS",
      ),
    );
    expect(plain.records).toEqual([{ line: 2, code: "F84749", system: "EMIS", gpadSystems: "EMIS/EVERGREENLIFE" }]);
    expect(plain.withSubIcbColumn).toBe(false);
    expect(withSubIcb.records).toEqual([{ line: 2, code: "F84003", system: "EMIS", gpadSystems: "EMIS" }]);
    expect(withSubIcb.withSubIcbColumn).toBe(true);
    expect(withSubIcb.rejected).toEqual([{ row: 3, message: 'GP_ODS_CODE "F8400" is not a valid code (expected e.g. F84003)' }]);
  });

  it("reads the GP2GP 2019 list and rejects rows without a supplier", () => {
    const { records, rejected } = parseGp2gpSuppliers(csv("ODSCode,Supplier", "A81001,TPP", "F84003,", "F84003,EMIS"));
    expect(records).toEqual([
      { line: 2, code: "A81001", supplier: "TPP" },
      { line: 4, code: "F84003", supplier: "EMIS" },
    ]);
    expect(rejected).toEqual([{ row: 3, message: "Supplier is empty" }]);
  });
});
