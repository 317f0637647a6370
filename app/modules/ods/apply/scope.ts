import { loadByKeys, type OdsRows } from "../repository.server";
import type { ApplyContext, Outcome } from "./outcome";

export const outsideIcb = (icb: string) => `outside ICB ${icb}`;

/**
 * For files that only add facts to practices already imported (list sizes, branches, suppliers):
 * loads those practices in one query and returns a gate that admits a row only when its practice
 * exists and, with `onlyIcb`, sits in that ICB. Turned-away rows are counted as skipped by reason.
 */
export async function practicesInScope(ctx: ApplyContext, out: Outcome, codes: string[], missingReason: string) {
  const practices = await loadByKeys(
    ctx.db,
    "practice",
    [...new Set(codes)].map((c) => ({ ods_code: c })),
  );
  const admit = (code: string): OdsRows["practice"] | undefined => {
    const practice = practices.get(code);
    if (!practice) {
      // Under onlyIcb most unknown practices simply belong to other ICBs; say so rather than alarm.
      out.skipped.add(ctx.onlyIcb ? `${missingReason} (or ${outsideIcb(ctx.onlyIcb)})` : missingReason);
      return undefined;
    }
    if (ctx.onlyIcb && practice.icb_code !== ctx.onlyIcb) {
      out.skipped.add(outsideIcb(ctx.onlyIcb));
      return undefined;
    }
    return practice;
  };
  return { practices, admit };
}
