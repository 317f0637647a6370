import { sql, type Kysely } from "kysely";

/**
 * Values an importer mapped by hand (issue 17): "Desktops" in a file's type column means
 * desktop, for this user, from now on. Keyed by user, column and the value as the file writes
 * it (lower case, spaces squashed); `practice_code` is '' except for sites, whose names belong
 * to one practice. The target is checked against the column's allowed values when saved and
 * again, through the row checks, whenever it is applied.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table import_value_mapping (
      id serial primary key,
      user_id integer not null references app_user (id) on delete cascade,
      column_name text not null check (length(column_name) between 1 and 40),
      practice_code text not null default '' check (length(practice_code) <= 10),
      source_value text not null check (length(source_value) between 1 and 200),
      source_label text not null check (length(source_label) between 1 and 200),
      target_value text not null check (length(target_value) <= 60),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      unique (user_id, column_name, practice_code, source_value)
    )`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists import_value_mapping`.execute(db);
}
