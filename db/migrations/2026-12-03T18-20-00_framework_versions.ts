import { sql, type Kysely } from "kysely";

// Frozen: never import application code here (issue #13 item 8).
//
// Framework versions: the 2021-23 operating model and the 2026 one with its ICB-practice
// agreement, each with an effective date and source. Requirements record the version they
// came from and every version that holds them (with that version's wording and sources). The
// rows are written by the catalogue sync (app/modules/compliance/catalogue.server.ts) from the
// typed catalogue, as the requirement rows are. Which version an ICB has in force is its local
// policy (`icb_policy` key `framework_version`), already versioned, audited and change-stamped.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("framework_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("framework_id", "text", (c) => c.notNull().references("framework.id"))
    .addColumn("sort_order", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("effective_from", "date", (c) => c.notNull())
    .addColumn("effective_from_unconfirmed", "boolean", (c) => c.notNull().defaultTo(false))
    .addColumn("effective_from_note", "text")
    .addColumn("sources", "jsonb", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  // Today's catalogue is the 2021-23 model; the sync fills the real values on the next start.
  await db.schema
    .alterTable("requirement")
    .addColumn("introduced_in", "text", (c) => c.notNull().defaultTo("2021-23"))
    .addColumn("versions", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();

  // National reference data, like framework and requirement: every ICB's cached figures depend
  // on it (see 2026-12-03T14-30-00_icb_change.ts).
  const t = "framework_version";
  await sql
    .raw(
      `create trigger ${t}_icb_change_ins after insert on ${t} referencing new table as new_rows for each statement execute function icb_change_national_rows()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${t}_icb_change_upd after update on ${t} referencing old table as old_rows new table as new_rows for each statement execute function icb_change_national_rows()`,
    )
    .execute(db);
  await sql
    .raw(
      `create trigger ${t}_icb_change_del after delete on ${t} referencing old table as old_rows for each statement execute function icb_change_national_rows()`,
    )
    .execute(db);
  await sql
    .raw(`create trigger ${t}_icb_change_trunc after truncate on ${t} for each statement execute function icb_change_national()`)
    .execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.alterTable("requirement").dropColumn("versions").dropColumn("introduced_in").execute();
  await db.schema.dropTable("framework_version").ifExists().execute();
}
