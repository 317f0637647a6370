import type { Trx } from "#db/connect";
import { evaluatePractice, evaluateScope } from "~/modules/compliance/evaluate.server";
import { todayIso } from "~/utils/today";

/**
 * Re-checks compliance for the practices an estate change touched, inside the change's own
 * transaction: the register and the practice's results always commit (or roll back) together,
 * so a practice page never shows a result that disagrees with its registers.
 */
export async function reevaluateAfterChange(
  trx: Trx,
  practiceCodes: string | string[],
  userId: number | null,
  onProgress?: (p: { done: number; total: number }) => void,
) {
  const codes = [...new Set(Array.isArray(practiceCodes) ? practiceCodes : [practiceCodes])];
  if (codes.length === 0) return;
  const asOf = todayIso();
  onProgress?.({ done: 0, total: codes.length });
  if (codes.length === 1) {
    await evaluatePractice(trx, codes[0], asOf, { userId });
    onProgress?.({ done: 1, total: 1 });
  } else await evaluateScope(trx, { practices: codes }, asOf, { userId, onProgress: ({ done, total }) => onProgress?.({ done, total }) });
}
