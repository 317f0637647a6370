import type { ListSizeRecord } from "../parsers/list-size";
import { syncRows } from "../repository.server";
import type { ApplyContext, Outcome } from "./outcome";
import { practicesInScope } from "./scope";

/**
 * Registered patients per practice per extract date. Every extract is kept as history; the
 * practice's own list_size shows the latest extract only, so loading an older file after a newer
 * one changes the history but not the headline figure.
 */
export async function applyListSize(ctx: ApplyContext, out: Outcome, all: ListSizeRecord[]) {
  const { admit } = await practicesInScope(
    ctx,
    out,
    all.map((r) => r.code),
    "practice not imported",
  );
  const records = all.filter((r) => admit(r.code));

  out.add(
    "practice_list_size",
    await syncRows(
      ctx.db,
      "practice_list_size",
      records,
      (r) => ({ practice_code: r.code, extract_date: r.extractDate }),
      (_prev, r) => ({ practice_code: r.code, extract_date: r.extractDate, patients: r.patients }),
    ),
  );

  const practiceSync = await syncRows(
    ctx.db,
    "practice",
    records,
    (r) => ({ ods_code: r.code }),
    (prev, r) => {
      if (!prev) return null;
      const isLatest = prev.list_size_date === null || r.extractDate >= prev.list_size_date;
      return isLatest ? { ...prev, list_size: r.patients, list_size_date: r.extractDate } : prev;
    },
  );
  out.add("practice", practiceSync);
  out.auditPractices(practiceSync.updated);
}
