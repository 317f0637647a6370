import type { GpadRecord } from "../parsers/gpad-mapping";
import { syncRows } from "../repository.server";
import { CLINICAL_SOURCE, mergeClinicalSystem, normaliseSystem } from "./clinical-system";
import { syncGeography } from "./geography";
import { blankPractice, groupBy, mostCommon, type ApplyContext, type Outcome } from "./outcome";
import { outsideIcb } from "./scope";

/**
 * GPAD mapping is the newest view of the hierarchy (with names), of which PCN each practice is in,
 * and of its IT supplier. It creates practices it names that are not yet imported, so the order of
 * files does not matter; once epraccur has described a practice (prescribing_setting is set),
 * GPAD no longer touches its name or geography, only its PCN and supplier.
 */
export async function applyGpadMapping(ctx: ApplyContext, out: Outcome, all: GpadRecord[]) {
  const records = ctx.onlyIcb ? all.filter((r) => r.icbCode === ctx.onlyIcb) : all;
  if (ctx.onlyIcb) out.skipped.add(outsideIcb(ctx.onlyIcb), all.length - records.length);

  await syncGeography(ctx, out, records, "authoritative");

  // A PCN's sub-ICB here is its practices' (PCNs can straddle sub-ICBs): take the majority.
  const pcns = [
    ...groupBy(
      records.filter((r) => r.pcnCode),
      (r) => r.pcnCode!,
    ),
  ].map(([code, rows]) => ({
    code,
    name: mostCommon(rows.map((r) => r.pcnName))!,
    subIcbCode: mostCommon(rows.map((r) => r.subIcbCode)),
  }));
  const pcnSync = await syncRows(
    ctx.db,
    "pcn",
    pcns,
    (p) => ({ code: p.code }),
    (prev, p) => {
      if (!prev)
        return { code: p.code, name: p.name, sub_icb_code: p.subIcbCode, open_date: null, close_date: null, address: null, postcode: null };
      // ePCN (which gives open dates) owns the details of PCNs it lists; GPAD only fills gaps there.
      if (prev.open_date !== null) return { ...prev, sub_icb_code: prev.sub_icb_code ?? p.subIcbCode };
      return { ...prev, name: p.name, sub_icb_code: p.subIcbCode };
    },
  );
  out.add("pcn", pcnSync);
  out.auditPcns(pcnSync.updated);

  const practiceSync = await syncRows(
    ctx.db,
    "practice",
    records,
    (r) => ({ ods_code: r.code }),
    (prev, r) => {
      const base = prev ?? { ...blankPractice(r.code), country: "England", status: "A" };
      const describedByEpraccur = base.prescribing_setting !== null;
      const located = describedByEpraccur
        ? {
            region_code: base.region_code ?? r.regionCode,
            icb_code: base.icb_code ?? r.icbCode,
            sub_icb_code: base.sub_icb_code ?? r.subIcbCode,
          }
        : { name: r.name, region_code: r.regionCode, icb_code: r.icbCode, sub_icb_code: r.subIcbCode };
      return mergeClinicalSystem(
        // UNALLOCATED (null) leaves pcn_code as it was rather than clearing what ePCN recorded.
        { ...base, ...located, pcn_code: r.pcnCode ?? base.pcn_code },
        { system: normaliseSystem(r.supplier), detail: r.supplier, source: CLINICAL_SOURCE.gpad },
      );
    },
  );
  out.add("practice", practiceSync);
  out.auditPractices(practiceSync.updated);

  const unallocated = records.filter((r) => r.pcnCode === null).length;
  if (unallocated) {
    out.notes.push(`${unallocated} practices are UNALLOCATED to a PCN in GPAD; their pcn_code is left as it was`);
  }
}
