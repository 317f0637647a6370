import crypto from "node:crypto";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import * as repo from "~/modules/compliance/repository.server";
import { storedOutcome, storedOutcomeEntries } from "~/modules/compliance/stored-outcomes";
import { getDb } from "~/utils/db.server";
import { isolatePerFile } from "../support/isolation";
import { fortyPracticesWithEstate } from "../support/forty-practices";

// Evaluation must store exactly the same bytes whatever is changed for speed (issue 12): each
// outcome's JSON and its SHA-256 are compared with what earlier runs stored. The digests below
// were taken from the code before session 14's changes to how stored outcomes are looked up.
isolatePerFile("worker threads open their own connections on PostgreSQL");

let codes: string[] = [];
beforeAll(async () => {
  const db = getDb();
  codes = await fortyPracticesWithEstate(db);
});

/** SHA-256 of every stored result of these dates, as text (ids left out: the database numbers them). */
async function storedDigest(dates: string[]) {
  const db = getDb();
  const { rows } = await sql<{ row: string }>`
    select concat_ws('|', practice_code, requirement_id, as_of, status, reason, evidence::text, units::text, upcoming::text, outcome_hash) as row
      from evaluation_result where as_of in (${sql.join(dates)}) order by practice_code, requirement_id, as_of`.execute(db);
  return { rows: rows.length, sha256: crypto.hash("sha256", rows.map((r) => r.row).join("\n"), "hex") };
}

describe("stored outcomes, byte for byte", () => {
  it("stores the same results and hashes as before, and a re-run on the same estate writes nothing", async () => {
    const db = getDb();
    const first = await evaluateScope(db, { practices: codes }, "2026-06-01", { chunkSize: 6, threads: 0 });
    const second = await evaluateScope(db, { practices: codes }, "2026-12-01", { chunkSize: 6, threads: 2 });
    expect(first.counts.written).toBeGreaterThan(1000);
    expect(second.counts.written).toBeGreaterThan(100);
    expect(await storedDigest(["2026-06-01", "2026-12-01"])).toEqual(DIGEST);
    // Nothing has changed: every outcome is found stored, on either path.
    for (const threads of [0, 2]) {
      const again = await evaluateScope(db, { practices: codes }, "2026-12-01", { chunkSize: 6, threads });
      expect(again.counts.written).toBe(0);
      expect(again.counts.removed).toBe(0);
      expect(again.counts.unchanged).toBe(again.counts.results);
    }
    expect(await storedDigest(["2026-06-01", "2026-12-01"])).toEqual(DIGEST);
  });

  it("looks stored outcomes up by practice and requirement", async () => {
    const db = getDb();
    const stored = await repo.loadStoredOutcomes(db, codes, "2026-12-01");
    const plain = await repo.loadStoredOutcomesPlain(db, codes, "2026-12-01");
    const { rows } = await sql<{ practice_code: string; requirement_id: string; id: number; outcome_hash: string }>`
      select practice_code, requirement_id, id, outcome_hash from evaluation_result where as_of = '2026-12-01'`.execute(db);
    expect(rows.length).toBeGreaterThan(100);
    for (const r of rows) {
      expect(storedOutcome(stored.at, r.practice_code, r.requirement_id)).toEqual({ id: r.id, outcome_hash: r.outcome_hash });
      expect(storedOutcome(plain.at, r.practice_code, r.requirement_id)).toEqual({ id: r.id, outcome_hash: r.outcome_hash });
    }
    expect(storedOutcomeEntries(stored.at)).toHaveLength(rows.length);
    expect(storedOutcome(stored.at, "NOPE", rows[0].requirement_id)).toBeUndefined();
    expect(storedOutcome(stored.at, rows[0].practice_code, "NOPE")).toBeUndefined();
  });
});

const DIGEST = { rows: 2458, sha256: "feb4ca4c3a9502dda966055beb6478ba573d949c7d29039a9c3cd755006ad5bc" };
