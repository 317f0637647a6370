import { describe, expect, it } from "vitest";
import { esuYearsField, esuYearsLabel } from "~/modules/devices/esu";
import { DeviceInputSchema } from "~/modules/devices/schema";

describe("ESU years bought (issue #13 item 5)", () => {
  it.each([
    ["", null],
    ["0", 0],
    ["none", 0],
    ["No", 0],
    ["1", 1],
    ["2 years", 2],
    ["3", 3],
    [2, 2],
  ] as const)("reads %j as %j", (input, expected) => {
    expect(esuYearsField.parse(input)).toBe(expected);
  });

  it("refuses a bare yes, which does not say which years were bought, and numbers outside 0 to 3", () => {
    expect(esuYearsField.safeParse("yes").error?.issues[0].message).toMatch(/how many years were bought \(0 to 3\), not just yes/);
    expect(esuYearsField.safeParse("4").error?.issues[0].message).toBe("ESU years bought must be a whole number from 0 to 3");
    expect(esuYearsField.safeParse("1.5").success).toBe(false);
  });

  it("is the device form's and import's field", () => {
    const r = DeviceInputSchema.safeParse({ asset_tag: "A1", device_type: "desktop", status: "in_use", esu_years: "yes" });
    expect(r.success).toBe(false);
    expect(r.error?.issues[0].path).toEqual(["esu_years"]);
    expect(esuYearsLabel(2)).toBe("Years 1 and 2");
    expect(esuYearsLabel(null)).toBe("Not known");
  });
});
