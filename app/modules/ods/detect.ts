import ExcelJS from "exceljs";
import { normaliseHeader, readCsv } from "./csv";
import { EPRACCUR_COLUMNS } from "./parsers/epraccur";
import { EPCN_DETAILS_SHEET, EPCN_PARTNERS_SHEET } from "./parsers/epcn";
import { looksLikeSuccessions } from "./parsers/succ";
import { OdsFileError, type OdsKind } from "./types";

export type DetectedFile = { kind: Exclude<OdsKind, "epcn"> } | { kind: "epcn"; workbook: ExcelJS.Workbook };

/** XLSX files are zip archives; every zip starts with the local file header "PK\x03\x04". */
export function isZip(content: Buffer): boolean {
  return content.length >= 4 && content[0] === 0x50 && content[1] === 0x4b && content[2] === 0x03 && content[3] === 0x04;
}

/** Header rows, normalised, that name a file kind; a file matches when its header starts with one. */
const HEADER_KINDS: { kind: Exclude<OdsKind, "epcn" | "epraccur" | "ebranchs" | "successors">; starts: string[][] }[] = [
  { kind: "gpad-mapping", starts: [["GP_CODE", "GP_NAME", "SUPPLIER", "PCN_CODE"]] },
  {
    kind: "list-size",
    starts: [
      ["PUBLICATION", "EXTRACT_DATE", "TYPE", "CCG_CODE"],
      ["PUBLICATION", "EXTRACT_DATE", "TYPE", "SUB_ICB_LOCATION_CODE"],
    ],
  },
  {
    kind: "gp-it-suppliers",
    starts: [
      ["GP_ODS_CODE", "GP_NAME", "GP_GPAD_SYSTEMS", "GP_SYSTEM"],
      ["ICB SUB LOCATION", "GP_ODS_CODE", "GP_NAME", "GP_GPAD_SYSTEMS", "GP_SYSTEM"],
    ],
  },
  { kind: "gp2gp-suppliers", starts: [["ODSCODE", "SUPPLIER"]] },
];

/** How many leading records a headerless file is judged on, so one bad first row does not decide. */
const SAMPLE = 20;

/**
 * Works out what an NHS file is from its content alone (file names are unreliable: downloads get
 * renamed and dated). Throws OdsFileError naming the file when nothing matches.
 */
export async function detectFile(fileName: string, content: Buffer): Promise<DetectedFile> {
  if (content.length === 0) throw new OdsFileError(fileName, "the file is empty");
  if (isZip(content)) return detectWorkbook(fileName, content);

  const { lines } = readCsv(content, { maxRecords: SAMPLE });
  if (lines.length === 0) throw new OdsFileError(fileName, "no CSV rows could be read");
  const header = lines[0].cells.map(normaliseHeader);
  for (const { kind, starts } of HEADER_KINDS) {
    if (starts.some((s) => s.every((name, i) => header[i] === name))) return { kind };
  }

  // Headerless ODS extracts: 27 columns, told apart by the shape of the organisation code.
  const full = lines.filter((l) => l.cells.length === EPRACCUR_COLUMNS);
  const practiceLike = full.filter((l) => /^[A-Z0-9]{6}$/.test(l.cells[0].trim())).length;
  const branchLike = full.filter((l) => /^[A-Z0-9]{9}$/.test(l.cells[0].trim()) && /^[A-Z0-9]{6}$/.test(l.cells[14].trim())).length;
  const enough = Math.ceil(lines.length / 2);
  if (practiceLike >= enough && practiceLike > branchLike) return { kind: "epraccur" };
  if (branchLike >= enough) return { kind: "ebranchs" };
  if (looksLikeSuccessions(lines.map((l) => l.cells))) return { kind: "successors" };

  const preview = lines[0].cells.slice(0, 5).join(",").slice(0, 80);
  throw new OdsFileError(
    fileName,
    `not a recognised NHS organisation file (first row starts "${preview}"). Expected epraccur, ebranchs, ` +
      "GPAD practice mapping, ePCN.xlsx, patients-registered list sizes, GP IT suppliers, GP2GP suppliers or the ODS successor file (succ.csv).",
  );
}

async function detectWorkbook(fileName: string, content: Buffer): Promise<DetectedFile> {
  const workbook = new ExcelJS.Workbook();
  try {
    // exceljs declares its own Buffer type; a Node Buffer is what it reads at runtime.
    await workbook.xlsx.load(content as unknown as ExcelJS.Buffer);
  } catch (e) {
    throw new OdsFileError(fileName, `looks like a zip/XLSX file but could not be read as a workbook (${(e as Error).message})`);
  }
  const names = workbook.worksheets.map((w) => w.name);
  if (names.includes(EPCN_DETAILS_SHEET) && names.includes(EPCN_PARTNERS_SHEET)) return { kind: "epcn", workbook };
  throw new OdsFileError(
    fileName,
    `XLSX workbook is not an ODS ePCN file: expected sheets "${EPCN_DETAILS_SHEET}" and "${EPCN_PARTNERS_SHEET}", found ${names.map((n) => `"${n}"`).join(", ") || "none"}`,
  );
}
