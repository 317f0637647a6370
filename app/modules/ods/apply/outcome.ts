import type { Db } from "#db/connect";
import type { AuditInput } from "~/modules/audit/repository.server";
import { SkipCounter } from "../fields";
import type { OdsRows, RowChange, SyncOutcome } from "../repository.server";
import type { EntityCounts, OdsCountEntity, RejectedRow } from "../types";

export interface ApplyContext {
  /** The file's transaction: every write of one file commits or rolls back together. */
  db: Db;
  userId: number | null;
  /** Restrict the file to one ICB's practices (e.g. the North East London demo). */
  onlyIcb?: string;
}

/** Everything one file's import reports back: counts, skips, notes and audit events to write. */
export class Outcome {
  readonly counts: Partial<Record<OdsCountEntity, EntityCounts>> = {};
  /** Rows refused while applying (e.g. a successor not in the register), beside the parser's. */
  readonly rejected: RejectedRow[] = [];
  readonly skipped = new SkipCounter();
  readonly notes: string[] = [];
  readonly audit: AuditInput[] = [];

  constructor(private readonly userId: number | null) {}

  private entity(entity: OdsCountEntity): EntityCounts {
    return (this.counts[entity] ??= { created: 0, updated: 0, unchanged: 0, rejected: 0 });
  }

  add(entity: OdsCountEntity, sync: SyncOutcome<unknown>) {
    const c = this.entity(entity);
    c.created += sync.created.length;
    c.updated += sync.updated.length;
    c.unchanged += sync.unchanged;
  }

  reject(entity: OdsCountEntity, n: number) {
    this.entity(entity).rejected += n;
  }

  /** One `ods.update` per changed practice, plus `ods.close` when its status becomes closed. */
  auditPractices(changes: RowChange<OdsRows["practice"]>[]) {
    for (const c of changes) {
      this.audit.push({
        userId: this.userId,
        action: "ods.update",
        entityType: "practice",
        entityId: c.row.ods_code,
        before: c.before,
        after: c.after,
      });
      if (c.after.status === "C" && c.before.status !== undefined && c.before.status !== "C") {
        this.audit.push({
          userId: this.userId,
          action: "ods.close",
          entityType: "practice",
          entityId: c.row.ods_code,
          before: { status: c.before.status },
          after: { status: "C", close_date: c.row.close_date },
        });
      }
    }
  }

  /** One `ods.update` per changed PCN, plus `ods.close` when it gains a close date. */
  auditPcns(changes: RowChange<OdsRows["pcn"]>[]) {
    for (const c of changes) {
      this.audit.push({
        userId: this.userId,
        action: "ods.update",
        entityType: "pcn",
        entityId: c.row.code,
        before: c.before,
        after: c.after,
      });
      if (c.before.close_date === null && c.after.close_date) {
        this.audit.push({
          userId: this.userId,
          action: "ods.close",
          entityType: "pcn",
          entityId: c.row.code,
          before: { close_date: null },
          after: { close_date: c.after.close_date },
        });
      }
    }
  }
}

/** The most frequent non-null value; ties go to the alphabetically first so row order never matters. */
export function mostCommon(values: (string | null | undefined)[]): string | null {
  const counts = new Map<string, number>();
  for (const v of values) if (v) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best: string | null = null;
  for (const [v, n] of counts) {
    const bestN = best === null ? 0 : counts.get(best)!;
    if (n > bestN || (n === bestN && best !== null && v < best)) best = v;
  }
  return best;
}

/** Groups rows by a key, keeping first-seen order. */
export function groupBy<R>(rows: R[], key: (r: R) => string): Map<string, R[]> {
  const groups = new Map<string, R[]>();
  for (const r of rows) {
    const k = key(r);
    const list = groups.get(k);
    if (list) list.push(r);
    else groups.set(k, [r]);
  }
  return groups;
}

/** A practice row with nothing known yet but its code, for files that create practices. */
export function blankPractice(code: string): OdsRows["practice"] {
  return {
    ods_code: code,
    name: code,
    address: null,
    postcode: null,
    phone: null,
    status: "A",
    open_date: null,
    close_date: null,
    prescribing_setting: null,
    country: "England",
    region_code: null,
    icb_code: null,
    sub_icb_code: null,
    pcn_code: null,
    clinical_system: null,
    clinical_system_detail: null,
    clinical_system_source: null,
    list_size: null,
    list_size_date: null,
  };
}
