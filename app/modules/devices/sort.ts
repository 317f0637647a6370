import type { SupportState } from "~/modules/os-lifecycle/support";
import { DEVICE_TYPES, type DeviceType } from "./schema";

export interface SortableDevice {
  id: number;
  asset_tag: string | null;
  serial_number: string | null;
  device_type: string;
  purchase_date: string | null;
  warranty_end: string | null;
  support: { state: SupportState; endOfSupport: string | null };
}

const text = new Intl.Collator("en-GB", { numeric: true, sensitivity: "base" });

const KEYS: Record<string, (d: SortableDevice) => string | null> = {
  asset_tag: (d) => d.asset_tag ?? d.serial_number,
  type: (d) => DEVICE_TYPES[d.device_type as DeviceType] ?? d.device_type,
  purchase_date: (d) => d.purchase_date,
  warranty_end: (d) => d.warranty_end,
  end_of_support: (d) => d.support.endOfSupport,
};

function makeComparator(key: (d: SortableDevice) => string | null, sign: number) {
  return (a: SortableDevice, b: SortableDevice) => {
    const ka = key(a);
    const kb = key(b);
    if (ka === null || kb === null) {
      if (ka !== kb) return ka === null ? 1 : -1;
    } else {
      const c = text.compare(ka, kb);
      if (c !== 0) return c * sign;
    }
    return a.id - b.id;
  };
}

/*
 * One comparator per column and direction, kept: one made on each request would lose its
 * optimized code at every full collection, V8 keeping it only while one is alive
 * (docs/performance.md, session 16, optimized code dropped at every full collection).
 */
const comparators = new Map<string, (a: SortableDevice, b: SortableDevice) => number>();

/**
 * Sorts by one column, either way. Blanks always go last (not first when descending), and ties
 * keep id order, so paging through a list never repeats or skips a device.
 */
export function sortDevices<T extends SortableDevice>(rows: T[], sort: string, dir: "asc" | "desc"): T[] {
  const column = Object.hasOwn(KEYS, sort) ? sort : "asset_tag";
  const id = `${column} ${dir}`;
  let compare = comparators.get(id);
  if (!compare) comparators.set(id, (compare = makeComparator(KEYS[column], dir === "desc" ? -1 : 1)));
  return [...rows].sort(compare);
}
