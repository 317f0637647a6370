import type { Db } from "#db/connect";
import { requirementById } from "~/modules/catalogue";
import { DEVICE_RECORD_COLUMNS, STATUS_LABELS, type DeviceRecord, type Finding, type Status } from "~/modules/catalogue/rule-types";
import { UNIT_KINDS, type UnitKind } from "~/modules/catalogue/units";
import { whatIfDeviceChanges, type DeviceChange, type GapTotals } from "~/modules/compliance/what-if.server";
import type { DeviceInput } from "~/modules/devices/schema";
import type { Preview } from "./validate";

/**
 * The impact preview (issue 17): how each practice's compliance and estimated cost would change if
 * the checked file were imported, worked out by the compliance rules in memory on the register as
 * it would be (compliance/what-if.server.ts), writing nothing. Bounded: the practices with the
 * most rows changing, IMPACT_PRACTICES at most, so a 50,000-row file over 500 practices still
 * gives a quick page; the rest are named by count.
 */

export const IMPACT_PRACTICES = 10;

export interface RequirementImpact {
  requirementId: string;
  title: string;
  before: Status;
  after: Status;
  beforeLabel: string;
  afterLabel: string;
  /** What the rules count, before → after ("Replace a desktop or thin client: 8 → 22"). */
  units: string[];
  /** The rules' reason after the import. */
  reason: string;
}

export interface PracticeImpact {
  odsCode: string;
  name: string;
  rowsChanging: number;
  requirements: RequirementImpact[];
  gapsBefore: GapTotals;
  gapsAfter: GapTotals;
}

export interface ImpactPreview {
  practices: PracticeImpact[];
  /** Practices the file changes, of which `practices` are the first. */
  practiceCount: number;
  computedMs: number;
}

/** A checked row as the rules read a stored device. */
function asRecord(id: number, data: DeviceInput): DeviceRecord {
  const out: Record<string, unknown> = { id };
  for (const f of DEVICE_RECORD_COLUMNS) out[f] = data[f] ?? null;
  return out as DeviceRecord;
}

/** Per practice, what the import would do to its devices. */
export function deviceChangesOf(preview: Preview): Map<string, { change: DeviceChange; rows: number }> {
  const plans = new Map<string, { creates: DeviceInput[]; updates: Map<number, DeviceInput>; retire: Set<number>; rows: number }>();
  const plan = (code: string) => {
    let p = plans.get(code);
    if (!p) plans.set(code, (p = { creates: [], updates: new Map(), retire: new Set(), rows: 0 }));
    return p;
  };
  for (const r of preview.valid) {
    if (r.action === "unchanged") continue;
    const p = plan(r.practice_code);
    p.rows++;
    if (r.action === "create") p.creates.push(r.data);
    else p.updates.set(r.existing!.id, r.data);
  }
  for (const d of preview.retire ?? []) {
    const p = plan(d.practice_code);
    p.rows++;
    p.retire.add(d.id);
  }
  const out = new Map<string, { change: DeviceChange; rows: number }>();
  for (const [code, p] of plans) {
    const change: DeviceChange = (devices) =>
      [
        ...devices
          .filter((d) => !p.retire.has(d.id))
          .map((d) => {
            const u = p.updates.get(d.id);
            return u ? asRecord(d.id, u) : d;
          }),
        // New devices are judged with ids no stored device has; the rules only compare them.
        ...p.creates.map((data, i) => asRecord(-(i + 1), data)),
      ].filter((d) => d.status !== "disposed");
    out.set(code, { change, rows: p.rows });
  }
  return out;
}

function unitChanges(before: Finding | undefined, after: Finding | undefined): string[] {
  const sum = (f: Finding | undefined) => {
    const m = new Map<string, number>();
    for (const u of f?.units ?? []) m.set(u.kind, (m.get(u.kind) ?? 0) + u.quantity);
    return m;
  };
  const a = sum(before);
  const b = sum(after);
  const out: string[] = [];
  for (const kind of new Set([...a.keys(), ...b.keys()])) {
    const x = a.get(kind) ?? 0;
    const y = b.get(kind) ?? 0;
    if (x !== y) out.push(`${UNIT_KINDS[kind as UnitKind] ?? kind}: ${x} → ${y}`);
  }
  return out;
}

/** The impact of a checked file on the practices it changes most, computed and not stored. */
export async function impactPreview(db: Db, preview: Preview, asOf: string, limit = IMPACT_PRACTICES): Promise<ImpactPreview> {
  const t0 = performance.now();
  const all = deviceChangesOf(preview);
  const chosen = [...all.entries()].sort(([a, x], [b, y]) => y.rows - x.rows || a.localeCompare(b)).slice(0, limit);
  const results = await whatIfDeviceChanges(db, new Map(chosen.map(([code, c]) => [code, c.change])), asOf);
  const practices = results.map((r): PracticeImpact => {
    const requirements: RequirementImpact[] = [];
    for (const [id, after] of r.after) {
      const before = r.before.get(id);
      const units = unitChanges(before, after);
      if (before?.status === after.status && units.length === 0) continue;
      const b = before?.status ?? "unknown";
      requirements.push({
        requirementId: id,
        title: requirementById(id)?.title ?? id,
        before: b,
        after: after.status,
        beforeLabel: STATUS_LABELS[b],
        afterLabel: STATUS_LABELS[after.status],
        units,
        reason: after.reason,
      });
    }
    requirements.sort((x, y) => x.requirementId.localeCompare(y.requirementId, "en", { numeric: true }));
    return {
      odsCode: r.ods_code,
      name: r.name,
      rowsChanging: all.get(r.ods_code)?.rows ?? 0,
      requirements,
      gapsBefore: r.gapsBefore,
      gapsAfter: r.gapsAfter,
    };
  });
  practices.sort((a, b) => b.rowsChanging - a.rowsChanging || a.odsCode.localeCompare(b.odsCode));
  return { practices, practiceCount: all.size, computedMs: Math.round(performance.now() - t0) };
}
