import type { EpraccurRecord } from "../parsers/epraccur";
import { syncRows } from "../repository.server";
import { syncGeography } from "./geography";
import { blankPractice, type ApplyContext, type Outcome } from "./outcome";
import { outsideIcb } from "./scope";

/**
 * epraccur is the authority on a practice's own details: name, address, status, dates and where
 * it sits (region, ICB, sub-ICB). It overwrites those fields and leaves the ones other files own
 * (PCN, clinical system, list size) as they are. The practice's main site mirrors its address.
 */
export async function applyEpraccur(ctx: ApplyContext, out: Outcome, all: EpraccurRecord[]) {
  const records = ctx.onlyIcb ? all.filter((r) => r.icbCode === ctx.onlyIcb) : all;
  if (ctx.onlyIcb) out.skipped.add(outsideIcb(ctx.onlyIcb), all.length - records.length);

  await syncGeography(ctx, out, records, "stub");

  const practices = await syncRows(
    ctx.db,
    "practice",
    records,
    (r) => ({ ods_code: r.code }),
    (prev, r) => ({
      ...(prev ?? blankPractice(r.code)),
      name: r.name,
      address: r.address,
      postcode: r.postcode,
      phone: r.phone,
      status: r.status,
      open_date: r.openDate,
      close_date: r.closeDate,
      prescribing_setting: r.prescribingSetting,
      country: r.country,
      region_code: r.regionCode,
      icb_code: r.icbCode,
      sub_icb_code: r.subIcbCode,
    }),
  );
  out.add("practice", practices);
  out.auditPractices(practices.updated);

  out.add(
    "site",
    await syncRows(
      ctx.db,
      "site",
      records,
      (r) => ({ code: r.code }),
      (_prev, r) => ({
        code: r.code,
        practice_code: r.code,
        kind: "main" as const,
        name: r.name,
        address: r.address,
        postcode: r.postcode,
        phone: r.phone,
        open_date: r.openDate,
        close_date: r.closeDate,
      }),
    ),
  );

  const welsh = records.filter((r) => r.country === "Wales").length;
  if (welsh) out.notes.push(`${welsh} Welsh practices imported with country Wales; they are kept out of England counts`);
}
