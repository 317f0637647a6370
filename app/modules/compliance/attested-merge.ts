import { requirementById } from "~/modules/catalogue";
import { combine, formatDate } from "./rules/helpers";
import type { Finding, Status } from "~/modules/catalogue/rule-types";

/**
 * A verified self-assessment answer to a requirement evidenced by both register data and
 * attestation (for example DEV-03: purchase dates in the register, the refresh plan attested).
 */
export interface VerifiedAttestation {
  answer: Exclude<Status, "unknown">;
  answerId: number;
  cycleName: string;
  verifiedOn: string;
}

const ANSWER_WORDS: Record<VerifiedAttestation["answer"], string> = {
  met: "met",
  partial: "partly met",
  not_met: "not met",
  not_applicable: "not applicable",
};

/**
 * Both halves must hold: the register check and the verified answer combine as the parts of one
 * requirement do (any failure fails it; anything unknown keeps it from being met). Until an
 * answer is verified the register result stands, and the reason says the attested half is
 * still to come, so nobody mistakes it for the whole requirement.
 */
export function mergeAttested(requirementId: string, f: Finding, a: VerifiedAttestation | undefined): Finding {
  const requirement = requirementById(requirementId);
  if (!requirement || requirement.evidence !== "both") return f;
  if (DATA_FIRST.has(requirementId)) return attestedWhenNoData(f, a);
  // SEC-05 with an imported certificate: the data answers both halves (rules/os-support.ts).
  if (requirementId === "SEC-05" && f.evidence.some((e) => e.type === "cyber_essentials")) return f;
  if (!a) return { ...f, reason: `${f.reason} The attested part has not been verified in a self-assessment yet.` };
  const status = f.status === "not_applicable" ? f.status : combine([f.status, a.answer]);
  return {
    ...f,
    status,
    reason: `${f.reason} In its ${a.cycleName} self-assessment the practice attested the rest as ${ANSWER_WORDS[a.answer]}, verified by the ICB on ${formatDate(a.verifiedOn)}.`,
    evidence: [
      ...f.evidence,
      {
        type: "attestation",
        id: String(a.answerId),
        label: `${a.cycleName} self-assessment`,
        outcome: a.answer === "met" || a.answer === "not_applicable" ? "ok" : "fail",
      },
    ],
  };
}

/**
 * Requirements where published data, when there is any, is the whole answer and the attested
 * answer only fills in for a practice the data does not cover: SEC-01, judged from the DSPT
 * status the toolkit publishes (rules/dspt.ts). A practice cannot attest its way past its
 * published status, and an unverified answer does not hold a known status back.
 */
const DATA_FIRST = new Set(["SEC-01"]);

function attestedWhenNoData(f: Finding, a: VerifiedAttestation | undefined): Finding {
  if (f.status !== "unknown") return f;
  if (!a) return { ...f, reason: `${f.reason} No verified self-assessment answer covers it either.` };
  return {
    ...f,
    status: a.answer,
    reason: `${f.reason} In its ${a.cycleName} self-assessment the practice attested it as ${ANSWER_WORDS[a.answer]}, verified by the ICB on ${formatDate(a.verifiedOn)}.`,
    evidence: [
      ...f.evidence,
      {
        type: "attestation",
        id: String(a.answerId),
        label: `${a.cycleName} self-assessment`,
        outcome: a.answer === "met" || a.answer === "not_applicable" ? "ok" : "fail",
      },
    ],
  };
}
