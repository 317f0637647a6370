/**
 * The limits every uploaded spreadsheet is read under (device import, paper import and the
 * command line), in one place. They are checked while the file is read, never after it is in
 * memory: the reader stops at the first one passed and says which. Sizes are chosen so a few
 * people importing at once stay well inside a 512 MB server heap (see docs/security.md,
 * "Uploads", for the measurements behind them).
 */

const MB = 1024 * 1024;

export interface UploadLimits {
  fileBytes: number;
  rows: number;
  columns: number;
  cellChars: number;
  rowChars: number;
  cells: number;
  sharedStringChars: number;
  entryBytes: number;
  unpackedBytes: number;
  zipEntries: number;
  smallPartBytes: number;
}

export const UPLOAD_LIMITS: Readonly<UploadLimits> = {
  /** Bytes of the file as uploaded. A 100,000-row device CSV is about 16 MB; the same rows as .xlsx about 6 MB. */
  fileBytes: 20 * MB,
  /** Data rows (after the header, blank rows not counted). The device import has always promised 100,000. */
  rows: 100_000,
  /** Columns holding a value. The device register has 30 columns; asset tools export a few dozen more. */
  columns: 200,
  /** Characters in one cell: Excel's own limit, so no file Excel can save is refused for it. */
  cellChars: 32_767,
  /** Characters in one CSV record (all its cells together). */
  rowChars: 256 * 1024,
  /** Non-empty cells in the whole file: what the parsed table costs in memory. */
  cells: 3_000_000,
  /** Characters of text kept for an .xlsx file's shared strings (the text of its cells). */
  sharedStringChars: 48 * 1024 * 1024,
  /** An .xlsx file is a zip: bytes one part (the sheet) may unpack to, counted as it unpacks. */
  entryBytes: 256 * MB,
  /** Bytes all the parts read may unpack to together. */
  unpackedBytes: 320 * MB,
  /** Parts (files) in the zip: a workbook has a dozen or so. */
  zipEntries: 10_000,
  /** Small parts read whole (workbook, relationships, styles). */
  smallPartBytes: 8 * MB,
};

const n = (v: number) => v.toLocaleString("en-GB");
const mb = (bytes: number) => `${n(Math.round(bytes / MB))} MB`;

/** The messages people see when a limit is hit: what was passed, the limit, and what to do. */
export const LIMIT_MESSAGES = {
  fileBytes: (l: UploadLimits = UPLOAD_LIMITS) =>
    `This file is larger than ${mb(l.fileBytes)}; the most one import can take is ${mb(l.fileBytes)}. Split the file and import each part.`,
  rows: (l: UploadLimits = UPLOAD_LIMITS) =>
    `This file has more than ${n(l.rows)} rows; the most one import can take is ${n(l.rows)}. Split the file and import each part.`,
  columns: (where: string, l: UploadLimits = UPLOAD_LIMITS) =>
    `This file has a value in ${where}, beyond the ${n(l.columns)} columns one import can read. Remove the extra columns and upload it again.`,
  cellChars: (where: string, l: UploadLimits = UPLOAD_LIMITS) =>
    `${where} has more than ${n(l.cellChars)} characters, the most one cell can hold. Shorten it and upload the file again.`,
  rowChars: (line: number, l: UploadLimits = UPLOAD_LIMITS) =>
    `Line ${n(line)} of the file is longer than ${n(l.rowChars)} characters, the most one row can hold. Check it is a real CSV file (a missing closing quote can join lines together).`,
  cells: (l: UploadLimits = UPLOAD_LIMITS) =>
    `This file has more than ${n(l.cells)} filled cells; the most one import can take is ${n(l.cells)}. Remove columns you do not need, or split the file and import each part.`,
  unpacked: (l: UploadLimits = UPLOAD_LIMITS) =>
    `This Excel file unpacks to more than ${mb(l.entryBytes)}, more than one import can read. Save it again from Excel, or split it and import each part.`,
  sharedStrings: (l: UploadLimits = UPLOAD_LIMITS) =>
    `This Excel file holds more than ${n(l.sharedStringChars)} characters of text, more than one import can read. Split it and import each part.`,
};

/**
 * A file we cannot or will not read: shown to the uploader as it is, so it names what is wrong
 * (for a limit, the limit).
 */
export class UnreadableFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "UnreadableFileError";
  }
}
