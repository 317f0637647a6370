import type { SessionUser } from "~/modules/auth/service.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { getDb } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/errors";
import { idParam } from "~/utils/params";
import { scopeCoversIcb, scopeCoversPractice, scopeFor } from "~/utils/permissions";
import type { Authorised } from "~/modules/auth/permissions.server";
import * as repo from "./repository.server";
import type { DutyOwner } from "./schema";

type PracticeRef = { ods_code: string; icb_code: string | null };

/**
 * After `requirePracticeAccess` (read scope, else 404): may this user answer the practice's
 * assessment, or verify it? With `attest`, refuses (403) anyone who may not answer.
 */
export function assessmentRights(user: SessionUser, practice: PracticeRef, need?: "attest") {
  const canAttest = scopeCoversPractice(scopeFor(user.memberships, "assessment:attest"), practice);
  const canVerify = scopeCoversPractice(scopeFor(user.memberships, "assessment:verify"), practice);
  if (need === "attest" && !canAttest) throw forbidden("Only the practice's manager can answer its self-assessment.");
  return { canAttest, canVerify };
}

/**
 * After `requirePermission(request, "org:read")`: an ICB's assessment pages. Reading needs the
 * whole ICB in scope (else 404); opening or closing a cycle needs `assessment:verify` for it (403).
 */
export async function icbAssessmentRights(auth: Authorised, rawCode: string | undefined, need?: "verify") {
  const code = OdsCodeSchema.safeParse(rawCode ?? "");
  if (!code.success || !scopeCoversIcb(auth.scope, code.data)) throw notFound("ICB");
  const icb = await repo.findIcb(getDb(), code.data);
  if (!icb) throw notFound("ICB");
  const canVerify = scopeCoversIcb(scopeFor(auth.user.memberships, "assessment:verify"), icb.code);
  if (need === "verify" && !canVerify) throw forbidden("Only the ICB's digital lead can open or close assessment cycles.");
  return { icb, canVerify };
}

/**
 * After `requirePermission(request, "org:read")`: the ICB's review of one assessment. Out of
 * read scope is 404; in view but without `assessment:verify` for the practice's ICB is 403.
 */
export async function reviewRights(auth: Authorised, rawId: string | undefined) {
  const id = idParam(rawId, "assessment");
  const found = await repo.findAssessment(getDb(), id);
  // The ICB that opened the cycle is the one that verifies it (even if the practice later moves ICB).
  const practice = found ? { ods_code: found.practice_code, icb_code: found.icb_code } : null;
  if (!found || !practice || !scopeCoversPractice(auth.scope, practice)) throw notFound("assessment");
  if (!scopeCoversIcb(scopeFor(auth.user.memberships, "assessment:verify"), found.icb_code)) {
    throw forbidden("Only the ICB's digital lead can verify this assessment.");
  }
  return { assessmentId: id };
}

/** Which duties a user answers for a practice: the ICB's (its digital lead) and the delivery partner's (the partner serving it). */
export function dutyOwners(user: SessionUser, practice: PracticeRef & { cycle_icb_code?: string | null }): DutyOwner[] {
  const owners: DutyOwner[] = [];
  if (scopeCoversIcb(scopeFor(user.memberships, "assessment:verify"), practice.cycle_icb_code ?? practice.icb_code)) owners.push("icb");
  if (scopeCoversPractice(scopeFor(user.memberships, "assessment:partner"), practice)) owners.push("delivery_partner");
  return owners;
}

/**
 * After `requirePermission(request, "org:read")`: the duties page of one assessment. Out of read
 * scope is 404; a user who answers none of its duties (a practice manager) is refused (403).
 */
export async function dutyRights(auth: Authorised, rawId: string | undefined) {
  const id = idParam(rawId, "assessment");
  const found = await repo.findAssessment(getDb(), id);
  const practice = found ? { ods_code: found.practice_code, icb_code: found.practice_icb_code, cycle_icb_code: found.icb_code } : null;
  if (!found || !practice || !scopeCoversPractice(auth.scope, practice)) throw notFound("assessment");
  const owners = dutyOwners(auth.user, practice);
  if (owners.length === 0) {
    throw forbidden("Only the ICB's digital lead or the practice's GP IT delivery partner can answer these duties.");
  }
  return { assessmentId: id, owners };
}

/** On an ICB's assessment pages: which duties this user answers there, and for which practices (null: all the ICB's). */
export function icbDutyScope(user: SessionUser, icbCode: string): { owners: DutyOwner[]; practiceCodes: string[] | null } {
  const owners: DutyOwner[] = [];
  let practiceCodes: string[] | null = null;
  if (scopeCoversIcb(scopeFor(user.memberships, "assessment:verify"), icbCode)) owners.push("icb");
  const partner = scopeFor(user.memberships, "assessment:partner");
  if (scopeCoversIcb(partner, icbCode)) owners.push("delivery_partner");
  else if (!partner.all && partner.practiceCodes.length) {
    owners.push("delivery_partner");
    // A partner serving some practices only: its queue is theirs (an ICB lead's covers the whole ICB anyway).
    if (!owners.includes("icb")) practiceCodes = partner.practiceCodes;
  }
  return { owners, practiceCodes };
}
