import { sql, type Kysely } from "kysely";

// Frozen: uploaded import files kept between preview and commit (issue 3). Never import application code here.
export async function up(db: Kysely<any>): Promise<void> {
  // The file itself, as uploaded: the preview and the commit both re-read it from here, so the
  // browser never carries parsed rows between the two steps.
  await db.schema
    .createTable("import_upload")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("user_id", "integer", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("content", "bytea", (c) => c.notNull())
    // Set when the upload started from one practice's page: rows default to that practice.
    .addColumn("practice_code", "text")
    // The column mapping chosen for this upload: [{ header, target }] in file order.
    .addColumn("mapping", "jsonb")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("import_upload_user_idx").on("import_upload").columns(["user_id", "created_at"]).execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.schema.dropTable("import_upload").ifExists().execute();
}
