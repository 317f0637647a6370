import type { EpcnParse } from "../parsers/epcn";
import { subIcbCodesInIcb, syncRows } from "../repository.server";
import { syncGeography } from "./geography";
import { groupBy, type ApplyContext, type Outcome } from "./outcome";
import { outsideIcb, practicesInScope } from "./scope";

/**
 * ePCN is the PCN register: it owns each PCN's name, sub-ICB, dates and address, and records the
 * dated history of practice membership. It never creates practices. A practice's current PCN is
 * taken from here only when nothing newer (GPAD) has set it.
 */
export async function applyEpcn(ctx: ApplyContext, out: Outcome, { pcns: allPcns, memberships }: EpcnParse["records"]) {
  let pcns = allPcns;
  if (ctx.onlyIcb) {
    // The PCN sheet has no ICB column: keep PCNs whose sub-ICB is already filed under the ICB.
    const subIcbs = await subIcbCodesInIcb(ctx.db, ctx.onlyIcb);
    pcns = allPcns.filter((p) => p.subIcbCode !== null && subIcbs.has(p.subIcbCode));
    out.skipped.add(`PCN ${outsideIcb(ctx.onlyIcb)}`, allPcns.length - pcns.length);
  }

  await syncGeography(
    ctx,
    out,
    pcns.map((p) => ({ regionCode: null, icbCode: null, subIcbCode: p.subIcbCode, subIcbName: p.subIcbName })),
    "stub",
  );
  const pcnSync = await syncRows(
    ctx.db,
    "pcn",
    pcns,
    (p) => ({ code: p.code }),
    (_prev, p) => ({
      code: p.code,
      name: p.name,
      sub_icb_code: p.subIcbCode,
      open_date: p.openDate,
      close_date: p.closeDate,
      address: p.address,
      postcode: p.postcode,
    }),
  );
  out.add("pcn", pcnSync);
  out.auditPcns(pcnSync.updated);

  const { admit } = await practicesInScope(
    ctx,
    out,
    memberships.map((m) => m.practiceCode),
    "membership: practice not imported",
  );
  const admitted = memberships.filter((m) => admit(m.practiceCode));
  out.add(
    "practice_pcn_membership",
    await syncRows(
      ctx.db,
      "practice_pcn_membership",
      admitted,
      (m) => ({ practice_code: m.practiceCode, pcn_code: m.pcnCode, start_date: m.startDate }),
      // The file holds the whole history, so its end date (set, changed or cleared) is the truth.
      (_prev, m) => ({ practice_code: m.practiceCode, pcn_code: m.pcnCode, start_date: m.startDate, end_date: m.endDate }),
    ),
  );

  // Current PCN per practice: the open membership that started last.
  const current = [
    ...groupBy(
      admitted.filter((m) => m.endDate === null),
      (m) => m.practiceCode,
    ),
  ].map(([code, open]) => ({
    code,
    pcnCode: open.reduce((a, b) => (b.startDate > a.startDate ? b : a)).pcnCode,
  }));
  const practiceSync = await syncRows(
    ctx.db,
    "practice",
    current,
    (c) => ({ ods_code: c.code }),
    (prev, c) => (prev ? (prev.pcn_code === null ? { ...prev, pcn_code: c.pcnCode } : prev) : null),
  );
  out.add("practice", practiceSync);
  out.auditPractices(practiceSync.updated);
}
