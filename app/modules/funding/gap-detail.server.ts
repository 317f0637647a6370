import type { Db } from "#db/connect";
import { loadCostedGaps, OPEN_STATUSES } from "~/modules/gaps/costed.server";
import { gapEvents } from "~/modules/gaps/repository.server";
import { notFound } from "~/utils/errors";
import { scopeCoversPractice, scopeIsEmpty, type Scope } from "~/utils/permissions";
import { visibleRequestsForGap } from "./repository.server";

// The gap page lives here, not in gaps/: it shows the funding requests holding the gap, and
// funding depends on gaps (requests bundle costed gaps), never the other way round.

/**
 * One gap in the user's read scope, with its history and the funding requests it belongs to; 404
 * otherwise. Requests are narrowed separately by `requestScope` (the viewer's funding:request
 * scope): reading a gap does not entitle anyone to see the requests that hold it.
 */
export async function getGapDetail(db: Db, scope: Scope, rawId: string | undefined, today: string, requestScope: Scope) {
  const id = Number(rawId);
  if (!rawId || !/^\d{1,9}$/.test(rawId) || !Number.isSafeInteger(id)) throw notFound("gap");
  const [gap] = await loadCostedGaps(db, { scope, ids: [id], statuses: [...OPEN_STATUSES, "closed"] }, today);
  if (!gap) throw notFound("gap");
  const [events, requests] = await Promise.all([gapEvents(db, id), visibleRequestsForGap(db, requestScope, id)]);
  // "Add to a funding request": for someone who may raise requests for this practice, while the gap is open.
  const canRequest =
    gap.status !== "closed" && !!gap.icbCode && scopeCoversPractice(requestScope, { ods_code: gap.practiceCode, icb_code: gap.icbCode });
  return { gap, events, requests, canSeeRequests: !scopeIsEmpty(requestScope), canRequest };
}
