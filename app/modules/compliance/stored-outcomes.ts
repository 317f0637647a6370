// Stored outcomes as evaluations compare with them. No database and no server-only imports: the
// evaluation worker threads (judge.ts) look them up too.

/** A stored outcome as evaluations compare with it: its row and its hash. */
export interface StoredOutcome {
  id: number;
  outcome_hash: string;
}

/**
 * Stored outcomes of a set of practices, by practice and then by requirement (see
 * `storedOutcome`). Two levels, not one map keyed `practice|requirement`: a national re-evaluation
 * looks up 355,000 outcomes twice each, and a key made per outcome (a new string, joined and
 * hashed for every lookup) cost several tenths of a second of CPU a run, where the requirement ids
 * the rules give are constants whose hashes V8 keeps (issue 12, session 14 in docs/performance.md).
 */
export type StoredOutcomes = Map<string, Map<string, StoredOutcome>>;

/** The stored outcome of one practice and requirement, if any. */
export const storedOutcome = (m: StoredOutcomes, practiceCode: string, requirementId: string): StoredOutcome | undefined =>
  m.get(practiceCode)?.get(requirementId);

/** Every stored outcome keyed `practice|requirement` (scripts and tests that list them). */
export function storedOutcomeEntries(m: StoredOutcomes): [string, StoredOutcome][] {
  const out: [string, StoredOutcome][] = [];
  for (const [practiceCode, byRequirement] of m)
    for (const [requirementId, o] of byRequirement) out.push([`${practiceCode}|${requirementId}`, o]);
  return out;
}

/** Adds one stored outcome (the reads in repository.server.ts). */
export function addStored(m: StoredOutcomes, practiceCode: string, requirementId: string, o: StoredOutcome) {
  let byRequirement = m.get(practiceCode);
  if (!byRequirement) m.set(practiceCode, (byRequirement = new Map()));
  byRequirement.set(requirementId, o);
}
