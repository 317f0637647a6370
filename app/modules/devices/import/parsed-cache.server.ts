import { registerKeptByUpload, sweepWhileKept } from "./kept-sweep.server";
import type { ParsedTable } from "./parse.server";

/**
 * Each upload's parsed rows, kept in this process from the upload to its check page so that a
 * 50,000-row file is not parsed a second time a moment later (and again on each reload of the
 * check page). An upload's content never changes after it is stored, so its id names one table;
 * the content's length is compared too. Another server process, or an expired entry, parses the
 * file again. Entries expire, the rows held are capped, and an import drops its upload's table
 * before it writes, so the cache never adds to the memory an import needs; a table whose upload
 * has been imported or cancelled by another process is dropped by kept-sweep.server.ts.
 */

const MAX_ROWS_HELD = 100_000;
const TTL_MS = 10 * 60_000;

const entries = new Map<string, { bytes: number; table: ParsedTable; storedAt: number }>();

/** Drops the entries past their time; returns the rows they held. */
function expire(now: number) {
  let rows = 0;
  for (const [id, e] of entries)
    if (now - e.storedAt > TTL_MS) {
      entries.delete(id);
      rows += e.table.rows.length;
    }
  return rows;
}

registerKeptByUpload({
  uploadIds: () => [...entries.keys()],
  expire,
  drop(ids) {
    let rows = 0;
    for (const id of ids) {
      rows += entries.get(id)?.table.rows.length ?? 0;
      entries.delete(id);
    }
    return rows;
  },
});

function prune(now: number) {
  expire(now);
  let held = [...entries.values()].reduce((n, e) => n + e.table.rows.length, 0);
  // Oldest first: a Map iterates in insertion order.
  for (const [id, e] of entries) {
    if (held <= MAX_ROWS_HELD) break;
    entries.delete(id);
    held -= e.table.rows.length;
  }
}

export function keepParsed(uploadId: string, content: Uint8Array, table: ParsedTable) {
  entries.delete(uploadId);
  if (table.rows.length > MAX_ROWS_HELD) return;
  entries.set(uploadId, { bytes: content.length, table, storedAt: Date.now() });
  prune(Date.now());
  sweepWhileKept();
}

/** The kept table of this upload, if its content is the one kept. */
export function recallParsed(uploadId: string, content: Uint8Array): ParsedTable | null {
  prune(Date.now());
  const e = entries.get(uploadId);
  return e && e.bytes === content.length ? e.table : null;
}

export function forgetParsed(uploadId: string) {
  entries.delete(uploadId);
}

/** For tests: how many parsed tables are kept. */
export const keptParsed = () => entries.size;
