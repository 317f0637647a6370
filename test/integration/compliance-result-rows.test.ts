import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { outcomeHash, outcomeText } from "~/modules/compliance/judge";
import * as repo from "~/modules/compliance/repository.server";
import type { Finding } from "~/modules/compliance/rules";
import { getDb } from "~/utils/db.server";
import { seedOrgs } from "../support/factories";

// A result written by an evaluation travels as the JSON text its outcome's hash was taken of
// (issue 12, session 15): what is stored must be exactly what the values gave, and what the
// statement before it (one JSON object per result, read by jsonb_to_recordset) stored.

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureCatalogue(db);
});

/** A finding whose evidence holds what JSON makes awkward: quotes, backslashes, non-ASCII, nulls, nesting and a large list. */
const finding: Finding = {
  status: "partial",
  reason: 'Two of "three" devices \\ café — ✓\nnew line',
  evidence: [
    { id: "1", type: "device", label: 'PC-01 (desktop) "quoted"', outcome: "fail", detail: null },
    { id: "2", type: "device", label: "Ünïcödé \u0001 \u2028", outcome: "pass", nested: { a: [1, 2.5, -0, 1e21, true, false, null] } },
    ...Array.from({ length: 400 }, (_, i) => ({
      id: String(100 + i),
      type: "device",
      label: `BENCH-IMPORT-${i} (laptop)`,
      outcome: "unknown",
    })),
  ],
  units: { devices: 402, failing: 1, list: ["a", "b"] },
  upcoming: [{ date: "2027-01-01", status: "not_met", reason: "support ends" }],
} as unknown as Finding;

const PRACTICE = "F84003";
const REQUIREMENT = "DEV-01";

/** The statement results were written with before: one JSON object per result. */
async function upsertAsObjects(runId: number, rows: object[]) {
  await sql`
    insert into evaluation_result (practice_code, requirement_id, as_of, status, reason, evidence, units, upcoming, outcome_hash, run_id, evaluated_at)
    select x.practice_code, x.requirement_id, x.as_of, x.status, x.reason, x.evidence, x.units, x.upcoming, x.outcome_hash, ${runId}, now()
    from jsonb_to_recordset(${JSON.stringify(rows)}::jsonb) as x(
      practice_code text, requirement_id text, as_of date, status text, reason text, evidence jsonb, units jsonb, upcoming jsonb, outcome_hash text)`.execute(
    getDb(),
  );
}

async function stored(asOf: string) {
  const { rows } = await sql<{ row: string }>`
    select concat_ws('|', practice_code, requirement_id, status, reason, evidence::text, units::text, upcoming::text, outcome_hash) as row
      from evaluation_result where practice_code = ${PRACTICE} and requirement_id = ${REQUIREMENT} and as_of = ${asOf}`.execute(getDb());
  return rows.map((r) => r.row);
}

describe("results written from their outcome's text", () => {
  it("stores exactly what the values give, and what the statement before stored", async () => {
    const db = getDb();
    const runId = await repo.insertRun(db, { scope: "test", asOf: "2026-01-01", userId: null });
    const base = { practice_code: PRACTICE, requirement_id: REQUIREMENT, status: finding.status, outcome_hash: outcomeHash(finding) };
    const values = { reason: finding.reason, evidence: finding.evidence, units: finding.units, upcoming: finding.upcoming ?? [] };
    await repo.upsertResults(db, runId, [{ ...base, as_of: "2026-01-01", outcome_text: outcomeText(finding) }]);
    await repo.upsertResults(db, runId, [{ ...base, as_of: "2026-02-01", ...values }]);
    await upsertAsObjects(runId, [{ ...base, as_of: "2026-03-01", ...values }]);
    const [text, asValues, before] = [await stored("2026-01-01"), await stored("2026-02-01"), await stored("2026-03-01")];
    expect(text).toHaveLength(1);
    expect(text).toEqual(asValues);
    expect(text).toEqual(before);
    // A large evidence list (past the size at which PostgreSQL compresses a value) reads back whole.
    const { evidence } = await db
      .selectFrom("evaluation_result")
      .select("evidence")
      .where("practice_code", "=", PRACTICE)
      .where("as_of", "=", "2026-01-01")
      .executeTakeFirstOrThrow();
    expect(evidence).toEqual(JSON.parse(JSON.stringify(finding.evidence)));
  });

  it("replaces a result of the same practice, requirement and date", async () => {
    const db = getDb();
    const runId = await repo.insertRun(db, { scope: "test", asOf: "2026-01-01", userId: null });
    const row = { practice_code: PRACTICE, requirement_id: REQUIREMENT, as_of: "2026-01-01" };
    await repo.upsertResults(db, runId, [
      { ...row, status: finding.status, outcome_hash: outcomeHash(finding), outcome_text: outcomeText(finding) },
    ]);
    const met = {
      ...finding,
      status: "met",
      reason: "All devices pass",
      evidence: [],
      units: {},
      upcoming: undefined,
    } as unknown as Finding;
    await repo.upsertResults(db, runId, [{ ...row, status: met.status, outcome_hash: outcomeHash(met), outcome_text: outcomeText(met) }]);
    expect(await stored("2026-01-01")).toEqual([`${PRACTICE}|${REQUIREMENT}|met|All devices pass|[]|{}|[]|${outcomeHash(met)}`]);
  });

  it("refuses a result without evidence, as before", async () => {
    const db = getDb();
    const runId = await repo.insertRun(db, { scope: "test", asOf: "2026-01-01", userId: null });
    const row = { practice_code: PRACTICE, requirement_id: REQUIREMENT, as_of: "2026-01-01", status: "met" as const, outcome_hash: "x" };
    await expect(repo.upsertResults(db, runId, [{ ...row, reason: "r", evidence: null, units: {}, upcoming: [] }])).rejects.toThrow(
      /evidence/,
    );
    await expect(upsertAsObjects(runId, [{ ...row, reason: "r", evidence: null, units: {}, upcoming: [] }])).rejects.toThrow(/evidence/);
  });

  it("refuses text PostgreSQL's jsonb cannot hold (a NUL, a lone surrogate) as the statement before did", async () => {
    const db = getDb();
    const runId = await repo.insertRun(db, { scope: "test", asOf: "2026-01-01", userId: null });
    for (const awkward of ["a\u0000b", "a\ud800b"]) {
      const f = { ...finding, reason: awkward, evidence: [{ id: "1", label: awkward }] } as unknown as Finding;
      const base = {
        practice_code: PRACTICE,
        requirement_id: REQUIREMENT,
        as_of: "2026-01-01",
        status: f.status,
        outcome_hash: outcomeHash(f),
      };
      const values = { reason: f.reason, evidence: f.evidence, units: f.units, upcoming: f.upcoming ?? [] };
      // What each statement did: stored, or the error PostgreSQL gave (each statement is undone on its own).
      const outcome = (p: Promise<unknown>) =>
        p.then(
          () => "stored",
          (e: Error) => e.message,
        );
      const before = await outcome(upsertAsObjects(runId, [{ ...base, ...values }]));
      expect(before).not.toBe("stored");
      expect(await outcome(repo.upsertResults(db, runId, [{ ...base, outcome_text: outcomeText(f) }]))).toBe(before);
      expect(await outcome(repo.upsertResults(db, runId, [{ ...base, ...values }]))).toBe(before);
    }
    expect(await stored("2026-01-01")).toEqual([]);
  });
});
