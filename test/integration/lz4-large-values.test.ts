import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { getDb } from "~/utils/db.server";
import { down, up } from "#db/migrations/2026-12-06T10-30-00_lz4_large_values";

// Results' evidence and uploaded files are compressed with lz4 where the server has it (issue 12,
// session 15: pglz compressing a re-check's evidence was about a fifth of the database's CPU for
// those writes). PGlite has no lz4 and keeps the default; the migration must pass on both.

async function compression(table: string, column: string) {
  const { rows } = await sql<{ c: string }>`
    select attcompression::text as c from pg_attribute where attrelid = ${table}::regclass and attname = ${column}`.execute(getDb());
  return rows[0].c;
}

describe("compression of large values", () => {
  it("uses lz4 for results' evidence and uploaded files where the server has it, and the default otherwise", async () => {
    const { rows } = await sql<{ lz4: boolean }>`
      select coalesce(bool_or('lz4' = any(enumvals)), false) as lz4 from pg_settings where name = 'default_toast_compression'`.execute(
      getDb(),
    );
    const expected = rows[0].lz4 ? "l" : "";
    expect(await compression("evaluation_result", "evidence")).toBe(expected);
    expect(await compression("import_upload", "content")).toBe(expected);
    // Other columns keep the server's default.
    expect(await compression("evaluation_result", "units")).toBe("");
  });

  it("goes down to the default and up again, as often as it is run", async () => {
    const before = await compression("evaluation_result", "evidence");
    await down(getDb());
    expect(await compression("evaluation_result", "evidence")).toBe("");
    expect(await compression("import_upload", "content")).toBe("");
    await up(getDb());
    await up(getDb());
    expect(await compression("evaluation_result", "evidence")).toBe(before);
    expect(await compression("import_upload", "content")).toBe(before);
  });
});
