import { UploadRowsCache } from "./kept-sweep.server";
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

const cache = new UploadRowsCache<{ bytes: number; table: ParsedTable }>({
  rowsOf: (e) => e.table.rows.length,
  maxRows: 100_000,
  ttlMs: 10 * 60_000,
});

export function keepParsed(uploadId: string, content: Uint8Array, table: ParsedTable) {
  cache.keep(uploadId, { bytes: content.length, table });
}

/** The kept table of this upload, if its content is the one kept. */
export function recallParsed(uploadId: string, content: Uint8Array): ParsedTable | null {
  const e = cache.get(uploadId);
  return e && e.bytes === content.length ? e.table : null;
}

export function forgetParsed(uploadId: string) {
  cache.forget(uploadId);
}

/** For tests: how many parsed tables are kept. */
export const keptParsed = () => cache.size;
