import { describe, expect, it } from "vitest";
import { sortDevices, type SortableDevice } from "~/modules/devices/sort";

const device = (id: number, asset_tag: string | null, warranty_end: string | null): SortableDevice => ({
  id,
  asset_tag,
  serial_number: null,
  device_type: "desktop",
  purchase_date: null,
  warranty_end,
  support: { state: "supported", endOfSupport: null },
});

const rows = [device(1, "B2", "2027-01-01"), device(2, "a10", null), device(3, "A9", "2026-01-01"), device(4, null, "2027-01-01")];
const ids = (r: SortableDevice[]) => r.map((d) => d.id);

// The comparators are kept per column and direction (session 16): each pair must still sort by
// its own column and direction, whichever came first.
describe("sortDevices", () => {
  it("sorts by each column either way, blanks last, ties by id", () => {
    expect(ids(sortDevices(rows, "asset_tag", "asc"))).toEqual([3, 2, 1, 4]);
    expect(ids(sortDevices(rows, "asset_tag", "desc"))).toEqual([1, 2, 3, 4]);
    expect(ids(sortDevices(rows, "warranty_end", "asc"))).toEqual([3, 1, 4, 2]);
    expect(ids(sortDevices(rows, "warranty_end", "desc"))).toEqual([1, 4, 3, 2]);
    expect(ids(sortDevices(rows, "asset_tag", "asc"))).toEqual([3, 2, 1, 4]);
  });

  it("sorts an unknown column as the asset tag, and leaves the rows given alone", () => {
    const given = [...rows];
    expect(ids(sortDevices(rows, "nonsense", "desc"))).toEqual([1, 2, 3, 4]);
    expect(ids(sortDevices(rows, "toString", "asc"))).toEqual([3, 2, 1, 4]);
    expect(rows).toEqual(given);
  });
});
