import fs from "node:fs";
import { Readable } from "node:stream";
import { parse } from "csv-parse";
import { UnreadableFileError } from "~/utils/upload-limits";
import { inflateEntry, listZipEntries, ZipFormatError, type InflateBudget } from "~/utils/zip-entries.server";

/**
 * Reading NHS England's Cloud Based Telephony (CBT) publication at practice level (reference:
 * ../shared/reference/feeds.md section 1). The "By Day and Time" and "By Durations" files are
 * long tables, one value per practice, day, indicator and band:
 *
 *   Date, REGION_CODE, ICB_CODE, SUB_ICB_LOCATION_CODE, PCN_CODE, PRACTICE_CODE, Indicator, Time_Category|Duration, Value
 *
 * published as a zip of regional CSVs. They run to millions of rows nationally, so they are
 * read as a stream and summed as they come into one row per practice and month: memory grows
 * with practices × months (bounded by `maxKeys`), never with the rows.
 *
 * The sums (documented in docs/feeds.md):
 * - Indicators: CBT001 inbound calls, CBT002 calls that ended in the IVR, CBT003 answered (by
 *   time to answer), CBT004 missed or abandoned, CBT005 call-backs requested, CBT006 call-backs
 *   made, CBT007 answered (by call duration). Answered is CBT003's sum, or CBT007's when a file
 *   has no CBT003.
 * - Band rows are summed; a band of "TOTAL" is a subtotal and is used instead of the bands for
 *   any practice, month and indicator that has one (never both, so nothing counts twice).
 * - PRACTICE_CODE is trimmed and upper-cased; "Unassigned" (a phone account shared by several
 *   practices) cannot be given to one practice and is counted and skipped.
 */

export const INDICATORS = {
  CBT001: "inbound",
  CBT002: "ivr_ended",
  CBT003: "answered_wait",
  CBT004: "missed",
  CBT005: "callback_requested",
  CBT006: "callback_made",
  CBT007: "answered_duration",
} as const;
type Measure = (typeof INDICATORS)[keyof typeof INDICATORS];

export const REQUIRED_HEADERS = ["Date", "PRACTICE_CODE", "Indicator", "Value"] as const;

export interface CbtMonthRow {
  practiceCode: string;
  /** First day of the month, YYYY-MM-01. */
  month: string;
  inbound: number | null;
  ivrEnded: number | null;
  answered: number | null;
  missed: number | null;
  callbackRequested: number | null;
  callbackMade: number | null;
}

export interface CbtProblem {
  /** The CSV the row came from (a zip holds several) and its line number. */
  file: string;
  row: number;
  column: string;
  message: string;
}

export interface CbtAggregate {
  rows: CbtMonthRow[];
  months: string[];
  rowsRead: number;
  unassignedRows: number;
  problems: CbtProblem[];
  /** Rows with problems, counted even beyond the first 500 kept. */
  rejectedRows: number;
}

export interface CbtReadLimits {
  /** Practice × month sums held at once: 7,000 practices × 13 months fits. */
  maxKeys: number;
  /** Characters in one CSV record. */
  rowChars: number;
  /** For a zip: parts, and bytes unpacked per part and in all. */
  zipEntries: number;
  entryBytes: number;
  unpackedBytes: number;
}

export const PAGE_LIMITS: CbtReadLimits = {
  maxKeys: 100_000,
  rowChars: 4_096,
  zipEntries: 50,
  entryBytes: 512 * 1024 * 1024,
  unpackedBytes: 1024 * 1024 * 1024,
};
/** The command line reads the national zip, whose regional parts unpack to a few GB together. */
export const CLI_LIMITS: CbtReadLimits = { ...PAGE_LIMITS, entryBytes: 4 * 1024 ** 3, unpackedBytes: 16 * 1024 ** 3 };

const MONTHS = ["jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"];

/** The month of a CBT date: dd/mm/yyyy, yyyy-mm-dd (with or without a time), or "01-Aug-2026". */
export function monthOf(raw: string): string | null {
  const t = raw.trim();
  let m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$/.exec(t);
  let y: number;
  let mo: number;
  if (m) [y, mo] = [Number(m[1]), Number(m[2])];
  else if ((m = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(t))) [y, mo] = [Number(m[3]), Number(m[2])];
  else if ((m = /^(\d{1,2})[- ]([A-Za-z]{3})[- ](\d{4})$/.exec(t))) [y, mo] = [Number(m[3]), MONTHS.indexOf(m[2].toLowerCase()) + 1];
  else return null;
  if (mo < 1 || mo > 12 || y < 2020 || y > 2100) return null;
  return `${y}-${String(mo).padStart(2, "0")}-01`;
}

interface Sums {
  bands: Partial<Record<Measure, number>>;
  totals: Partial<Record<Measure, number>>;
}

/** Sums the long CSV records of one or more files into practice-month rows. */
export class CbtAggregator {
  private sums = new Map<string, Sums>();
  rowsRead = 0;
  unassignedRows = 0;
  rejectedRows = 0;
  problems: CbtProblem[] = [];

  constructor(private limits: CbtReadLimits) {}

  /** Reads one CSV's records (the first is the header). */
  async addCsv(file: string, records: AsyncIterable<string[]>) {
    let cols: Record<string, number> | null = null;
    let line = 0;
    for await (const cells of records) {
      line++;
      if (!cols) {
        cols = this.header(file, cells);
        continue;
      }
      if (cells.every((c) => c.trim() === "")) continue;
      this.rowsRead++;
      this.row(file, line, cells, cols);
    }
    if (!cols)
      throw new UnreadableFileError(
        `${file} is empty: a CBT file starts with the header Date, …, PRACTICE_CODE, Indicator, Time_Category, Value.`,
      );
  }

  private header(file: string, cells: string[]) {
    const names = cells.map((c) => c.replace(/^\uFEFF/, "").trim());
    const at = (n: string) => names.findIndex((h) => h.toLowerCase() === n.toLowerCase());
    const missing = REQUIRED_HEADERS.filter((h) => at(h) < 0);
    const band = at("Time_Category") >= 0 ? at("Time_Category") : at("Duration");
    if (missing.length || band < 0) {
      throw new UnreadableFileError(
        `${file} is not a CBT practice-level file: it has no ${[...missing, ...(band < 0 ? ["Time_Category or Duration"] : [])].join(", ")} column. The file needs the columns Date, PRACTICE_CODE, Indicator, Time_Category (or Duration) and Value, as NHS England publishes them.`,
      );
    }
    return { date: at("Date"), code: at("PRACTICE_CODE"), indicator: at("Indicator"), band, value: at("Value") };
  }

  private problem(p: CbtProblem) {
    if (this.problems.length < 500) this.problems.push(p);
  }

  private row(file: string, row: number, cells: string[], c: Record<string, number>) {
    const get = (i: number) => (cells[i] ?? "").trim();
    const code = get(c.code).toUpperCase();
    if (code === "UNASSIGNED") {
      this.unassignedRows++;
      return;
    }
    const found: CbtProblem[] = [];
    if (!/^[A-Z0-9]{3,10}$/.test(code))
      found.push({
        file,
        row,
        column: "PRACTICE_CODE",
        message: code ? `"${code.slice(0, 20)}" is not an ODS code` : "The practice code is blank",
      });
    const month = monthOf(get(c.date));
    if (!month) found.push({ file, row, column: "Date", message: `"${get(c.date).slice(0, 20)}" is not a date` });
    const indicator = get(c.indicator).toUpperCase() as keyof typeof INDICATORS;
    const measure = INDICATORS[indicator];
    if (!measure)
      found.push({
        file,
        row,
        column: "Indicator",
        message: `"${get(c.indicator).slice(0, 20)}" is not a CBT indicator (CBT001 to CBT007)`,
      });
    const rawValue = get(c.value);
    const value = /^\d{1,9}$/.test(rawValue) ? Number(rawValue) : null;
    if (value === null) found.push({ file, row, column: "Value", message: `"${rawValue.slice(0, 20)}" is not a whole number of calls` });
    if (found.length) {
      this.rejectedRows++;
      found.forEach((p) => this.problem(p));
      return;
    }
    const key = `${code}|${month}`;
    let s = this.sums.get(key);
    if (!s) {
      if (this.sums.size >= this.limits.maxKeys) {
        throw new UnreadableFileError(
          `The file covers more than ${this.limits.maxKeys.toLocaleString("en-GB")} practice-months; import it a month at a time.`,
        );
      }
      s = { bands: {}, totals: {} };
      this.sums.set(key, s);
    }
    const into = get(c.band).replace(/\s+/g, "").toUpperCase() === "TOTAL" ? s.totals : s.bands;
    into[measure!] = (into[measure!] ?? 0) + value!;
  }

  result(): CbtAggregate {
    const rows: CbtMonthRow[] = [];
    const months = new Set<string>();
    for (const [key, s] of this.sums) {
      const [practiceCode, month] = key.split("|");
      months.add(month);
      const v = (m: Measure) => s.totals[m] ?? s.bands[m] ?? null;
      rows.push({
        practiceCode,
        month,
        inbound: v("inbound"),
        ivrEnded: v("ivr_ended"),
        answered: v("answered_wait") ?? v("answered_duration"),
        missed: v("missed"),
        callbackRequested: v("callback_requested"),
        callbackMade: v("callback_made"),
      });
    }
    rows.sort((a, b) => a.practiceCode.localeCompare(b.practiceCode) || a.month.localeCompare(b.month));
    return {
      rows,
      months: [...months].sort(),
      rowsRead: this.rowsRead,
      unassignedRows: this.unassignedRows,
      problems: this.problems,
      rejectedRows: this.rejectedRows,
    };
  }
}

const csvRecords = (source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>, rowChars: number): AsyncIterable<string[]> =>
  Readable.from(source).pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: rowChars }));

const isZip = (b: Uint8Array) => b.length >= 4 && b[0] === 0x50 && b[1] === 0x4b && b[2] === 0x03 && b[3] === 0x04;

/**
 * A CBT file as uploaded or read from disk: one CSV, or the published zip of regional CSVs
 * (every .csv part in it is read; other parts are ignored).
 */
export async function aggregateCbtFile(name: string, content: Uint8Array, limits: CbtReadLimits): Promise<CbtAggregate> {
  const agg = new CbtAggregator(limits);
  try {
    if (isZip(content)) {
      const entries = [...listZipEntries(content, limits.zipEntries).values()].filter(
        (e) => /\.csv$/i.test(e.name) && !e.name.startsWith("__MACOSX"),
      );
      if (entries.length === 0) throw new UnreadableFileError(`${name} is a zip with no CSV file in it.`);
      const budget: InflateBudget = {
        perEntry: limits.entryBytes,
        left: limits.unpackedBytes,
        tooLarge: () =>
          new UnreadableFileError(
            `${name} unpacks to more than the ${Math.round(limits.unpackedBytes / 1024 ** 2).toLocaleString("en-GB")} MB one import may read.`,
          ),
      };
      for (const e of entries) await agg.addCsv(e.name, csvRecords(inflateEntry(content, e, budget), limits.rowChars));
    } else {
      await agg.addCsv(name, csvRecords([content], limits.rowChars));
    }
  } catch (e) {
    if (e instanceof ZipFormatError) throw new UnreadableFileError(`${name} cannot be read as a zip: ${e.message}.`);
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("CSV_")) {
      throw new UnreadableFileError(`${name} cannot be read as CSV: ${e.message}`);
    }
    throw e;
  }
  return agg.result();
}

/** The most a zip read from disk may be: the national "By Day and Time" zip is tens of MB. */
export const MAX_ZIP_BYTES = 1024 ** 3;

/**
 * A CBT file on disk, for the command line: a CSV is streamed from the disk (the national CSVs
 * run to hundreds of MB), a zip is read whole (its directory is at its end) and its parts
 * streamed as they unpack.
 */
export async function aggregateCbtPath(file: string, name: string, limits: CbtReadLimits = CLI_LIMITS): Promise<CbtAggregate> {
  const head = Buffer.alloc(4);
  const fd = await fs.promises.open(file, "r");
  try {
    await fd.read(head, 0, 4, 0);
  } finally {
    await fd.close();
  }
  if (isZip(head)) {
    const { size } = await fs.promises.stat(file);
    if (size > MAX_ZIP_BYTES) throw new UnreadableFileError(`${name} is larger than the 1,024 MB a zip may be.`);
    return aggregateCbtFile(name, new Uint8Array(await fs.promises.readFile(file)), limits);
  }
  const agg = new CbtAggregator(limits);
  try {
    await agg.addCsv(
      name,
      fs
        .createReadStream(file)
        .pipe(parse({ bom: true, relax_column_count: true, skip_empty_lines: true, max_record_size: limits.rowChars })),
    );
  } catch (e) {
    if (e instanceof Error && "code" in e && String((e as { code: unknown }).code).startsWith("CSV_"))
      throw new UnreadableFileError(`${name} cannot be read as CSV: ${e.message}`);
    throw e;
  }
  return agg.result();
}
