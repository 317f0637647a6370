import { UnreadableFileError, LIMIT_MESSAGES, type UploadLimits } from "./upload-limits";
import { inflateEntry, listZipEntries, readEntryText, ZipFormatError, type InflateBudget, type ZipEntry } from "./zip-entries.server";

/**
 * Reads the first sheet of an .xlsx workbook as rows of text, streaming: the sheet's XML is
 * unpacked 64 KB at a time and scanned as it comes, each row handed on as soon as it closes.
 * Every limit (unpacked size, cell length, columns, shared text) is checked while reading, so a
 * hostile file is refused after a few chunks, not after it has been built in memory.
 *
 * Cells read as exceljs read them before: numbers as JavaScript prints them, dates (numbers in a
 * date format) as YYYY-MM-DD, booleans as TRUE/FALSE, formulas as their cached result, errors
 * as blank.
 */

/** A minimal streaming XML scanner for the machine-written parts of a workbook. */
class XmlScanner {
  private buf = "";
  constructor(
    private readonly onOpen: (name: string, attrs: string, selfClosing: boolean) => void,
    private readonly onClose: (name: string) => void,
    private readonly onText: (text: string) => void,
  ) {}

  write(chunk: string) {
    const buf = this.buf + chunk;
    let i = 0;
    for (;;) {
      const lt = buf.indexOf("<", i);
      if (lt < 0) {
        // Text up to the end of the chunk, holding back an entity that may continue in the next one.
        const amp = buf.lastIndexOf("&");
        const cut = amp >= i && buf.indexOf(";", amp) < 0 ? amp : buf.length;
        if (cut > i) this.onText(decodeEntities(buf.slice(i, cut)));
        i = cut;
        break;
      }
      if (lt > i) this.onText(decodeEntities(buf.slice(i, lt)));
      if (buf.startsWith("<![CDATA[", lt)) {
        const end = buf.indexOf("]]>", lt);
        if (end < 0) {
          i = lt;
          break;
        }
        this.onText(buf.slice(lt + 9, end));
        i = end + 3;
        continue;
      }
      const gt = buf.indexOf(">", lt);
      if (gt < 0) {
        i = lt;
        break;
      }
      const c = buf.charCodeAt(lt + 1);
      if (c === 47 /* / */) this.onClose(localName(buf.slice(lt + 2, gt).trim()));
      else if (c !== 63 /* ? */ && c !== 33 /* ! */) {
        const selfClosing = buf.charCodeAt(gt - 1) === 47;
        const body = buf.slice(lt + 1, selfClosing ? gt - 1 : gt);
        const sp = body.search(/\s/);
        this.onOpen(localName(sp < 0 ? body : body.slice(0, sp)), sp < 0 ? "" : body.slice(sp), selfClosing);
        if (selfClosing) this.onClose(localName(sp < 0 ? body : body.slice(0, sp)));
      }
      i = gt + 1;
    }
    this.buf = buf.slice(i);
    // A tag or entity never needs more than this; more means the file is not a workbook.
    if (this.buf.length > 1024 * 1024)
      throw new UnreadableFileError("The file could not be read as an Excel workbook (.xlsx): a part of it is not valid XML.");
  }
}

const localName = (name: string) => {
  const colon = name.indexOf(":");
  return colon < 0 ? name : name.slice(colon + 1);
};

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };
function decodeEntities(s: string): string {
  let out =
    s.indexOf("&") < 0
      ? s
      : s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) => {
          if (e[0] === "#") {
            const code = e[1] === "x" ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
            // A lone surrogate is not text (and PostgreSQL's JSON refuses it): the replacement character.
            if (!Number.isFinite(code) || code > 0x10ffff) return m;
            return code >= 0xd800 && code <= 0xdfff ? "\uFFFD" : String.fromCodePoint(code);
          }
          return ENTITIES[e] ?? m;
        });
  // Office writes characters XML cannot hold (control characters) as _xHHHH_.
  if (out.indexOf("_x") >= 0)
    out = out.replace(/_x([0-9A-Fa-f]{4})_/g, (_, h: string) => {
      const code = parseInt(h, 16);
      return code >= 0xd800 && code <= 0xdfff ? "\uFFFD" : String.fromCharCode(code);
    });
  return out;
}

function attr(attrs: string, name: string): string | undefined {
  const at = attrs.indexOf(` ${name}=`);
  if (at < 0) {
    // Rare spellings (a tab or line break before the name, spaces around "="): only then a regex.
    if (attrs.indexOf(name) < 0) return undefined;
    const m = new RegExp(`\\s${name}\\s*=\\s*["']([^"']*)["']`).exec(attrs);
    return m?.[1];
  }
  const q = attrs[at + name.length + 2];
  const end = attrs.indexOf(q, at + name.length + 3);
  return end < 0 ? undefined : attrs.slice(at + name.length + 3, end);
}

/** Column letters of a cell reference ("AB12") as a 1-based number, or 0 if there are none. */
function columnOf(ref: string): number {
  let col = 0;
  for (let i = 0; i < ref.length; i++) {
    const c = ref.charCodeAt(i);
    if (c >= 65 && c <= 90) col = col * 26 + (c - 64);
    else if (c >= 97 && c <= 122) col = col * 26 + (c - 96);
    else break;
  }
  return col;
}

export const columnName = (col: number): string => {
  let s = "";
  for (let c = col; c > 0; c = Math.floor((c - 1) / 26)) s = String.fromCharCode(65 + ((c - 1) % 26)) + s;
  return s;
};

/** Built-in number formats that are dates (ECMA-376 18.8.30), and a test for custom ones. */
const DATE_FORMAT_IDS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 30, 36, 45, 46, 47, 50, 57]);
const isDateFormatCode = (code: string) => /[dmyhs]/i.test(code.replace(/\[[^\]]*\]|"[^"]*"|\\./g, "")) && !/^general$/i.test(code);

function dateStyles(stylesXml: string): boolean[] {
  const custom = new Map<number, string>();
  for (const m of stylesXml.matchAll(/<(?:\w+:)?numFmt\s([^>]*)>/g)) {
    const id = Number(attr(` ${m[1]}`, "numFmtId"));
    const code = attr(` ${m[1]}`, "formatCode");
    if (Number.isInteger(id) && code !== undefined) custom.set(id, decodeEntities(code));
  }
  const xfs = /<(?:\w+:)?cellXfs[^>]*>([\s\S]*?)<\/(?:\w+:)?cellXfs>/.exec(stylesXml)?.[1] ?? "";
  return [...xfs.matchAll(/<(?:\w+:)?xf\s([^>]*?)\/?>/g)].map((m) => {
    const id = Number(attr(` ${m[1]}`, "numFmtId") ?? 0);
    const code = custom.get(id);
    return code !== undefined ? isDateFormatCode(code) : DATE_FORMAT_IDS.has(id);
  });
}

/** An Excel serial date as YYYY-MM-DD (the 1900 system, or 1904 when the workbook says so). */
function serialToIso(serial: number, date1904: boolean): string {
  const ms = Math.round(((date1904 ? serial + 1462 : serial) - 25569) * 86_400_000);
  const d = new Date(ms);
  return Number.isNaN(d.getTime()) ? "" : d.toISOString().slice(0, 10);
}

/** serialToIso, remembered per file: a register repeats the same few thousand dates. */
function dateReader(date1904: boolean) {
  const seen = new Map<number, string>();
  return (serial: number) => {
    let iso = seen.get(serial);
    if (iso === undefined) {
      iso = serialToIso(serial, date1904);
      if (seen.size < 20_000) seen.set(serial, iso);
    }
    return iso;
  };
}

function resolvePart(base: string, target: string): string {
  if (target.startsWith("/")) return target.slice(1);
  const parts = base.split("/").slice(0, -1);
  for (const seg of target.split("/")) {
    if (seg === "..") parts.pop();
    else if (seg !== ".") parts.push(seg);
  }
  return parts.join("/");
}

async function scan(buf: Uint8Array, entry: ZipEntry, budget: InflateBudget, scanner: XmlScanner) {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of inflateEntry(buf, entry, budget)) scanner.write(decoder.decode(chunk, { stream: true }));
  scanner.write(decoder.decode());
}

/**
 * Calls `onRow` for every row of the first sheet that has a value, with its Excel row number
 * and its cells (gaps filled with ""). Throws UnreadableFileError naming the limit passed.
 */
export async function readXlsxRows(
  content: Uint8Array,
  limits: UploadLimits,
  onRow: (row: number, cells: string[]) => void,
): Promise<void> {
  const unreadable = (why: string) => new UnreadableFileError(`The file could not be read as an Excel workbook (.xlsx): ${why}.`);
  let entries: Map<string, ZipEntry>;
  try {
    entries = listZipEntries(content, limits.zipEntries);
  } catch (e) {
    if (e instanceof ZipFormatError) throw unreadable(e.message);
    throw e;
  }
  const budget: InflateBudget = {
    perEntry: limits.entryBytes,
    left: limits.unpackedBytes,
    tooLarge: () => new UnreadableFileError(LIMIT_MESSAGES.unpacked(limits)),
  };
  const small: InflateBudget = { ...budget, perEntry: limits.smallPartBytes };
  try {
    const workbookEntry = entries.get("xl/workbook.xml");
    if (!workbookEntry) throw unreadable("it has no workbook part (is it a Word or other Office file?)");
    const workbook = await readEntryText(content, workbookEntry, small);
    const date1904 = /date1904\s*=\s*["'](1|true)["']/.test(workbook);
    const firstSheet = /<(?:\w+:)?sheet\s([^>]*?)\/?>/.exec(workbook)?.[1];
    if (!firstSheet) throw new UnreadableFileError("The workbook has no sheets.");
    const relId = /\s(?:\w+:)?id\s*=\s*["']([^"']*)["']/.exec(` ${firstSheet}`)?.[1];
    let sheetPath = "xl/worksheets/sheet1.xml";
    const relsEntry = entries.get("xl/_rels/workbook.xml.rels");
    if (relId && relsEntry) {
      const rels = await readEntryText(content, relsEntry, small);
      for (const m of rels.matchAll(/<(?:\w+:)?Relationship\s([^>]*?)\/?>/g)) {
        if (attr(` ${m[1]}`, "Id") === relId) sheetPath = resolvePart("xl/workbook.xml", decodeEntities(attr(` ${m[1]}`, "Target") ?? ""));
      }
    }
    const sheetEntry = entries.get(sheetPath);
    if (!sheetEntry) throw unreadable("its first sheet is missing");
    const stylesEntry = entries.get("xl/styles.xml");
    const isDate = stylesEntry ? dateStyles(await readEntryText(content, stylesEntry, small)) : [];
    const sharedEntry = entries.get("xl/sharedStrings.xml");
    const shared = sharedEntry ? await readSharedStrings(content, sharedEntry, budget, limits) : [];
    await readSheet(content, sheetEntry, budget, limits, { shared, isDate, date1904 }, onRow);
  } catch (e) {
    if (e instanceof ZipFormatError) throw unreadable(e.message);
    throw e;
  }
}

async function readSharedStrings(content: Uint8Array, entry: ZipEntry, budget: InflateBudget, limits: UploadLimits): Promise<string[]> {
  const strings: string[] = [];
  let chars = 0;
  let text: string | null = null; // inside <si>
  let inT = false;
  let phonetic = 0; // inside <rPh>: pronunciation guides, not the cell's text
  const scanner = new XmlScanner(
    (name, _attrs, selfClosing) => {
      if (name === "si") text = "";
      else if (name === "t" && !selfClosing) inT = true;
      else if (name === "rPh" && !selfClosing) phonetic++;
    },
    (name) => {
      if (name === "t") inT = false;
      else if (name === "rPh") phonetic--;
      else if (name === "si" && text !== null) {
        chars += text.length;
        if (chars > limits.sharedStringChars) throw new UnreadableFileError(LIMIT_MESSAGES.sharedStrings(limits));
        if (strings.length >= limits.cells) throw new UnreadableFileError(LIMIT_MESSAGES.cells(limits));
        strings.push(text);
        text = null;
      }
    },
    (t) => {
      if (text === null || !inT || phonetic > 0) return;
      text += t;
      if (text.length > limits.cellChars)
        throw new UnreadableFileError(
          LIMIT_MESSAGES.cellChars(`A cell (text number ${(strings.length + 1).toLocaleString("en-GB")} in the workbook)`, limits),
        );
    },
  );
  await scan(content, entry, budget, scanner);
  return strings;
}

interface SheetContext {
  shared: string[];
  isDate: boolean[];
  date1904: boolean;
}

async function readSheet(
  content: Uint8Array,
  entry: ZipEntry,
  budget: InflateBudget,
  limits: UploadLimits,
  ctx: SheetContext,
  onRow: (row: number, cells: string[]) => void,
) {
  let rowNumber = 0;
  let cells: string[] | null = null;
  let col = 0;
  let type = "";
  let style = 0;
  let value: string | null = null; // text of <v> or of <is>
  let collecting = false;
  let phonetic = 0;
  let cellCount = 0;
  const toIso = dateReader(ctx.date1904);
  const where = () => `Cell ${columnName(col)}${rowNumber}`;

  const endCell = () => {
    const raw = value ?? "";
    let text: string;
    switch (type) {
      case "s":
        text = raw === "" ? "" : (ctx.shared[Number(raw)] ?? "");
        break;
      case "inlineStr":
      case "str":
        text = raw;
        break;
      case "b":
        text = raw === "" ? "" : raw.trim() === "1" ? "TRUE" : "FALSE";
        break;
      case "e":
        text = "";
        break;
      case "d":
        text =
          raw === ""
            ? ""
            : (() => {
                const d = new Date(raw);
                return Number.isNaN(d.getTime()) ? raw : d.toISOString().slice(0, 10);
              })();
        break;
      default: {
        const num = raw.trim() === "" ? NaN : Number(raw);
        text = Number.isNaN(num) ? raw : ctx.isDate[style] ? toIso(num) : String(num);
      }
    }
    if (text !== "" && cells) {
      if (col > limits.columns)
        throw new UnreadableFileError(LIMIT_MESSAGES.columns(`column ${columnName(col)} (cell ${columnName(col)}${rowNumber})`, limits));
      if (++cellCount > limits.cells) throw new UnreadableFileError(LIMIT_MESSAGES.cells(limits));
      cells[col - 1] = text;
    }
    value = null;
  };

  const scanner = new XmlScanner(
    (name, attrs, selfClosing) => {
      if (name === "row") {
        const r = Number(attr(attrs, "r"));
        rowNumber = Number.isInteger(r) && r > 0 ? r : rowNumber + 1;
        cells = [];
        col = 0;
      } else if (name === "c") {
        const ref = attr(attrs, "r");
        col = (ref ? columnOf(ref) : 0) || col + 1;
        type = attr(attrs, "t") ?? "";
        style = Number(attr(attrs, "s") ?? 0) || 0;
        value = null;
      } else if ((name === "v" || (name === "t" && type === "inlineStr")) && !selfClosing) {
        collecting = true;
        value ??= "";
      } else if (name === "rPh" && !selfClosing) phonetic++;
    },
    (name) => {
      if (name === "v" || name === "t") collecting = false;
      else if (name === "rPh") phonetic--;
      else if (name === "c") endCell();
      else if (name === "row" && cells) {
        const done: string[] = cells;
        for (let i = 0; i < done.length; i++) done[i] ??= "";
        if (done.length) onRow(rowNumber, done);
        cells = null;
      }
    },
    (t) => {
      if (!collecting || phonetic > 0) return;
      value = (value ?? "") + t;
      if (value.length > limits.cellChars) throw new UnreadableFileError(LIMIT_MESSAGES.cellChars(where(), limits));
    },
  );
  await scan(content, entry, budget, scanner);
}
