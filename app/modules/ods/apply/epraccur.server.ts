import type { EpraccurRecord } from "../parsers/epraccur";
import { syncRows } from "../repository.server";
import { loadSuccessions } from "../succession-repository.server";
import { syncGeography } from "./geography";
import { blankPractice, type ApplyContext, type Outcome } from "./outcome";
import { outsideIcb } from "./scope";
import { finalSuccessor } from "./succession.server";

/**
 * What recorded successions mean for an epraccur row: an ICB that merged reads as its successor
 * (a file from before the merger must not move practices back), and a practice that merged
 * stays closed whatever an older file says.
 */
async function successionView(ctx: ApplyContext) {
  const [icbRows, practiceRows] = await Promise.all([loadSuccessions(ctx.db, "icb"), loadSuccessions(ctx.db, "practice")]);
  const successors = new Map<string, Set<string>>();
  for (const r of icbRows) (successors.get(r.old_code) ?? successors.set(r.old_code, new Set()).get(r.old_code)!).add(r.new_code);
  const icbNow = (code: string | null) => {
    if (!code || !successors.has(code)) return code;
    const walk = finalSuccessor(code, successors);
    return "final" in walk ? walk.final : code;
  };
  const merged = new Map<string, string>();
  for (const r of practiceRows)
    if (!merged.has(r.old_code) || r.effective_date < merged.get(r.old_code)!) merged.set(r.old_code, r.effective_date);
  return { icbNow, merged };
}

/**
 * epraccur is the authority on a practice's own details: name, address, status, dates and where
 * it sits (region, ICB, sub-ICB). It overwrites those fields and leaves the ones other files own
 * (PCN, clinical system, list size) as they are. The practice's main site mirrors its address.
 */
export async function applyEpraccur(ctx: ApplyContext, out: Outcome, all: EpraccurRecord[]) {
  const { icbNow, merged } = await successionView(ctx);
  const mapped = all.map((r) => {
    const icbCode = icbNow(r.icbCode);
    return icbCode === r.icbCode ? r : { ...r, icbCode };
  });
  const remapped = mapped.filter((r, i) => r !== all[i]).length;
  if (remapped) out.notes.push(`${remapped} practices filed under a merged ICB were placed in its successor`);
  const records = ctx.onlyIcb ? mapped.filter((r) => r.icbCode === ctx.onlyIcb) : mapped;
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
      // A practice recorded as merged stays closed even when an older file lists it open.
      status: merged.has(r.code) ? "C" : r.status,
      open_date: r.openDate,
      close_date: merged.has(r.code) ? (r.closeDate ?? prev?.close_date ?? merged.get(r.code)!) : r.closeDate,
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
      (prev, r) => ({
        code: r.code,
        // A merged practice's premises were carried to its successor as a branch: they stay there.
        practice_code: prev && prev.practice_code !== r.code ? prev.practice_code : r.code,
        kind: prev && prev.practice_code !== r.code ? prev.kind : ("main" as const),
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
