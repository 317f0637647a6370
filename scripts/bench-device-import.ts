/**
 * Times a 50,000-row device import on a scratch database, through the same code as the import
 * page and the command line:
 *
 *   npx tsx scripts/bench-device-import.ts            # embedded PGlite, in memory
 *   DATABASE_URL=postgres://… npx tsx scripts/bench-device-import.ts   # a scratch database beside it
 *
 * Prints seconds and rows per second for: checking the file (preview), importing it (all new),
 * importing it again (all unchanged), and importing a changed copy (all updated). On PostgreSQL
 * it creates `<database>_bench_import` and drops it afterwards.
 */
import pg from "pg";
import { sql } from "kysely";
import { createPgliteDb, createPostgresDb, type DbHandle } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { commitDeviceImport } from "~/modules/devices/import/commit.server";
import { autoMap } from "~/modules/devices/import/map";
import { parseUpload } from "~/modules/devices/import/parse.server";
import { buildPreview } from "~/modules/devices/import/service.server";
import { IMPACT_PRACTICES, impactPreview } from "~/modules/devices/import/impact.server";

const ROWS = Number(process.env.BENCH_ROWS ?? 50_000);
const PRACTICES = 500;

async function scratchDb(): Promise<{ handle: DbHandle; drop: () => Promise<void> }> {
  const url = process.env.DATABASE_URL;
  if (!url) {
    const handle = createPgliteDb();
    return { handle, drop: async () => handle.db.destroy() };
  }
  const base = new URL(url);
  const name = `${base.pathname.slice(1) || "postgres"}_bench_import`;
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`drop database if exists "${name}"`);
  await admin.query(`create database "${name}"`);
  await admin.end();
  base.pathname = `/${name}`;
  const handle = createPostgresDb(base.toString(), 4);
  return {
    handle,
    drop: async () => {
      await handle.db.destroy();
      const a = new pg.Client({ connectionString: url });
      await a.connect();
      await a.query(`drop database if exists "${name}"`);
      await a.end();
    },
  };
}

function csvFor(rows: number, patched: string) {
  const lines = [
    "Practice Code;Asset No;Serial Number;Device Type;Manufacturer;Model;Operating System;Purchase Date;Warranty Expiry;Status;Encrypted;Last Patched;RAM (GB);Notes",
  ];
  for (let i = 0; i < rows; i++) {
    const practice = `Z${String(i % PRACTICES).padStart(5, "0")}`;
    const laptop = i % 3 === 0;
    lines.push(
      [
        practice,
        `AT-${i}`,
        `SN${String(i * 7919).padStart(9, "0")}`,
        laptop ? "Laptop" : "Desktop",
        laptop ? "Lenovo" : "Dell",
        laptop ? "ThinkPad T14" : '"OptiPlex, 7090"',
        i % 5 === 0 ? "Microsoft Windows 10 Pro 10.0.19045" : "Microsoft Windows 11 Enterprise 10.0.22631",
        `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/2022`,
        `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/2027`,
        "In use",
        i % 2 ? "Y" : "N",
        patched,
        String(8 * ((i % 4) + 1)),
        i % 10 === 0 ? '"Reception; desk 2"' : "",
      ].join(";"),
    );
  }
  return new TextEncoder().encode(lines.join("\r\n") + "\r\n");
}

async function main() {
  const { handle, drop } = await scratchDb();
  const db = handle.db;
  try {
    await migrateToLatest(db);
    await db.insertInto("region").values({ code: "Y99", name: "Bench" }).execute();
    await db.insertInto("icb").values({ code: "QZZ", name: "Bench ICB", region_code: "Y99" }).execute();
    await db
      .insertInto("practice")
      .values(
        Array.from({ length: PRACTICES }, (_, i) => ({
          ods_code: `Z${String(i).padStart(5, "0")}`,
          name: `Bench practice ${i}`,
          icb_code: "QZZ",
          region_code: "Y99",
        })) as never,
      )
      .execute();
    const ctx = { scope: { all: false as const, icbCodes: ["QZZ"], practiceCodes: [] }, fixedPractice: null, asOf: "2026-11-21" };
    console.log(`${ROWS.toLocaleString("en-GB")} rows across ${PRACTICES} practices on ${handle.kind}`);

    const time = async <T>(label: string, fn: () => Promise<T>) => {
      const t0 = performance.now();
      const r = await fn();
      const s = (performance.now() - t0) / 1000;
      console.log(
        `  ${label.padEnd(40)} ${s.toFixed(2).padStart(7)} s  ${Math.round(ROWS / s)
          .toLocaleString("en-GB")
          .padStart(8)} rows/s`,
      );
      return r;
    };
    const run = async (content: Uint8Array) => {
      const table = await parseUpload(content);
      return commitDeviceImport(db, {
        ...ctx,
        check: (trx) => buildPreview(trx, table, autoMap(table.headers), ctx),
        fileName: "bench.csv",
        userId: null,
      });
    };

    const first = csvFor(ROWS, "01/11/2026");
    const checked = await time("check only (parse + preview)", async () => {
      const table = await parseUpload(first);
      const p = await buildPreview(db, table, autoMap(table.headers), ctx);
      if (p.counts.create !== ROWS) throw new Error(`expected ${ROWS} creates, got ${JSON.stringify(p.counts)}`);
      return p;
    });
    // The check page's impact preview: the rules in memory for the practices changing most.
    const impact = await time(`impact preview (${IMPACT_PRACTICES} of ${PRACTICES} practices)`, () => impactPreview(db, checked, ctx.asOf));
    console.log(`  impact: ${impact.practices.length} practices shown of ${impact.practiceCount}, rules ${impact.computedMs} ms`);
    const created = await time("import: all new (insert + audit)", () => run(first));
    const changed = csvFor(ROWS, "15/11/2026");
    await time("check + impact of a changed copy", async () => {
      const table = await parseUpload(changed);
      const p = await buildPreview(db, table, autoMap(table.headers), ctx);
      return impactPreview(db, p, ctx.asOf);
    });
    const again = await time("import again: all unchanged", () => run(first));
    const updated = await time("import changed copy: all updated", () => run(changed));
    console.log(`  counts: created ${created.counts.created}, unchanged ${again.counts.unchanged}, updated ${updated.counts.updated}`);
    const audit = await sql<{ n: number }>`select count(*) as n from audit_event`.execute(db);
    console.log(`  audit events written: ${audit.rows[0].n.toLocaleString("en-GB")}`);
  } finally {
    await drop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
