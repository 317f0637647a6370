import { createHash } from "node:crypto";
import { UploadRowsCache } from "./kept-sweep.server";
import type { Preview } from "./validate";

/**
 * The last check of each upload, kept in this process between the check page and the import so
 * that importing a 50,000-row file does not check every row a second time when nothing the check
 * depended on has changed.
 *
 * The check is a pure function of its inputs, so a kept result is used only when every input is
 * identical, compared by hash: the file's bytes, the column mapping, the importer's scope and
 * fixed practice, the date, and the register rows the check read (practices, sites, the OS
 * lifecycle table, and every device with its version, as a digest the database works out). Those
 * are read again, in the import's own transaction, before the kept result is trusted; anything
 * different, or another server process, means the rows are checked again. Entries expire, and the rows held are capped so a
 * few large uploads cannot grow the server's memory without bound; an entry whose upload has been
 * imported or cancelled, in this process or any other, is dropped by kept-sweep.server.ts.
 */

interface Entry {
  key: string;
  inputs: string;
  practiceCodes: string[];
  preview: Preview;
}

const cache = new UploadRowsCache<Entry>({ rowsOf: (e) => e.preview.rowsRead, maxRows: 150_000, ttlMs: 30 * 60_000 });

export const hashOf = (value: unknown) =>
  createHash("sha256")
    .update(typeof value === "string" || value instanceof Uint8Array ? value : JSON.stringify(value))
    .digest("hex");

/** What identifies a check apart from the register rows: file, mapping, scope, practice and date. */
export const checkKey = (parts: {
  content: Uint8Array;
  mapping: unknown;
  scope: unknown;
  fixedPractice: string | null;
  asOf: string;
  replace?: boolean;
  /** The importer's saved value choices, when they have any. */
  values?: unknown;
  /** Device-name prefix rules, when the upload has them. */
  prefixRules?: unknown;
}) =>
  hashOf([
    hashOf(parts.content),
    parts.mapping,
    parts.scope,
    parts.fixedPractice,
    parts.asOf,
    ...(parts.replace ? ["replace"] : []),
    ...(parts.values ? [parts.values] : []),
    ...(parts.prefixRules ? [{ prefixRules: parts.prefixRules }] : []),
  ]);

/** The practices a kept check read, if one is kept for this upload and key. */
export function keptPracticeCodes(uploadId: string, key: string): string[] | null {
  const e = cache.get(uploadId);
  return e && e.key === key ? e.practiceCodes : null;
}

/** The kept check, only if its key and the hash of the register rows it read both match. */
export function recallCheck(uploadId: string, key: string, inputs: string): Preview | null {
  const e = cache.get(uploadId);
  return e && e.key === key && e.inputs === inputs ? e.preview : null;
}

export function keepCheck(uploadId: string, key: string, inputs: string, practiceCodes: string[], preview: Preview) {
  cache.keep(uploadId, { key, inputs, practiceCodes, preview });
}

export function forgetCheck(uploadId: string) {
  cache.forget(uploadId);
}

/** For tests: how many checks are kept. */
export const keptChecks = () => cache.size;
