import { createHash } from "node:crypto";
import { registerKeptByUpload, sweepWhileKept } from "./kept-sweep.server";
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

const MAX_ROWS_HELD = 150_000;
const TTL_MS = 30 * 60_000;

interface Entry {
  key: string;
  inputs: string;
  practiceCodes: string[];
  preview: Preview;
  storedAt: number;
}

const entries = new Map<string, Entry>();

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

/** Drops the entries past their time; returns the rows they held. */
function expire(now: number) {
  let rows = 0;
  for (const [id, e] of entries)
    if (now - e.storedAt > TTL_MS) {
      entries.delete(id);
      rows += e.preview.rowsRead;
    }
  return rows;
}

registerKeptByUpload({
  uploadIds: () => [...entries.keys()],
  expire,
  drop(ids) {
    let rows = 0;
    for (const id of ids) {
      rows += entries.get(id)?.preview.rowsRead ?? 0;
      entries.delete(id);
    }
    return rows;
  },
});

function prune(now: number) {
  expire(now);
  let held = [...entries.values()].reduce((n, e) => n + e.preview.rowsRead, 0);
  // Oldest first: a Map iterates in insertion order.
  for (const [id, e] of entries) {
    if (held <= MAX_ROWS_HELD) break;
    entries.delete(id);
    held -= e.preview.rowsRead;
  }
}

/** The practices a kept check read, if one is kept for this upload and key. */
export function keptPracticeCodes(uploadId: string, key: string): string[] | null {
  prune(Date.now());
  const e = entries.get(uploadId);
  return e && e.key === key ? e.practiceCodes : null;
}

/** The kept check, only if its key and the hash of the register rows it read both match. */
export function recallCheck(uploadId: string, key: string, inputs: string): Preview | null {
  const e = entries.get(uploadId);
  return e && e.key === key && e.inputs === inputs ? e.preview : null;
}

export function keepCheck(uploadId: string, key: string, inputs: string, practiceCodes: string[], preview: Preview) {
  entries.delete(uploadId);
  if (preview.rowsRead > MAX_ROWS_HELD) return;
  entries.set(uploadId, { key, inputs, practiceCodes, preview, storedAt: Date.now() });
  prune(Date.now());
  sweepWhileKept();
}

export function forgetCheck(uploadId: string) {
  entries.delete(uploadId);
}

/** For tests: how many checks are kept. */
export const keptChecks = () => entries.size;
