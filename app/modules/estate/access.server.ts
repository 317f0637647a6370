import { getDb } from "~/utils/db.server";
import { forbidden, notFound } from "~/utils/errors";
import { findPracticeKey } from "~/modules/org/repository.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { scopeCoversPractice, scopeFor, type Permission } from "~/utils/permissions";
import { requirePermission, type Authorised } from "~/modules/auth/permissions.server";

export interface PracticeAccess extends Authorised {
  practice: { ods_code: string; name: string; icb_code: string | null };
  /** Devices, connectivity, clinical systems and digital services (ICB-managed estate). */
  canEditIcbEstate: boolean;
  /** Telephony and premises facts (practice-owned estate). */
  canEditPracticeEstate: boolean;
}

/**
 * The first call of every estate loader and action. Reading needs the practice in the user's
 * read scope (else 404, so nothing leaks); writing needs `write` held for that practice (else 403).
 */
export async function requirePracticeAccess(
  request: Request,
  rawOds: string | undefined,
  write?: Extract<Permission, "estate.icb:write" | "estate.practice:write">,
): Promise<PracticeAccess> {
  const auth = await requirePermission(request, "org:read");
  const code = OdsCodeSchema.safeParse(rawOds ?? "");
  if (!code.success) throw notFound("practice");
  const practice = await findPracticeKey(getDb(), code.data);
  if (!practice || !scopeCoversPractice(auth.scope, practice)) throw notFound("practice");
  const memberships = auth.user.memberships;
  const canEditIcbEstate = scopeCoversPractice(scopeFor(memberships, "estate.icb:write"), practice);
  const canEditPracticeEstate = scopeCoversPractice(scopeFor(memberships, "estate.practice:write"), practice);
  if (write === "estate.icb:write" && !canEditIcbEstate)
    throw forbidden("Only the GP IT delivery partner for this practice can change this.");
  if (write === "estate.practice:write" && !canEditPracticeEstate) throw forbidden("Only this practice's manager can change this.");
  return { ...auth, practice, canEditIcbEstate, canEditPracticeEstate };
}
