import { sql, type Kysely } from "kysely";

/**
 * Cyber Essentials and Cyber Essentials Plus certificates per GP practice (issue 15; layout in
 * app/modules/cyber-essentials/parse.ts). A dated history: every certificate a file brought in
 * is kept, and SEC-05 reads the ones in force on a date. The same practice, level and
 * certificate number is one certificate, so importing a file twice adds nothing; a corrected
 * row (new body or dates for the same number) updates it.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table cyber_essentials_certificate (
      id bigserial primary key,
      practice_code text not null references practice (ods_code),
      level text not null check (level in ('ce', 'ce_plus')),
      certificate_number text not null,
      certification_body text,
      issued_on date not null,
      expires_on date not null check (expires_on > issued_on),
      source_file text not null,
      imported_at timestamptz not null default now(),
      imported_by integer references app_user (id),
      actor text,
      unique (practice_code, level, certificate_number)
    )`.execute(db);
  await sql`create index cyber_essentials_practice_idx on cyber_essentials_certificate (practice_code, expires_on desc)`.execute(db);
  // SEC-05 on the ICB pages follows this table: per-ICB change stamps, as for DSPT status.
  for (const [suffix, clause] of [
    [
      "ins",
      "after insert on cyber_essentials_certificate referencing new table as new_rows for each statement execute function icb_change_by_practice()",
    ],
    [
      "upd",
      "after update on cyber_essentials_certificate referencing old table as old_rows new table as new_rows for each statement execute function icb_change_by_practice()",
    ],
    [
      "del",
      "after delete on cyber_essentials_certificate referencing old table as old_rows for each statement execute function icb_change_by_practice()",
    ],
    ["trunc", "after truncate on cyber_essentials_certificate for each statement execute function icb_change_national()"],
  ]) {
    await sql.raw(`create trigger cyber_essentials_icb_change_${suffix} ${clause}`).execute(db);
  }
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists cyber_essentials_certificate`.execute(db);
}
