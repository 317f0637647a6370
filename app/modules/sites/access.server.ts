import { requirePracticeAccess } from "~/modules/estate/access.server";
import { forbidden } from "~/utils/errors";

/**
 * Adding or deleting a manual site: either editor of the practice's estate may, the delivery
 * partner (connectivity) or the practice (premises). Read scope is checked first, so a practice
 * out of scope is still a 404.
 */
export async function requireSiteEditor(request: Request, ods: string | undefined) {
  const access = await requirePracticeAccess(request, ods);
  if (!access.canEditIcbEstate && !access.canEditPracticeEstate) {
    throw forbidden("Only the practice or its GP IT delivery partner can add or remove sites.");
  }
  return access;
}
