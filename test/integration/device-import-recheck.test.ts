import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { checkPracticeFreshness } from "~/modules/compliance/evaluate.server";
import { importDeviceFile, type ImportProgress } from "~/modules/devices/import/commit.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { seedEstateWithPartner } from "../support/estate-seed";

/**
 * An import across several practices writes their rows grouped by practice, then re-checks every
 * practice it changed, all in its one transaction (commit.server.ts).
 */

const PRACTICES = ["F84013", "A81001", "F84003"];
const db = () => getDb();

function file(rows: number, boom?: number) {
  const lines = ["Practice,Asset tag,Type,Operating system,Notes"];
  for (let i = 0; i < rows; i++) {
    const os = i % 3 === 0 ? "Windows 10 Pro 22H2" : "Windows 11 Enterprise 23H2";
    lines.push(`${PRACTICES[i % PRACTICES.length]},RG-${i},${i % 2 ? "laptop" : "desktop"},${os},${i === boom ? "BOOM" : ""}`);
  }
  return new TextEncoder().encode(lines.join("\n") + "\n");
}

const run = (content: Uint8Array, onProgress?: (p: ImportProgress) => void) =>
  importDeviceFile(db(), {
    scope: { all: true },
    fixedPractice: null,
    asOf: todayIso(),
    content,
    fileName: "groups.csv",
    userId: null,
    actor: "test",
    onProgress,
  });

const count = async (table: "device" | "evaluation_result" | "evaluation_run" | "audit_event" | "gap") =>
  Number((await sql<{ n: string }>`select count(*) as n from ${sql.table(table)}`.execute(db())).rows[0].n);

beforeAll(async () => {
  await seedEstateWithPartner(db(), "recheck-groups@test.nhs.test");
});

describe("an import across several practices", () => {
  it("writes every row and leaves every practice's stored results as the rules now judge them", async () => {
    const progress: ImportProgress[] = [];
    const result = await run(file(60), (p) => progress.push(p));
    expect(result.counts).toMatchObject({ created: 60, rejected: 0 });
    expect(await count("device")).toBe(60);
    for (const ods of PRACTICES) {
      const fresh = await checkPracticeFreshness(db(), ods, todayIso());
      expect(fresh?.checked, ods).toBeGreaterThan(0);
      expect(fresh?.changed, ods).toEqual([]);
    }
    // Writing first, then re-checking, which ends with every practice checked.
    const phases = progress.map((p) => p.phase);
    expect(phases.lastIndexOf("writing")).toBeLessThan(phases.indexOf("rechecking"));
    const rechecks = progress.filter((p) => p.phase === "rechecking");
    expect(rechecks.map((p) => p.done)).toEqual([...rechecks.map((p) => p.done)].sort((a, b) => a - b));
    expect(rechecks.at(-1)).toEqual({ phase: "rechecking", done: 3, total: 3 });
    // Each practice's new devices were written together: their ids follow the file within a practice.
    const ids = await db().selectFrom("device").select(["id", "asset_tag", "practice_code"]).orderBy("id").execute();
    for (const ods of PRACTICES) {
      const tags = ids.filter((d) => d.practice_code === ods).map((d) => Number(d.asset_tag!.slice(3)));
      expect(tags).toEqual([...tags].sort((a, b) => a - b));
    }
  });

  it("writes nothing, results included, when a row of the last practice written is refused", async () => {
    await sql`alter table device add constraint test_no_boom_groups check (coalesce(notes, '') <> 'BOOM')`.execute(db());
    try {
      const before = await Promise.all((["device", "evaluation_result", "evaluation_run", "audit_event", "gap"] as const).map(count));
      // The 58th device is for F84013, the last practice in code order: A81001, F84003 and F84013 are written in that order.
      await expect(run(file(60, 57))).rejects.toThrow(/test_no_boom_groups/);
      const after = await Promise.all((["device", "evaluation_result", "evaluation_run", "audit_event", "gap"] as const).map(count));
      expect(after).toEqual(before);
    } finally {
      await sql`alter table device drop constraint test_no_boom_groups`.execute(db());
    }
  });
});
