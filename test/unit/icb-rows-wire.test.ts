import { describe, expect, it } from "vitest";
import type { IcbHeatRow } from "~/components/compliance/types";
import { packIcbHeatRows, packIcbPracticeRows, unpackIcbHeatRows, unpackIcbPracticeRows } from "~/modules/compliance/icb-rows-wire";
import type { IcbPracticeRow } from "~/modules/compliance/icb-view.server";

const practice = (ods_code: string, checked: boolean): IcbPracticeRow => ({
  ods_code,
  name: "LOWER CLAPTON GROUP PRACTICE",
  pcn_code: checked ? "U12345" : null,
  pcn_name: checked ? "HACKNEY MARSHES PCN" : null,
  list_size: checked ? 14_210 : null,
  list_size_date: checked ? "2026-10-01" : null,
  checked,
  score: checked ? 61.5 : null,
  counts: checked ? { met: 18, partial: 13, not_met: 9, unknown: 4, not_applicable: 3 } : null,
});

const heat = (pcn: string, cells: IcbHeatRow["cells"]): IcbHeatRow => ({
  pcn,
  pcn_name: pcn === "none" ? "No PCN" : "HACKNEY MARSHES PCN",
  practices: 5,
  score: cells.length ? 80.1 : null,
  cells,
});

/** As the page receives it (numbers, strings, nulls and booleans only). */
const sent = <T>(v: T): T => JSON.parse(JSON.stringify(v));

describe("the ICB compliance page's rows as its loader sends them", () => {
  it("practices: arrays, counts in the order of the statuses, and unpack to the rows packed, nulls and false included", () => {
    const rows = [practice("F84003", true), practice("N00001", false)];
    const packed = sent(packIcbPracticeRows(rows));
    expect(packed[0]).toEqual([
      "F84003",
      "LOWER CLAPTON GROUP PRACTICE",
      "U12345",
      "HACKNEY MARSHES PCN",
      14_210,
      "2026-10-01",
      true,
      61.5,
      [18, 13, 9, 4, 3],
    ]);
    expect(packed[1]).toEqual(["N00001", "LOWER CLAPTON GROUP PRACTICE", null, null, null, null, false, null, null]);
    expect(unpackIcbPracticeRows(packed)).toEqual(rows);
  });

  it("heat map: arrays, each row's cells one list of three numbers a domain, and unpack to the rows packed", () => {
    const rows = [
      heat("U12345", [
        [5, 95, 0],
        [4, null, 2],
        [0, null, 0],
      ]),
      heat("none", []),
    ];
    const packed = sent(packIcbHeatRows(rows));
    expect(packed[0]).toEqual(["U12345", "HACKNEY MARSHES PCN", 5, 80.1, [5, 95, 0, 4, null, 2, 0, null, 0]]);
    expect(unpackIcbHeatRows(packed)).toEqual(rows);
  });
});
