import { FRAMEWORK_VERSIONS, REQUIREMENTS, frameworkVersionById, inFrameworkVersion } from "~/modules/catalogue";
import type { Finding } from "~/modules/catalogue/rule-types";

// Which requirements are judged for an ICB: those in the framework version its policy has in
// force. Pure (no server imports): the engine, the judging threads and the pages share it.

const versionName = (id: string) => frameworkVersionById(id)?.name ?? id;

/**
 * The result a requirement gets while it is not in the ICB's version: not applicable, so it
 * leaves the score, with a reason that says why. Deterministic per requirement and version, so
 * re-running stores nothing new.
 */
export function notInForceFinding(version: string): Finding {
  return {
    status: "not_applicable",
    reason: `Not in force for this practice: the requirement is not part of the ${versionName(version)}, the framework version its ICB has chosen.`,
    evidence: [],
    units: [],
  };
}

/**
 * A self-assessed requirement that is back in force after the ICB changed version: its earlier
 * answer was set aside while it was out, so it is not known until the practice's answer is
 * verified again.
 */
export function backInForceFinding(version: string): Finding {
  return {
    status: "unknown",
    reason: `Back in force under the ${versionName(version)}, which the ICB has chosen: the practice's answer needs verifying again in a self-assessment.`,
    evidence: [],
    units: [],
  };
}

export { inFrameworkVersion };

/** Self-assessed (attestation-only) requirements that some version leaves out: the only ones whose stored answers a version change must set aside. */
export const ATTESTED_VERSIONED = REQUIREMENTS.filter(
  (r) => r.evidence === "attestation" && r.versions.length < FRAMEWORK_VERSIONS.length,
).map((r) => r.id);
