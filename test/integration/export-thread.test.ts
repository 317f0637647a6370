import fs from "node:fs";
import { parse } from "csv-parse/sync";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { DEVICE_EXPORT } from "~/modules/devices/export.server";
import { GAP_EXPORT, gapExportResponse, type GapExportParams } from "~/modules/gaps/export.server";
import { parseGapFilters } from "~/modules/gaps/register";
import { getDb } from "~/utils/db.server";
import { EXPORT_THREAD_NICE } from "~/utils/export-thread-protocol";
import { exportBody, exportsUnderWay } from "~/utils/export-thread.server";
import type { Scope } from "~/utils/permissions";
import { exportConnections, readAll, until, xlsxParts } from "../support/export-threads";
import { isolatePerFile } from "../support/isolation";
import { seedOrgs } from "../support/factories";
import { fortyPracticesWithEstate } from "../support/forty-practices";

isolatePerFile("export threads read over connections of their own on PostgreSQL");

// Issue 12, "busy service": on PostgreSQL a streamed export is read and encoded in a worker
// thread at a lower priority, one at a time per process, and gives the same bytes as in-process.
// 40 practices with the demo generator's estate, evaluated, so the files run to several chunks.
const onPostgres = !!process.env.DATABASE_URL;
const today = "2026-12-06";
const ALL: Scope = { all: true };
const PM: Scope = { all: false, icbCodes: [], practiceCodes: ["F84003"] };
const gapParams = (format: "csv" | "xlsx", scope: Scope = ALL, batchSize = 50): GapExportParams => ({
  scope,
  filters: parseGapFilters(new URLSearchParams()).filters,
  format,
  today,
  batchSize,
});

beforeAll(async () => {
  if (!onPostgres) return;
  const db = getDb();
  await fortyPracticesWithEstate(db);
  await evaluateScope(db, { all: true }, today);
}, 120_000);

/** A thread's nice value (Linux: field 19 of /proc/self/task/TID/stat). */
function niceOf(tid: string | number) {
  const stat = fs.readFileSync(`/proc/self/task/${tid}/stat`, "utf8");
  return Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[16]);
}
/** Nice values of this process's threads. */
const threadNices = () => fs.readdirSync("/proc/self/task").map(niceOf);

describe.skipIf(!onPostgres)("streamed exports in an export thread (PostgreSQL)", () => {
  it("the gap register's CSV from the thread is byte for byte the in-process one", async () => {
    const local = await readAll(await GAP_EXPORT.body(getDb(), gapParams("csv")));
    const threaded = await readAll(await exportBody(getDb(), GAP_EXPORT, gapParams("csv")));
    expect(local.length).toBeGreaterThan(100_000);
    expect(threaded.equals(local)).toBe(true);
  });

  it("the gap register's XLSX from the thread has the in-process workbook's every part, byte for byte", async () => {
    const local = await xlsxParts(await readAll(await GAP_EXPORT.body(getDb(), gapParams("xlsx"))));
    const threaded = await xlsxParts(await readAll(await exportBody(getDb(), GAP_EXPORT, gapParams("xlsx"))));
    expect(Object.keys(local)).toContain("xl/worksheets/sheet1.xml");
    expect(threaded).toEqual(local);
  });

  it("the device export's CSV and XLSX from the thread are the in-process ones", async () => {
    for (const format of ["csv", "xlsx"] as const) {
      const params = { filter: { scope: ALL }, format };
      const local = await readAll(await DEVICE_EXPORT.body(getDb(), params));
      const threaded = await readAll(await exportBody(getDb(), DEVICE_EXPORT, params));
      if (format === "csv") expect(threaded.equals(local)).toBe(true);
      else expect(await xlsxParts(threaded)).toEqual(await xlsxParts(local));
    }
  });

  it("runs the export on a thread whose nice value is lowered, not on the caller's", async () => {
    const reader = (await exportBody(getDb(), GAP_EXPORT, gapParams("csv"))).getReader();
    try {
      expect((await reader.read()).done).toBe(false);
      expect(threadNices()).toContain(EXPORT_THREAD_NICE);
      // The process's main thread (its id is the process's) keeps its priority.
      expect(niceOf(process.pid)).toBe(0);
    } finally {
      await reader.cancel();
    }
    await until(() => exportsUnderWay().running === 0);
  });

  it("runs one export at a time: a second waits its turn, then completes", async () => {
    const first = (await exportBody(getDb(), GAP_EXPORT, gapParams("csv"))).getReader();
    const head = await first.read();
    expect(head.done).toBe(false);
    const second = (await exportBody(getDb(), GAP_EXPORT, gapParams("csv"))).getReader();
    const secondHead = second.read();
    let secondStarted = false;
    void secondHead.then(() => (secondStarted = true));
    await new Promise((r) => setTimeout(r, 500));
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 1 });
    expect(secondStarted).toBe(false);
    // The first is read to its end; the second then starts and gives the whole file.
    const firstBytes = [Buffer.from(head.value!)];
    for (let r = await first.read(); !r.done; r = await first.read()) firstBytes.push(Buffer.from(r.value));
    const secondBytes = [Buffer.from((await secondHead).value!)];
    for (let r = await second.read(); !r.done; r = await second.read()) secondBytes.push(Buffer.from(r.value));
    expect(Buffer.concat(secondBytes).equals(Buffer.concat(firstBytes))).toBe(true);
    await until(() => exportsUnderWay().running === 0);
  });

  it("a practice's export runs at once, in-process, while an England-wide one holds the slot", async () => {
    const england = (
      await gapExportResponse(getDb(), ALL, parseGapFilters(new URLSearchParams()), "csv", today, { batchSize: 50 })
    ).body!.getReader();
    expect((await england.read()).done).toBe(false);
    expect(exportsUnderWay().running).toBe(1);
    const practice = await gapExportResponse(getDb(), PM, parseGapFilters(new URLSearchParams()), "csv", today);
    const rows = parse((await readAll(practice.body!)).toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
    expect(rows.length).toBeGreaterThan(0);
    expect(new Set(rows.map((r) => r.practice_ods_code))).toEqual(new Set(["F84003"]));
    expect(exportsUnderWay()).toEqual({ running: 1, waiting: 0 });
    await england.cancel();
    await until(() => exportsUnderWay().running === 0);
  });

  it("a client that leaves stops the thread's work and releases its connections and its slot", async () => {
    const reader = (await exportBody(getDb(), GAP_EXPORT, gapParams("xlsx", ALL, 5))).getReader();
    expect((await reader.read()).done).toBe(false);
    expect(await exportConnections()).toBeGreaterThan(0);
    await reader.cancel();
    await until(async () => exportsUnderWay().running === 0 && (await exportConnections()) === 0);
    // The slot is free: the next export runs straight away.
    const next = await readAll(await exportBody(getDb(), GAP_EXPORT, gapParams("csv")));
    expect(next.length).toBeGreaterThan(0);
  });

  it("an error in the thread ends the download with an error, not a file that looks complete", async () => {
    const body = await exportBody(getDb(), GAP_EXPORT, { ...gapParams("csv"), today: "not a date" });
    await expect(readAll(body)).rejects.toThrow(/date/i);
    await until(async () => exportsUnderWay().running === 0 && (await exportConnections()) === 0);
  });

  it("a practice manager's scope holds only their practice in the thread too", async () => {
    const gaps = await readAll(await exportBody(getDb(), GAP_EXPORT, gapParams("csv", PM)));
    const devices = await readAll(await exportBody(getDb(), DEVICE_EXPORT, { filter: { scope: PM }, format: "csv" }));
    for (const file of [gaps, devices]) {
      const rows = parse(file.toString("utf8"), { bom: true, columns: true }) as Record<string, string>[];
      expect(rows.length).toBeGreaterThan(0);
      expect(new Set(rows.map((r) => r.practice_ods_code))).toEqual(new Set(["F84003"]));
    }
  });
});

describe.skipIf(onPostgres)("streamed exports on PGlite", () => {
  it("stay in-process (the embedded database is this process's): no export thread", async () => {
    await seedOrgs(getDb());
    const bytes = await readAll(await exportBody(getDb(), GAP_EXPORT, gapParams("csv")));
    expect(bytes.toString("utf8")).toMatch(/^\ufeffgap_id,/);
    expect(exportsUnderWay().running).toBe(0);
    expect(threadNices()).not.toContain(EXPORT_THREAD_NICE);
  });
});
