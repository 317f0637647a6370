import { describe, expect, it } from "vitest";
import type { PcnRiskRow } from "~/modules/dashboard/estate-risk";
import { packRiskRows, unpackRiskRows } from "~/modules/dashboard/risk-rows";

const row = (pcn_code: string | null, n: number): PcnRiskRow => ({
  pcn_code,
  pcn_name: pcn_code ? `PCN ${pcn_code}` : "No PCN",
  practices: n,
  devicesInUse: n + 1,
  unsupported: n + 2,
  esu: n + 3,
  osUnknown: n + 4,
  practicesUnsupported: n + 5,
  telephonyAnalogue: n + 6,
  telephonyOnPremises: n + 7,
  telephonyCloud: n + 8,
  telephonyNotRecorded: n + 9,
  analogueSites: n + 10,
  analogueLines: n + 11,
});

describe("the risk table's rows as the dashboard's loader sends them", () => {
  it("unpack to the rows packed, less cloud telephony, which the page does not show", () => {
    const rows = [row("U05451", 0), row(null, 20)];
    const sent = JSON.parse(JSON.stringify(packRiskRows(rows)));
    expect(sent.every(Array.isArray)).toBe(true);
    expect(unpackRiskRows(sent)).toEqual(rows.map(({ telephonyCloud: _c, ...r }) => r));
  });

  it("are sent as [code, name, then the figures in the table's order], and unpack with the same keys in the same order", () => {
    const [packed] = packRiskRows([row("U05451", 0)]);
    // The wire format the page reads (and the bytes of the page): cloud telephony (8) is left out.
    expect(packed).toEqual(["U05451", "PCN U05451", 0, 1, 2, 3, 4, 5, 6, 7, 9, 10, 11]);
    const [r] = unpackRiskRows([packed]);
    expect(Object.keys(r)).toEqual([
      "pcn_code",
      "pcn_name",
      "practices",
      "devicesInUse",
      "unsupported",
      "esu",
      "osUnknown",
      "practicesUnsupported",
      "telephonyAnalogue",
      "telephonyOnPremises",
      "telephonyNotRecorded",
      "analogueSites",
      "analogueLines",
    ]);
    expect(packRiskRows([])).toEqual([]);
  });
});
