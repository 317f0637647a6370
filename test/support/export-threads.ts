/**
 * What the export-thread tests share: reading a body whole, an XLSX's parts as text, the export
 * threads' open database connections, and waiting for a condition.
 */
import JSZip from "jszip";
import { sql } from "kysely";
import { getDb } from "~/utils/db.server";
import { EXPORT_APPLICATION_NAME } from "~/utils/export-thread-protocol";

export const readAll = async (body: ReadableStream<Uint8Array>) => Buffer.from(await new Response(body).arrayBuffer());

/** An XLSX's parts as text, the workbook's creation time left out (it is the moment it was written). */
export async function xlsxParts(bytes: Buffer) {
  const zip = await JSZip.loadAsync(bytes);
  const parts: Record<string, string> = {};
  for (const name of Object.keys(zip.files).sort())
    parts[name] = (await zip.files[name].async("string")).replace(/<dcterms:(created|modified)[^>]*>[^<]*</g, "<dcterms:$1><");
  return parts;
}

/** Connections the export threads hold open on the test database. */
export async function exportConnections() {
  const r = await sql<{ n: number }>`
    select count(*)::int as n from pg_stat_activity
    where application_name = ${EXPORT_APPLICATION_NAME} and datname = current_database()`.execute(getDb());
  return r.rows[0].n;
}

export async function until(check: () => Promise<boolean> | boolean, ms = 10_000) {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error("timed out waiting");
    await new Promise((r) => setTimeout(r, 20));
  }
}
