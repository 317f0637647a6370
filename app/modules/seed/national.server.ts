import fs from "node:fs/promises";
import path from "node:path";
import { sql } from "kysely";
import type { Db } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { defaultOdsDataDir, NEL_DEMO_FILES } from "~/modules/ods/demo.server";
import { importOdsFile } from "~/modules/ods/service.server";
import type { ImportResult } from "~/modules/ods/types";
import { todayIso } from "~/utils/today";
import { seedDemo, type DemoSeedOptions } from "./demo.server";
import { seedEstate } from "./estate.server";

/**
 * Device density for the national dataset relative to the demo. At the demo's density (1) all
 * of England would come to about 800,000 devices; 0.4 gives about 325,000 for the practices
 * outside North East London (which keeps the demo's density), about 360,000 in all: inside the
 * 250,000-400,000 a national estate of about 6,200 practices is expected to hold.
 */
export const NATIONAL_DEVICE_SCALE = 0.4;
export const NATIONAL_SEED = 20261121;

export interface NationalSeedOptions extends DemoSeedOptions {
  /** Seed for the generator: the same seed gives the same estate on every machine. */
  seed?: number;
  deviceScale?: number;
  /** Date the compliance check is run for (default today). */
  asOf?: string;
}

/** The English practices that get synthetic estate: active GP practices in England. */
export async function englishPracticeCodes(db: Db): Promise<string[]> {
  const rows = await db
    .selectFrom("practice")
    .select("ods_code")
    .where("status", "=", "A")
    .where("country", "=", "England")
    .orderBy("ods_code")
    .execute();
  return rows.map((r) => r.ods_code);
}

/**
 * Imports every NHS file for all of England (no ICB restriction), in the same dependency order
 * as the demo: GPAD mapping and epraccur create practices, then PCNs, list sizes (2021 for
 * England, then the newer North East London extract), branch surgeries and suppliers.
 */
export async function importEngland(
  db: Db,
  dataDir = defaultOdsDataDir(),
  log: (line: string) => void = () => {},
): Promise<ImportResult[]> {
  const results: ImportResult[] = [];
  for (const fileName of NEL_DEMO_FILES) {
    const file = path.join(dataDir, fileName);
    const content = await fs.readFile(file).catch((e: Error) => {
      throw new Error(`National data: cannot read ${file} (set ODS_DATA_DIR to the folder holding the NHS files): ${e.message}`);
    });
    const t0 = performance.now();
    const r = await importOdsFile(db, { fileName, content, userId: null });
    log(`  ${fileName}: ${summarise(r)} (${((performance.now() - t0) / 1000).toFixed(1)} s)`);
    results.push(r);
  }
  return results;
}

/**
 * The national dataset: the demo first (its sign-ins and North East London estate, unchanged),
 * then every English practice, PCN, sub-ICB and ICB from the NHS files, synthetic estate for
 * every English practice that has none yet (same generator, `deviceScale` density), and a
 * compliance check of every practice. Safe to run again: nothing already there is regenerated.
 */
export async function seedNational(db: Db, opts: NationalSeedOptions) {
  const log = opts.log ?? (() => {});
  const seed = opts.seed ?? NATIONAL_SEED;
  const deviceScale = opts.deviceScale ?? NATIONAL_DEVICE_SCALE;
  const started = performance.now();
  const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;

  log("Step 1 of 4: the demo (North East London and the demo sign-ins)…");
  await seedDemo(db, { ...opts, log: (l) => log(`  ${l}`) });

  log(`Step 2 of 4: every English practice, PCN, sub-ICB and ICB from the NHS files… (${elapsed()})`);
  await importEngland(db, defaultOdsDataDir(), log);

  const codes = await englishPracticeCodes(db);
  log(
    `Step 3 of 4: synthetic estate for ${codes.length.toLocaleString("en-GB")} English practices (seed ${seed}, device scale ${deviceScale})… (${elapsed()})`,
  );
  let lastTenth = -1;
  const estate = await seedEstate(db, codes, {
    seed,
    deviceScale,
    onProgress: (done, total) => {
      const tenth = Math.floor((done / total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        log(`  ${done.toLocaleString("en-GB")} of ${total.toLocaleString("en-GB")} practices generated (${elapsed()})`);
      }
    },
  });
  log(
    `  ${estate.practices.toLocaleString("en-GB")} practices given estate: ${estate.devices.toLocaleString("en-GB")} devices, ` +
      `${estate.telephony.toLocaleString("en-GB")} telephony systems, ${estate.services.toLocaleString("en-GB")} digital service records, ` +
      `${estate.sites.toLocaleString("en-GB")} sites (practices that already had estate were left as they were).`,
  );

  // Hundreds of thousands of new rows: refresh the planner's statistics now rather than whenever
  // autovacuum gets to them (PGlite has none), so the first queries get sensible plans.
  await sql`analyze`.execute(db);

  const asOf = opts.asOf ?? todayIso();
  log(`Step 4 of 4: checking every practice against the operating model for ${asOf}… (${elapsed()})`);
  lastTenth = -1;
  const evaluation = await evaluateScope(db, { all: true }, asOf, {
    onProgress: (p) => {
      const tenth = Math.floor((p.done / p.total) * 10);
      if (tenth !== lastTenth) {
        lastTenth = tenth;
        log(`  ${p.done.toLocaleString("en-GB")} of ${p.total.toLocaleString("en-GB")} practices checked (${elapsed()})`);
      }
    },
  });
  log(`  ${evaluation.counts.written.toLocaleString("en-GB")} results stored.`);
  await sql`analyze`.execute(db);
  const totals = await nationalCounts(db);
  log(
    `Done in ${elapsed()}: ${totals.icbs} ICBs, ${totals.subIcbs} sub-ICB locations, ${totals.pcns.toLocaleString("en-GB")} open PCNs, ` +
      `${totals.practices.toLocaleString("en-GB")} active English practices, ${totals.devices.toLocaleString("en-GB")} devices.`,
  );
  return { estate, evaluation: evaluation.counts, totals };
}

/** What the national dataset holds, in one query: ICBs and sub-ICBs are those with an active English practice. */
export async function nationalCounts(db: Db) {
  const row = await db
    .selectNoFrom((eb) => [
      eb
        .selectFrom("practice")
        .select((e) => e.fn.count<number>("icb_code").distinct().as("n"))
        .where("status", "=", "A")
        .where("country", "=", "England")
        .as("icbs"),
      eb
        .selectFrom("practice")
        .select((e) => e.fn.count<number>("sub_icb_code").distinct().as("n"))
        .where("status", "=", "A")
        .where("country", "=", "England")
        .as("subIcbs"),
      eb
        .selectFrom("pcn")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("close_date", "is", null)
        .as("pcns"),
      eb
        .selectFrom("practice")
        .select((e) => e.fn.countAll<number>().as("n"))
        .where("status", "=", "A")
        .where("country", "=", "England")
        .as("practices"),
      eb
        .selectFrom("device")
        .select((e) => e.fn.countAll<number>().as("n"))
        .as("devices"),
    ])
    .executeTakeFirstOrThrow();
  return {
    icbs: Number(row.icbs),
    subIcbs: Number(row.subIcbs),
    pcns: Number(row.pcns),
    practices: Number(row.practices),
    devices: Number(row.devices),
  };
}

function summarise(r: ImportResult) {
  return Object.entries(r.counts)
    .map(([entity, c]) => `${entity} +${c.created} ~${c.updated} =${c.unchanged}${c.rejected ? ` !${c.rejected}` : ""}`)
    .join(", ");
}
