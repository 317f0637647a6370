import { createDeflateRaw } from "node:zlib";

/**
 * Hostile spreadsheets built inside the tests, small on disk: .xlsx zips whose parts deflate
 * around 1000:1 (written part by part through a streaming deflater, so building them never holds
 * the unpacked bytes either), and the zip directory declares small, false sizes.
 */

type Source = () => Iterable<string | Buffer>;

async function deflate(source: Source): Promise<Buffer> {
  const deflater = createDeflateRaw({ level: 6 });
  const out: Buffer[] = [];
  deflater.on("data", (c: Buffer) => out.push(c));
  const ended = new Promise<void>((resolve, reject) => {
    deflater.on("end", resolve);
    deflater.on("error", reject);
  });
  for (const chunk of source()) {
    if (!deflater.write(chunk)) await new Promise((r) => deflater.once("drain", r));
  }
  deflater.end();
  await ended;
  return Buffer.concat(out);
}

/** A zip of deflated parts; every part declares an unpacked size of 1 KB, whatever it really is. */
export async function zipOf(parts: Record<string, Source>): Promise<Uint8Array> {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const [name, source] of Object.entries(parts)) {
    const data = await deflate(source);
    const nameBytes = Buffer.from(name, "utf8");
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(8, 8); // deflate
    local.writeUInt32LE(data.length, 18);
    local.writeUInt32LE(1024, 22); // a lie
    local.writeUInt16LE(nameBytes.length, 26);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4);
    dir.writeUInt16LE(20, 6);
    dir.writeUInt16LE(8, 10);
    dir.writeUInt32LE(data.length, 20);
    dir.writeUInt32LE(1024, 24);
    dir.writeUInt16LE(nameBytes.length, 28);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, nameBytes, data);
    central.push(dir, nameBytes);
    offset += local.length + nameBytes.length + data.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(Object.keys(parts).length, 8);
  end.writeUInt16LE(Object.keys(parts).length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return new Uint8Array(Buffer.concat([...locals, dirBytes, end]));
}

const once =
  (s: string): Source =>
  () => [s];

/** `block` repeated until about `bytes` have been produced, in 1 MB pieces. */
function repeated(block: string, bytes: number): Iterable<Buffer> {
  const piece = Buffer.from(block.repeat(Math.max(1, Math.floor((1024 * 1024) / block.length))));
  return (function* () {
    for (let done = 0; done < bytes; done += piece.length) yield piece;
  })();
}

const SHEET_OPEN =
  '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>';
const SHEET_CLOSE = "</sheetData></worksheet>";
const inline = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;

/** A workbook whose first sheet's XML is `sheet` (and an optional shared strings part). */
export function workbook(sheet: Source, sharedStrings?: Source): Promise<Uint8Array> {
  const parts: Record<string, Source> = {
    "[Content_Types].xml": once('<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>'),
    "xl/workbook.xml": once(
      '<?xml version="1.0"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Devices" sheetId="1" r:id="rId1"/></sheets></workbook>',
    ),
    "xl/_rels/workbook.xml.rels": once(
      '<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    ),
    "xl/worksheets/sheet1.xml": sheet,
  };
  if (sharedStrings) parts["xl/sharedStrings.xml"] = sharedStrings;
  return zipOf(parts);
}

const HEADER_ROW = `<row r="1">${inline("A1", "Asset tag")}${inline("B1", "Device type")}</row>`;

/** 3,000,000 rows of one device each (about 150 MB of sheet XML). */
export const rowsBomb = (rows = 3_000_000) => {
  const row = `<row>${inline("", "PC-1").replace(' r=""', "")}<c t="inlineStr"><is><t>Desktop</t></is></c></row>`;
  return workbook(() => [SHEET_OPEN, HEADER_ROW, ...repeated(row, row.length * rows), SHEET_CLOSE]);
};

/** One shared-string cell of 200 MB of "A". */
export const sharedCellBomb = (bytes = 200 * 1024 * 1024) =>
  workbook(
    () => [SHEET_OPEN, HEADER_ROW, '<row r="2"><c r="A2" t="s"><v>0</v></c></row>', SHEET_CLOSE],
    () => [
      '<?xml version="1.0"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><si><t>',
      ...repeated("A", bytes),
      "</t></si></sst>",
    ],
  );

/** One inline cell of 200 MB of "A". */
export const inlineCellBomb = (bytes = 200 * 1024 * 1024) =>
  workbook(() => [
    SHEET_OPEN,
    HEADER_ROW,
    '<row r="2"><c r="A2" t="inlineStr"><is><t>',
    ...repeated("A", bytes),
    "</t></is></c></row>",
    SHEET_CLOSE,
  ]);

/** A sheet that unpacks to `bytes` of nothing (whitespace between two rows): a plain zip bomb. */
export const inflateBomb = (bytes = 300 * 1024 * 1024) => workbook(() => [SHEET_OPEN, HEADER_ROW, ...repeated(" ", bytes), SHEET_CLOSE]);

/** A value in the last column Excel has (XFD, column 16,384). */
export const farColumnBomb = () =>
  workbook(() => [SHEET_OPEN, HEADER_ROW, `<row r="2">${inline("A2", "PC-1")}${inline("XFD2", "x")}</row>`, SHEET_CLOSE]);
