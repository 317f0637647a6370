/**
 * The device import's check alone: validateRecords on the benchmark's file (importCsv, 50,000
 * rows over 500 practices, every row a new device), with the CPU each call took. No database:
 * for A/B comparisons of the check on a busy machine, run alternately against another checkout.
 *
 *   npx tsx scripts/bench-validate.ts [calls=4] [rows=50000]
 */
import os from "node:os";
import { applyMapping, autoMap } from "~/modules/devices/import/map";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { validateRecords } from "~/modules/devices/import/validate";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { importCsv } from "./bench-db";

const calls = Number(process.argv[2] ?? 4);
const rows = Number(process.argv[3] ?? 50_000);
const practices = Array.from({ length: 500 }, (_, i) => `P${String(i).padStart(5, "0")}`);
const table = parseCsvText(importCsv(rows, practices).toString("utf8"));
const mapping = autoMap(table.headers);
const records = applyMapping(table.rows, mapping);
const ctx = {
  mapping,
  scope: { all: true as const },
  fixedPractice: null,
  practices: new Map(practices.map((p) => [p, { ods_code: p, icb_code: "QMF" }])),
  sites: new Map(practices.map((p) => [p, [{ code: p, name: "Main" }]])),
  devices: [],
  lifecycle: indexLifecycle([]),
  asOf: "2026-12-06",
};
for (let i = 0; i < calls; i++) {
  const start = process.cpuUsage();
  const preview = validateRecords(records, ctx);
  const cpu = process.cpuUsage(start);
  const load = os.loadavg().map((x) => x.toFixed(1));
  console.log(
    `call ${i + 1}: ${((cpu.user + cpu.system) / 1000).toFixed(0)} ms CPU, ${JSON.stringify(preview.counts)}, load ${load.join(" ")}`,
  );
}
