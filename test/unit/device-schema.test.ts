import { describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";

const base = { asset_tag: "NEL-0001", device_type: "desktop", status: "in_use" };

describe("DeviceInputSchema", () => {
  it("accepts a minimal device and normalises blanks and dates", () => {
    const d = DeviceInputSchema.parse({ ...base, serial_number: "", purchase_date: "31/03/2021", managed: "yes", ram_gb: "8" });
    expect(d).toMatchObject({
      asset_tag: "NEL-0001",
      serial_number: null,
      purchase_date: "2021-03-31",
      managed: true,
      ram_gb: 8,
      os_family: null,
    });
  });
  it("needs an asset tag or a serial number", () => {
    const r = DeviceInputSchema.safeParse({ device_type: "laptop", status: "spare" });
    expect(r.error?.issues.map((i) => [i.path.join("."), i.message])).toContainEqual([
      "asset_tag",
      "Enter an asset tag or a serial number",
    ]);
  });
  it("refuses an unknown type, and a warranty that ends before purchase", () => {
    const type = DeviceInputSchema.safeParse({ ...base, device_type: "toaster" });
    expect(type.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["device_type", "Select the type of device"]]);
    const warranty = DeviceInputSchema.safeParse({ ...base, purchase_date: "2022-01-01", warranty_end: "2021-01-01" });
    expect(warranty.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([
      ["warranty_end", "Warranty end date must be on or after the purchase date"],
    ]);
  });
  it("asks for a disposal date when disposed", () => {
    const r = DeviceInputSchema.safeParse({ ...base, status: "disposed" });
    expect(r.error?.issues[0].message).toBe("Enter the date the device was disposed of");
  });
});
