import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { beforeAll, describe, expect, it } from "vitest";
import { AUTOMATIC_REQUIREMENTS, REQUIREMENTS } from "~/modules/catalogue";
import { parseEvaluateArgs, runCatalogueCli, runEvaluateCli } from "~/modules/compliance/cli.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addMainSites, addPractices, ensureLifecycle } from "../support/compliance-db";
import { seedOrgs } from "../support/factories";
function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) }, out, err };
}

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureLifecycle(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  await addPractices(db, 2, "C");
});

describe("npm run catalogue", () => {
  it("prints one JSON object with each requirement's id, title, domain, category, funder, evidence and source", () => {
    const c = capture();
    runCatalogueCli(["--json"], c.io);
    expect(c.out).toHaveLength(1);
    const data = JSON.parse(c.out[0]);
    expect(data.counts).toEqual({ requirements: REQUIREMENTS.length, automatic: AUTOMATIC_REQUIREMENTS.length });
    expect(data.requirements).toHaveLength(REQUIREMENTS.length);
    expect(data.requirements.find((r: { id: string }) => r.id === "DEV-02")).toMatchObject({
      id: "DEV-02",
      title: "Supported operating systems",
      domain: "devices",
      category: "core_mandated",
      funder: "icb",
      evidence: "automatic",
      source: "S26, S27, S32",
    });
  });

  it("includes each requirement's versions (wording, sources, whether confirmed) and the versions' effective dates, and filters by version", () => {
    const c = capture();
    runCatalogueCli(["--json"], c.io);
    const data = JSON.parse(c.out[0]);
    expect(
      data.frameworkVersions.map((v: any) => [v.id, v.name, v.effectiveFrom, v.effectiveFromUnconfirmed, v.sources.map((s: any) => s.ref)]),
    ).toEqual([
      ["2021-23", "GP IT operating model 2021-23", "2021-04-01", true, ["S1", "S9"]],
      ["2026", "GP IT operating model 2026 and ICB-practice agreement 2026", "2026-05-27", true, ["S16"]],
    ]);
    const sec09 = data.requirements.find((r: any) => r.id === "SEC-09");
    expect(sec09).toMatchObject({ introducedIn: "2026", source: "S16" });
    expect(sec09.versions).toEqual([
      {
        version: "2026",
        title: sec09.title,
        description: expect.any(String),
        sources: [{ ref: "S16", title: expect.any(String) }],
        unconfirmed: false,
        note: expect.any(String),
      },
    ]);
    const bcp = data.requirements.find((r: any) => r.id === "BCP-01");
    expect(bcp.versions.map((v: any) => [v.version, v.title])).toEqual([
      ["2021-23", "Practice continuity plan"],
      ["2026", "Practice continuity plan approved by the ICB"],
    ]);

    const only = capture();
    runCatalogueCli(["--version", "2021-23", "--json"], only.io);
    const filtered = JSON.parse(only.out[0]);
    expect(filtered.version).toBe("2021-23");
    expect(filtered.requirements.map((r: any) => r.id)).toEqual(
      REQUIREMENTS.filter((r) => r.versions.some((v) => v.version === "2021-23")).map((r) => r.id),
    );
    expect(filtered.requirements.map((r: any) => r.id)).not.toContain("SEC-09");
    expect(filtered.counts).toEqual({
      requirements: REQUIREMENTS.length,
      automatic: AUTOMATIC_REQUIREMENTS.length,
      inVersion: REQUIREMENTS.length - 2,
    });
    // Filtered to a version, a requirement carries that version's wording.
    expect(filtered.requirements.find((r: any) => r.id === "BCP-01").title).toBe("Practice continuity plan");
    expect(() => runCatalogueCli(["--version", "2019"], capture().io)).toThrow(/--version must be one of 2021-23, 2026/);
  });

  it("prints a readable table without --json", () => {
    const c = capture();
    runCatalogueCli([], c.io);
    const text = c.out.join("");
    expect(text).toMatch(/TEL-04 +Call-back/);
    expect(text).toMatch(new RegExp(`${REQUIREMENTS.length} requirements, ${AUTOMATIC_REQUIREMENTS.length} checked automatically`));
  });

  it("runs as a script", async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ["node_modules/tsx/dist/cli.mjs", "scripts/catalogue.ts", "--json"], {
      cwd: process.cwd(),
    });
    expect(JSON.parse(stdout).counts.requirements).toBe(REQUIREMENTS.length);
  });
});

describe("npm run evaluate", () => {
  it("evaluates an ICB through the evaluation service and prints one JSON object", async () => {
    const c = capture();
    await runEvaluateCli(["--icb", "qmf", "--as-of", todayIso(), "--json"], getDb(), c.io);
    expect(c.out).toHaveLength(1);
    const data = JSON.parse(c.out[0]);
    expect(data).toMatchObject({ asOf: todayIso(), scope: "icb:QMF" });
    expect(data.practices.map((p: { ods_code: string }) => p.ods_code)).toEqual(["C00001", "C00002", "F84003", "F84013"]);
    for (const p of data.practices) {
      expect(Object.keys(p.counts).sort()).toEqual(["met", "not_applicable", "not_met", "partial", "unknown"]);
      expect(typeof p.score === "number" || p.score === null).toBe(true);
    }
    expect(data.counts.written).toBe(4 * AUTOMATIC_REQUIREMENTS.length);
    const run = await getDb()
      .selectFrom("evaluation_run")
      .select(["scope", "as_of"])
      .where("id", "=", data.runId)
      .executeTakeFirstOrThrow();
    expect(run).toEqual({ scope: "icb:QMF", as_of: todayIso() });
    expect(c.err.join("")).toMatch(/Evaluated 4 of 4 practices/);
  });

  it("prints counts by status and the score per practice as text", async () => {
    // A first run stores F84003's results for today, so this one, with nothing changed, stores none.
    await runEvaluateCli(["--practice", "F84003", "--as-of", todayIso(), "--json"], getDb(), capture().io);
    const c = capture();
    await runEvaluateCli(["--practice", "F84003", "--as-of", todayIso()], getDb(), c.io);
    const text = c.out.join("");
    expect(text).toMatch(/F84003 +LOWER CLAPTON GENERAL PRACTICE +\d+ +\d+ +\d+ +\d+ +\d+ +(\d+\.\d%|no score)/);
    expect(text).toMatch(/1 practices, \d+ results: 0 changed and stored/);
  });

  it("checks its arguments", async () => {
    expect(() => parseEvaluateArgs([])).toThrow(/Choose one of/);
    expect(() => parseEvaluateArgs(["--all", "--icb", "QMF"])).toThrow(/Choose one of/);
    expect(() => parseEvaluateArgs(["--all", "--as-of", "2026-02-30"])).toThrow(/YYYY-MM-DD/);
    expect(() => parseEvaluateArgs(["--all", "--bogus"])).toThrow();
    expect(parseEvaluateArgs(["--all"]).asOf).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    await expect(runEvaluateCli(["--practice", "X99999"], getDb(), capture().io)).rejects.toThrow(/no practice with ODS code X99999/);
  });

  it("--all evaluates England's open GP practices only: a Welsh practice is left out (issue #13 item 8)", async () => {
    const db = getDb();
    const base = {
      status: "A",
      prescribing_setting: 4,
      region_code: null,
      icb_code: null,
      sub_icb_code: null,
      pcn_code: null,
      address: null,
      postcode: null,
      phone: null,
      open_date: null,
      close_date: null,
    };
    await db
      .insertInto("practice")
      .values([
        { ...base, ods_code: "W00005", name: "Welsh Practice", country: "Wales" },
        { ...base, ods_code: "Y09999", name: "Prison prescribing", country: "England", prescribing_setting: 8 },
      ])
      .execute();
    const c = capture();
    await runEvaluateCli(["--all", "--as-of", "2026-11-22", "--json"], db, c.io);
    const codes = JSON.parse(c.out[0]).practices.map((p: { ods_code: string }) => p.ods_code);
    expect(codes).toContain("F84003");
    expect(codes).not.toContain("W00005");
    expect(codes).not.toContain("Y09999");
    // Named on its own, a Welsh practice is still evaluated.
    const one = capture();
    await runEvaluateCli(["--practice", "W00005", "--as-of", "2026-11-22", "--json"], db, one.io);
    expect(JSON.parse(one.out[0]).practices.map((p: { ods_code: string }) => p.ods_code)).toEqual(["W00005"]);
  });
});
