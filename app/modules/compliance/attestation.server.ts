import { createHash } from "node:crypto";
import type { Db } from "#db/connect";
import { DEFAULT_FRAMEWORK_VERSION, inFrameworkVersion, requirementById } from "~/modules/catalogue";
import { notInForceFinding } from "./in-force";
import { ensureCatalogue } from "./catalogue.server";
import { syncGaps } from "~/modules/gaps/sync.server";
import * as repo from "./repository.server";
import { storedOutcome } from "./stored-outcomes";
import type { EvidenceRef, Status } from "~/modules/catalogue/rule-types";

export interface AttestedOutcome {
  practiceCode: string;
  requirementId: string;
  /** The day the ICB verified the answer: the result holds from then until the next change. */
  asOf: string;
  status: Exclude<Status, "unknown">;
  reason: string;
  evidence: EvidenceRef[];
  userId: number | null;
}

const outcomeHash = (o: AttestedOutcome) =>
  createHash("sha256")
    .update(JSON.stringify([o.status, o.reason, o.evidence, [], []]))
    .digest("hex");

/**
 * Stores verified attested answers as the results of attestation-only requirements, in the same
 * change-point table as the rules' results: so the practice's page, scores, trends and ICB
 * summaries read attested and automatic results alike, and the latest verified answer is the
 * one in force. The rules never write these requirements, so the two never overwrite each other.
 * Requirements evidenced by both register data and attestation keep their automatic result.
 * Call it inside the verification's transaction; one evaluation run records the batch.
 */
export async function recordAttestedResults(db: Db, outcomes: AttestedOutcome[]): Promise<{ written: number; runId: number | null }> {
  if (outcomes.length === 0) return { written: 0, runId: null };
  for (const o of outcomes) {
    const requirement = requirementById(o.requirementId);
    if (!requirement || requirement.evidence !== "attestation")
      throw new Error(`${o.requirementId} is not an attestation-only requirement`);
  }
  const asOf = outcomes[0].asOf;
  if (outcomes.some((o) => o.asOf !== asOf)) throw new Error("Attested results in one batch share their as-of date");
  await ensureCatalogue(db);
  const codes = [...new Set(outcomes.map((o) => o.practiceCode))];
  // An answer to a requirement outside the ICB's framework version is stored set aside, as a
  // re-check would store it, so a verification never opens a gap the next re-check closes.
  const versions = await repo.frameworkVersionsOf(db, codes);
  const notInForce = new Set<AttestedOutcome>();
  outcomes = outcomes.map((o) => {
    const version = versions.get(o.practiceCode) ?? DEFAULT_FRAMEWORK_VERSION;
    if (inFrameworkVersion(o.requirementId, version)) return o;
    const f = notInForceFinding(version);
    const aside = { ...o, status: "not_applicable" as const, reason: f.reason, evidence: [] };
    notInForce.add(aside);
    return aside;
  });
  const stored = await repo.loadStoredOutcomes(db, codes, asOf);
  const writes: repo.ResultRow[] = [];
  const removals: number[] = [];
  for (const o of outcomes) {
    const hash = outcomeHash(o);
    const at = storedOutcome(stored.at, o.practiceCode, o.requirementId);
    if (storedOutcome(stored.before, o.practiceCode, o.requirementId)?.outcome_hash === hash) {
      if (at) removals.push(at.id);
      continue;
    }
    if (at?.outcome_hash === hash) continue;
    writes.push({
      practice_code: o.practiceCode,
      requirement_id: o.requirementId,
      as_of: asOf,
      status: o.status,
      reason: o.reason,
      evidence: o.evidence,
      units: [],
      upcoming: [],
      outcome_hash: hash,
    });
  }
  await repo.deleteResults(db, removals);
  await syncGaps(
    db,
    outcomes.map((o) => ({
      practiceCode: o.practiceCode,
      requirementId: o.requirementId,
      status: o.status,
      reason: o.reason,
      units: [],
      notInForce: notInForce.has(o),
    })),
    asOf,
  );
  if (writes.length === 0) return { written: 0, runId: null };
  const runId = await repo.insertRun(db, {
    scope: codes.length === 1 ? `attestation:${codes[0]}` : `attestation:${codes.join(",").slice(0, 200)}`,
    asOf,
    userId: outcomes[0].userId,
    finished: true,
    counts: { practices: codes.length, results: outcomes.length, written: writes.length, removed: removals.length },
  });
  await repo.upsertResults(db, runId, writes);
  return { written: writes.length, runId };
}
