import type { EbranchRecord } from "../parsers/ebranchs";
import { syncRows } from "../repository.server";
import type { ApplyContext, Outcome } from "./outcome";
import { practicesInScope } from "./scope";

/** Branch surgeries become `site` rows of kind 'branch' under their parent practice. */
export async function applyEbranchs(ctx: ApplyContext, out: Outcome, all: EbranchRecord[]) {
  const { admit } = await practicesInScope(
    ctx,
    out,
    all.map((r) => r.parentCode),
    "parent practice not imported",
  );
  const records = all.filter((r) => admit(r.parentCode));
  out.add(
    "site",
    await syncRows(
      ctx.db,
      "site",
      records,
      (r) => ({ code: r.code }),
      (_prev, r) => ({
        code: r.code,
        practice_code: r.parentCode,
        kind: "branch" as const,
        name: r.name,
        address: r.address,
        postcode: r.postcode,
        phone: r.phone,
        open_date: r.openDate,
        close_date: r.closeDate,
      }),
    ),
  );
}
