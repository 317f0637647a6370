/**
 * Imports NHS organisation files (epraccur, ebranchs, ePCN.xlsx, GPAD mapping, list sizes, GP IT
 * and GP2GP supplier lists) into the configured database.
 *
 *   npm run ods:import -- [--json] [--dry-run] [--only-icb QMF] [--icb-successions-2026-04] FILE...
 *
 * Kinds are detected from content. Files that create practices (GPAD mapping, epraccur) are
 * imported first, the ODS successor file (succ.csv) last, the rest in the order given. Running
 * it again with newer files updates the register (docs/ods.md). --dry-run works out and prints
 * every change and writes nothing (each file is judged against the database as it is, not as
 * the files before it would leave it). --icb-successions-2026-04 applies the ICB mergers of
 * 1 April 2026 (app/modules/ods/icb-successions.ts) after the files. --json prints one JSON object on stdout and
 * nothing else (use `npm run -s` so npm's own banner stays off stdout too); progress goes to stderr.
 * Exit code 1 when a file cannot be read or recognised (nothing is imported then) or an import fails.
 */
import fs from "node:fs/promises";
import path from "node:path";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { detectFile, type DetectedFile } from "~/modules/ods/detect";
import { ICB_SUCCESSIONS_2026_04_SOURCE, icbSuccessionsCsv } from "~/modules/ods/icb-successions";
import { importOdsFile, importOrder } from "~/modules/ods/service.server";
import { englandCounts, type EnglandCounts } from "~/modules/ods/summary-repository.server";
import type { EntityCounts, ImportResult, OdsCountEntity } from "~/modules/ods/types";
import { getEnv } from "~/utils/env.server";

const KIND_LABEL: Record<DetectedFile["kind"], string> = {
  epraccur: "ODS epraccur (GP practices)",
  ebranchs: "ODS ebranchs (branch surgeries)",
  "gpad-mapping": "GPAD practice mapping",
  epcn: "ODS ePCN workbook",
  "list-size": "patients registered at a GP practice",
  "gp-it-suppliers": "NHS Digital GP IT suppliers",
  "gp2gp-suppliers": "GP2GP 2019 supplier list",
  successors: "ODS successor organisations (succ.csv)",
};

function parseArgs(argv: string[]) {
  const files: string[] = [];
  let json = false;
  let onlyIcb: string | undefined;
  let dryRun = false;
  let icbSuccessions = false;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--json") json = true;
    else if (a === "--dry-run") dryRun = true;
    else if (a === "--icb-successions-2026-04") icbSuccessions = true;
    else if (a === "--only-icb") onlyIcb = argv[++i];
    else if (a.startsWith("--only-icb=")) onlyIcb = a.slice("--only-icb=".length);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}`);
    else files.push(a);
  }
  if (files.length === 0 && !icbSuccessions)
    throw new Error("usage: npm run ods:import -- [--json] [--dry-run] [--only-icb CODE] [--icb-successions-2026-04] FILE...");
  if (onlyIcb !== undefined && !/^[A-Z0-9]{3,5}$/.test(onlyIcb)) throw new Error(`--only-icb needs an ICB code such as QMF`);
  return { files, json, onlyIcb, dryRun, icbSuccessions };
}

const n = (v: number) => v.toLocaleString("en-GB");

function totalsOf(results: ImportResult[]) {
  const totals: Partial<Record<OdsCountEntity, EntityCounts>> = {};
  for (const r of results) {
    for (const [entity, c] of Object.entries(r.counts) as [OdsCountEntity, EntityCounts][]) {
      const t = (totals[entity] ??= { created: 0, updated: 0, unchanged: 0, rejected: 0 });
      t.created += c.created;
      t.updated += c.updated;
      t.unchanged += c.unchanged;
      t.rejected += c.rejected;
    }
  }
  return totals;
}

function printResult(r: ImportResult, seconds: number) {
  const lines = [
    `\n${r.file} — ${KIND_LABEL[r.kind]} (${r.kind}), ${seconds.toFixed(1)} s${r.dryRun ? " — DRY RUN, nothing written" : ""}`,
  ];
  lines.push(`  ${"".padEnd(24)}${["created", "updated", "unchanged", "rejected"].map((h) => h.padStart(10)).join("")}`);
  for (const [entity, c] of Object.entries(r.counts) as [string, EntityCounts][]) {
    lines.push(`  ${entity.padEnd(24)}${[c.created, c.updated, c.unchanged, c.rejected].map((v) => n(v).padStart(10)).join("")}`);
  }
  const skippedTotal = r.skipped.reduce((s, k) => s + k.count, 0);
  if (skippedTotal) {
    lines.push(`  skipped ${n(skippedTotal)} rows:`);
    for (const s of r.skipped) lines.push(`    ${s.reason}: ${n(s.count)}`);
  }
  const rejectedTotal = Object.values(r.counts).reduce((s, c) => s + (c?.rejected ?? 0), 0);
  if (rejectedTotal) {
    lines.push(`  rejected ${n(rejectedTotal)} rows (fix them in the file and import it again):`);
    for (const x of r.rejected.slice(0, 20)) lines.push(`    row ${x.row}: ${x.message}`);
    if (rejectedTotal > 20) lines.push(`    … ${n(rejectedTotal - 20)} more (--json lists up to 200)`);
  }
  for (const note of r.notes) lines.push(`  note: ${note}`);
  if (r.dryRun && r.changes?.length) {
    lines.push(`  would change:`);
    for (const c of r.changes.slice(0, 50))
      lines.push(`    ${c.action} ${c.entityType} ${c.entityId}${c.after ? ` ${JSON.stringify(c.after)}` : ""}`);
    if (r.changes.length > 50) lines.push(`    … more (--json lists up to 200)`);
  }
  console.log(lines.join("\n"));
}

function printEngland(e: EnglandCounts) {
  console.log(
    [
      "\nEngland, as now held in the database:",
      `  active GP practices:     ${n(e.activePractices)} (${n(e.practicesWithListSize)} with a list size, ${n(e.patients)} registered patients)`,
      `  closed / dormant / proposed GP practices: ${n(e.closedPractices)} / ${n(e.dormantPractices)} / ${n(e.proposedPractices)}`,
      `  PCNs open (closed):      ${n(e.pcnsOpen)} (${n(e.pcnsClosed)})`,
      `  regions / ICBs / sub-ICBs with active practices: ${n(e.regions)} / ${n(e.icbs)} / ${n(e.subIcbs)}`,
      `  Welsh practices held:    ${n(e.welshPractices)} (${n(e.activeWelshPractices)} active)`,
      "Welsh practices and non-GP rows (prescribing setting other than 4) are kept out of the practice counts above.",
    ].join("\n"),
  );
}

async function main(): Promise<number> {
  let args: ReturnType<typeof parseArgs>;
  try {
    args = parseArgs(process.argv.slice(2));
  } catch (e) {
    console.error((e as Error).message);
    return 1;
  }
  const log = (line: string) => console.error(line);

  // Read and recognise every file before touching the database, so a typo imports nothing.
  const inputs: { fileName: string; content: Buffer; detected: DetectedFile }[] = [];
  let unreadable = false;
  for (const file of args.files) {
    try {
      const content = await fs.readFile(file);
      inputs.push({ fileName: path.basename(file), content, detected: await detectFile(path.basename(file), content) });
    } catch (e) {
      log(`cannot import ${file}: ${(e as Error).message}`);
      unreadable = true;
    }
  }
  if (unreadable) return 1;
  inputs.sort((a, b) => importOrder(a.detected.kind) - importOrder(b.detected.kind));
  if (args.icbSuccessions)
    inputs.push({ fileName: ICB_SUCCESSIONS_2026_04_SOURCE, content: icbSuccessionsCsv(), detected: { kind: "successors" } });

  const handle = createDbFromEnv(getEnv());
  try {
    await migrateToLatest(handle.db, log);
    const results: ImportResult[] = [];
    for (const input of inputs) {
      const started = Date.now();
      if (args.json) log(`importing ${input.fileName} (${input.detected.kind})…`);
      const result = await importOdsFile(handle.db, { ...input, userId: null, onlyIcb: args.onlyIcb, dryRun: args.dryRun });
      results.push(result);
      if (!args.json) printResult(result, (Date.now() - started) / 1000);
    }
    const england = await englandCounts(handle.db);
    if (args.json) console.log(JSON.stringify({ files: results, totals: totalsOf(results), england }));
    else printEngland(england);
    return 0;
  } catch (e) {
    log(`import failed, the file being imported was rolled back: ${(e as Error).message}`);
    return 1;
  } finally {
    await handle.db.destroy();
  }
}

process.exitCode = await main();
