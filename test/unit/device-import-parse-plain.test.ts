import { parse as parseCsv } from "csv-parse/sync";
import { describe, expect, it } from "vitest";
import { csvParseOptions, parseCsvText, readPlainCsv, UnreadableFileError } from "~/modules/devices/import/parse.server";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";

/**
 * parse.server.ts reads plain CSV itself and leaves anything else to csv-parse. Whatever the
 * text, the records it hands over, or the error it gives, must be csv-parse's own.
 */

/** What csv-parse gives with parseCsvText's options: its records, or its error code. */
function library(text: string, delimiter: string, maxRecordBytes = UPLOAD_LIMITS.rowChars) {
  const records: string[][] = [];
  try {
    parseCsv(text, {
      ...csvParseOptions(delimiter, maxRecordBytes),
      on_record: (r: string[]) => {
        records.push(r);
        return null;
      },
    });
    return { records };
  } catch (e) {
    return { error: (e as { code?: string }).code ?? "error" };
  }
}

function plain(text: string, delimiter: string, maxRecordBytes = UPLOAD_LIMITS.rowChars) {
  const records: string[][] = [];
  return readPlainCsv(text, delimiter, maxRecordBytes, (r) => records.push(r)) ? { records } : null;
}

/** A small random generator, seeded, so a failure can be replayed. */
function random(seed: number) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

describe("reading plain CSV without csv-parse", () => {
  it("gives csv-parse's records for plain files, and stops at anything it does not read itself", () => {
    const cases: [string, string, boolean][] = [
      ["a,b\r\n1,2\r\n", ",", true],
      ["\uFEFFa;b\n1;2", ";", true],
      ["a,b\n\n1,2\n\n", ",", true],
      ["a,b,\n,,\n", ",", true],
      ['a,"b, c"\n"x ""y""",2\r', ",", true],
      ['a,"line\r\nbreak"\r\n"",""\n', ",", true],
      ["a\tb\rc\td\r\n", "\t", true],
      ["", ",", true],
      ["\n", ",", true],
      ['a,b"c\n', ",", false], // a quote inside a plain field: csv-parse keeps it (relax_quotes)
      ['a,"b"c\n', ",", false], // a closing quote followed by more text
      ['a,"never closed\n', ",", false],
      ['a, "b"\n', ",", false],
    ];
    for (const [text, delimiter, read] of cases) {
      const mine = plain(text, delimiter);
      expect(mine !== null, JSON.stringify(text)).toBe(read);
      if (mine) expect(mine, JSON.stringify(text)).toEqual(library(text, delimiter));
    }
  });

  it("agrees with csv-parse on thousands of random texts of separators, quotes and line breaks", () => {
    const next = random(12);
    const alphabet = ["a", "b", "é", " ", ",", ";", "\t", '"', '"', '""', "\r", "\n", "\r\n", "\uFEFF"];
    let readByItself = 0;
    for (let n = 0; n < 5000; n++) {
      const length = Math.floor(next() * 30);
      let text = "";
      for (let i = 0; i < length; i++) text += alphabet[Math.floor(next() * alphabet.length)];
      const delimiter = [",", ";", "\t"][n % 3];
      const mine = plain(text, delimiter);
      if (!mine) continue;
      readByItself++;
      expect(mine, JSON.stringify(text)).toEqual(library(text, delimiter));
    }
    // Most random texts hold an odd quote somewhere; enough are plain to mean something.
    expect(readByItself).toBeGreaterThan(500);
  });

  it("leaves a record that might pass the size limit to csv-parse", () => {
    expect(plain("abcdef,ghi\n", ",", 40)).toEqual({ records: [["abcdef", "ghi"]] });
    expect(plain("abcdef,ghi\n", ",", 20)).toBeNull();
  });

  it("gives the same table and the same errors through parseCsvText either way", () => {
    const limits = { ...UPLOAD_LIMITS, rowChars: 64 };
    expect(parseCsvText('Asset tag,Notes\nA1,"x, y"\n\nA2,"z"\n', limits).rows).toEqual([
      { row: 2, cells: ["A1", "x, y"] },
      { row: 4, cells: ["A2", "z"] },
    ]);
    // Read by csv-parse from the odd quote on: the rows before it are not kept twice.
    expect(parseCsvText('Asset tag,Notes\nA1,plain\nA2,say "hi"\nA3,"ok"\n', limits).rows).toEqual([
      { row: 2, cells: ["A1", "plain"] },
      { row: 3, cells: ["A2", 'say "hi"'] },
      { row: 4, cells: ["A3", "ok"] },
    ]);
    expect(() => parseCsvText('Asset tag,Notes\nA1,"never closed\n', limits)).toThrow(/A quoted value is never closed/);
    expect(() => parseCsvText(`Asset tag,Notes\nA1,${"x".repeat(100)}\n`, limits)).toThrow(UnreadableFileError);
    expect(() => parseCsvText(`Asset tag,Notes\nA1,${"x".repeat(100)}\n`, limits)).toThrow(
      /^Line 2 of the file is longer than 64 characters/,
    );
  });
});
