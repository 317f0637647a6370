import { Readable } from "node:stream";
import { createInflateRaw } from "node:zlib";

/**
 * Just enough of the zip format to read an .xlsx file safely: the central directory, then single
 * parts inflated as a stream whose output is counted as it comes. The sizes a zip declares are
 * never trusted (a zip bomb declares small ones); only the parts asked for are ever inflated.
 */

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  dataStart: number;
}

export class ZipFormatError extends Error {}

const EOCD = 0x06054b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;

/** The parts of a zip held in `buf`, by name. Refuses more than `maxEntries` parts, zip64 and encryption. */
export function listZipEntries(buf: Uint8Array, maxEntries: number): Map<string, ZipEntry> {
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  let eocd = -1;
  for (let i = buf.length - 22; i >= Math.max(0, buf.length - 22 - 0xffff); i--) {
    if (dv.getUint32(i, true) === EOCD) {
      eocd = i;
      break;
    }
  }
  if (eocd < 0) throw new ZipFormatError("the end of the zip directory is missing (the file may be cut short)");
  const count = dv.getUint16(eocd + 10, true);
  const dirSize = dv.getUint32(eocd + 12, true);
  const dirStart = dv.getUint32(eocd + 16, true);
  if (count === 0xffff || dirStart === 0xffffffff) throw new ZipFormatError("it uses zip64, which a workbook of this size never needs");
  if (count > maxEntries) throw new ZipFormatError(`it has ${count.toLocaleString("en-GB")} parts, more than a workbook has`);
  if (dirStart + dirSize > buf.length) throw new ZipFormatError("its zip directory points outside the file");
  const names = new TextDecoder("utf-8");
  const entries = new Map<string, ZipEntry>();
  let p = dirStart;
  for (let i = 0; i < count; i++) {
    if (p + 46 > buf.length || dv.getUint32(p, true) !== CENTRAL) throw new ZipFormatError("its zip directory is damaged");
    const flags = dv.getUint16(p + 8, true);
    const method = dv.getUint16(p + 10, true);
    const compressedSize = dv.getUint32(p + 20, true);
    const nameLength = dv.getUint16(p + 28, true);
    const extraLength = dv.getUint16(p + 30, true);
    const commentLength = dv.getUint16(p + 32, true);
    const local = dv.getUint32(p + 42, true);
    const name = names.decode(buf.subarray(p + 46, p + 46 + nameLength));
    p += 46 + nameLength + extraLength + commentLength;
    if (flags & 1) throw new ZipFormatError("it is encrypted (password protected). Remove the password and save it again");
    if (local + 30 > buf.length || dv.getUint32(local, true) !== LOCAL)
      throw new ZipFormatError("its zip directory points outside the file");
    const dataStart = local + 30 + dv.getUint16(local + 26, true) + dv.getUint16(local + 28, true);
    if (dataStart + compressedSize > buf.length) throw new ZipFormatError("a part is cut short");
    entries.set(name.replace(/^\/+/, ""), { name, method, compressedSize, dataStart });
  }
  return entries;
}

/** Shared by all parts read from one file, so their total is bounded too. */
export interface InflateBudget {
  /** Bytes any one part may unpack to. */
  perEntry: number;
  /** Bytes still allowed for all parts together; decreases as parts unpack. */
  left: number;
  /** The error to throw when either is passed. */
  tooLarge: () => Error;
}

const CHUNK = 64 * 1024;

/**
 * A part's bytes, unpacked in chunks of at most 64 KB. The unpacked byte count is checked after
 * every chunk, so a part that would unpack to gigabytes stops at the limit having used only a
 * few chunks of memory; the consumer pulls, so nothing is unpacked ahead of it.
 */
export async function* inflateEntry(buf: Uint8Array, entry: ZipEntry, budget: InflateBudget): AsyncGenerator<Uint8Array> {
  const data = buf.subarray(entry.dataStart, entry.dataStart + entry.compressedSize);
  let total = 0;
  const count = (n: number) => {
    total += n;
    budget.left -= n;
    if (total > budget.perEntry || budget.left < 0) throw budget.tooLarge();
  };
  if (entry.method === 0) {
    count(data.length);
    yield data;
    return;
  }
  if (entry.method !== 8) throw new ZipFormatError(`a part uses compression method ${entry.method}, which Excel does not use`);
  const source = Readable.from(
    (function* () {
      for (let i = 0; i < data.length; i += CHUNK) yield Buffer.from(data.buffer, data.byteOffset + i, Math.min(CHUNK, data.length - i));
    })(),
  );
  const inflater = createInflateRaw({ chunkSize: CHUNK });
  source.on("error", (e) => inflater.destroy(e));
  source.pipe(inflater);
  try {
    for await (const chunk of inflater as AsyncIterable<Buffer>) {
      count(chunk.length);
      yield chunk;
    }
  } catch (e) {
    if (e instanceof Error && "code" in e && String((e as NodeJS.ErrnoException).code).startsWith("Z_"))
      throw new ZipFormatError("a part is damaged and cannot be unpacked");
    throw e;
  } finally {
    source.unpipe(inflater);
    source.destroy();
    inflater.destroy();
  }
}

/** A small part as text, read whole (bounded by the budget like any other). */
export async function readEntryText(buf: Uint8Array, entry: ZipEntry, budget: InflateBudget): Promise<string> {
  const decoder = new TextDecoder("utf-8");
  let out = "";
  for await (const chunk of inflateEntry(buf, entry, budget)) out += decoder.decode(chunk, { stream: true });
  return out + decoder.decode();
}
