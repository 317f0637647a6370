import { sql } from "kysely";
import type { Db } from "#db/connect";
import type { CeRow } from "./parse";

export const KIND = "cyber_essentials";

/** The practices among `codes` that exist, with their ICB, for the scope check. */
export function findPractices(db: Db, codes: string[]) {
  if (codes.length === 0) return Promise.resolve([] as { ods_code: string; icb_code: string | null }[]);
  return db.selectFrom("practice").select(["ods_code", "icb_code"]).where("ods_code", "in", codes).execute();
}

/**
 * Adds each certificate, or updates one already held under the same practice, level and number
 * when the file corrects its body or dates; an identical row is left alone. Returns the
 * practice code of every row that was written and whether it was new (xmax = 0 is PostgreSQL's
 * mark of a row this statement inserted rather than updated).
 */
export async function upsertCertificates(trx: Db, rows: CeRow[], file: { fileName: string; userId: number | null; actor: string | null }) {
  if (rows.length === 0) return [];
  const data = rows.map((r) => ({
    practice_code: r.practiceCode,
    level: r.level,
    certificate_number: r.certificateNumber,
    certification_body: r.body,
    issued_on: r.issuedOn,
    expires_on: r.expiresOn,
  }));
  const r = await sql<{ practice_code: string; inserted: boolean }>`
    insert into cyber_essentials_certificate as c (practice_code, level, certificate_number, certification_body, issued_on, expires_on, source_file, imported_by, actor)
    select x.practice_code, x.level, x.certificate_number, x.certification_body, x.issued_on, x.expires_on, ${file.fileName}, ${file.userId}, ${file.actor}
    from jsonb_to_recordset(${JSON.stringify(data)}::jsonb)
      as x(practice_code text, level text, certificate_number text, certification_body text, issued_on date, expires_on date)
    on conflict (practice_code, level, certificate_number) do update
      set certification_body = excluded.certification_body, issued_on = excluded.issued_on, expires_on = excluded.expires_on,
          source_file = excluded.source_file, imported_at = now(), imported_by = excluded.imported_by, actor = excluded.actor
      where (c.certification_body, c.issued_on, c.expires_on) is distinct from (excluded.certification_body, excluded.issued_on, excluded.expires_on)
    returning c.practice_code, (xmax = 0) as inserted`.execute(trx);
  return r.rows;
}

/** A practice's certificates, latest expiry first, for its page. */
export function listCertificates(db: Db, practiceCode: string, limit = 20) {
  return db
    .selectFrom("cyber_essentials_certificate")
    .select(["id", "level", "certificate_number", "certification_body", "issued_on", "expires_on", "source_file", "imported_at"])
    .where("practice_code", "=", practiceCode)
    .orderBy("expires_on", "desc")
    .orderBy("id", "desc")
    .limit(limit)
    .execute();
}

/** Certificates of many practices at once, for the compliance check (a few rows a year each). */
export function certificatesFor(db: Db, practiceCodes: string[]) {
  if (practiceCodes.length === 0) return Promise.resolve([]);
  return db
    .selectFrom("cyber_essentials_certificate")
    .select(["id", "practice_code", "level", "certificate_number", "certification_body", "issued_on", "expires_on"])
    .where("practice_code", "in", practiceCodes)
    .execute();
}
