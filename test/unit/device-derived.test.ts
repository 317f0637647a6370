import { describe, expect, it } from "vitest";
import { deviceDerived, win11Ready, type DeviceFacts } from "~/modules/catalogue/device-facts";
import { sortDevices } from "~/modules/devices/sort";
import { indexLifecycle } from "~/modules/os-lifecycle/support";

// Rows as seeded by db/migrations/2026-11-21T23-10-00_os_lifecycle_seed.ts (Microsoft's dates).
const index = indexLifecycle([
  {
    family: "Windows 10",
    edition: "Home/Pro/Enterprise/Education",
    version: "22H2",
    end_of_support: "2025-10-14",
    extended_end: "2028-10-10",
    esu_year_ends: ["2026-10-13", "2027-10-12", "2028-10-10"],
  },
  { family: "Windows 10", edition: "LTSC 2019", version: "1809", end_of_support: "2029-01-09", extended_end: null },
  { family: "Windows 11", edition: "Home/Pro", version: "23H2", end_of_support: "2025-11-11", extended_end: null },
  { family: "Windows 11", edition: "Enterprise/Education", version: "23H2", end_of_support: "2026-11-10", extended_end: null },
]);

const device: DeviceFacts = {
  device_type: "desktop",
  os_family: "Windows 10",
  os_edition: "Pro",
  os_version: "22H2",
  esu_years: null,
  purchase_date: "2019-06-30",
  warranty_end: "2024-06-30",
  tpm_version: "2.0",
  cpu_model: "Intel Core i5-8500",
  cpu_generation: 8,
  ram_gb: 8,
};

describe("deviceDerived", () => {
  it("counts age in whole years from purchase, turning over on the anniversary", () => {
    expect(deviceDerived(device, index, "2025-06-29").ageYears).toBe(5);
    expect(deviceDerived(device, index, "2025-06-30").ageYears).toBe(6);
    expect(deviceDerived({ ...device, purchase_date: null }, index, "2025-06-30").ageYears).toBeNull();
  });

  it("says a warranty has expired only after its end date, and not known without one", () => {
    expect(deviceDerived(device, index, "2024-06-30").warrantyExpired).toBe(false);
    expect(deviceDerived(device, index, "2024-07-01").warrantyExpired).toBe(true);
    expect(deviceDerived({ ...device, warranty_end: null }, index, "2024-07-01").warrantyExpired).toBeNull();
  });

  it("keeps Windows 10 22H2 supported to the end of 14 October 2025 and unsupported from the 15th", () => {
    expect(deviceDerived(device, index, "2025-10-13").support).toMatchObject({
      state: "supported",
      endOfSupport: "2025-10-14",
      daysToEnd: 1,
    });
    expect(deviceDerived(device, index, "2025-10-14").support).toMatchObject({ state: "supported", daysToEnd: 0 });
    expect(deviceDerived(device, index, "2025-10-15").support).toMatchObject({ state: "unsupported", daysToEnd: -1 });
    expect(deviceDerived({ ...device, esu_years: 1 }, index, "2025-10-15").support.state).toBe("esu");
  });

  it("matches editions to their lifecycle group", () => {
    const ltsc = { ...device, os_edition: "Enterprise LTSC 2019", os_version: "1809" };
    expect(deviceDerived(ltsc, index, "2026-01-01").support).toMatchObject({ state: "supported", endOfSupport: "2029-01-09" });
    const w11 = { ...device, os_family: "Windows 11", os_version: "23H2" };
    expect(deviceDerived({ ...w11, os_edition: "Pro" }, index, "2026-01-01").support.state).toBe("unsupported");
    expect(deviceDerived({ ...w11, os_edition: "Enterprise" }, index, "2026-01-01").support.state).toBe("supported");
  });

  it("gives not known for an OS missing from the table and not applicable for a device without one", () => {
    expect(deviceDerived({ ...device, os_version: null }, index, "2025-01-01").support.state).toBe("unknown");
    expect(deviceDerived({ ...device, os_version: "1507" }, index, "2025-01-01").support.state).toBe("unknown");
    expect(deviceDerived({ ...device, device_type: "monitor", os_family: null }, index, "2025-01-01").support.state).toBe("not_applicable");
  });
});

describe("win11Ready", () => {
  it("is true with TPM 2.0, an 8th generation Intel Core processor and 4 GB of memory", () => {
    expect(win11Ready({ ...device, ram_gb: 4 })).toBe(true);
    expect(win11Ready({ ...device, cpu_model: "AMD Ryzen 5 2600", cpu_generation: 2 })).toBe(true);
  });

  it("is false when any requirement fails, even if other facts are missing", () => {
    expect(win11Ready({ ...device, cpu_model: "Intel Core i5-7500", cpu_generation: 7 })).toBe(false);
    expect(win11Ready({ ...device, tpm_version: "1.2" })).toBe(false);
    expect(win11Ready({ ...device, tpm_version: "none", cpu_generation: null, ram_gb: null })).toBe(false);
    expect(win11Ready({ ...device, ram_gb: 2 })).toBe(false);
    expect(win11Ready({ ...device, cpu_model: "AMD Ryzen 7 1700", cpu_generation: 1 })).toBe(false);
  });

  it("is null when a fact is missing and nothing has failed", () => {
    expect(win11Ready({ ...device, tpm_version: null })).toBeNull();
    expect(win11Ready({ ...device, cpu_generation: null })).toBeNull();
    expect(win11Ready({ ...device, ram_gb: null })).toBeNull();
    expect(win11Ready({ ...device, cpu_model: "Apple M1", cpu_generation: 1 })).toBeNull();
  });

  it("is true for a device already on Windows 11 and null where it does not apply", () => {
    expect(win11Ready({ ...device, os_family: "Windows 11", tpm_version: null })).toBe(true);
    expect(win11Ready({ ...device, os_family: "macOS" })).toBeNull();
    expect(win11Ready({ ...device, device_type: "printer" })).toBeNull();
  });
});

describe("sortDevices", () => {
  const rows = [
    {
      id: 1,
      asset_tag: "B-10",
      serial_number: null,
      device_type: "laptop",
      purchase_date: "2020-01-01",
      warranty_end: null,
      support: { state: "unknown" as const, endOfSupport: null },
    },
    {
      id: 2,
      asset_tag: "B-9",
      serial_number: null,
      device_type: "desktop",
      purchase_date: null,
      warranty_end: "2023-01-01",
      support: { state: "supported" as const, endOfSupport: "2026-10-13" },
    },
    {
      id: 3,
      asset_tag: null,
      serial_number: "A-1",
      device_type: "desktop",
      purchase_date: "2020-01-01",
      warranty_end: "2024-01-01",
      support: { state: "unsupported" as const, endOfSupport: "2025-10-14" },
    },
  ];
  const ids = (sort: string, dir: "asc" | "desc") => sortDevices(rows, sort, dir).map((r) => r.id);

  it("sorts tags naturally, using the serial when there is no tag", () => expect(ids("asset_tag", "asc")).toEqual([3, 2, 1]));
  it("puts blanks last both ways and breaks ties on id", () => {
    expect(ids("purchase_date", "asc")).toEqual([1, 3, 2]);
    expect(ids("purchase_date", "desc")).toEqual([1, 3, 2]);
    expect(ids("end_of_support", "desc")).toEqual([2, 3, 1]);
    expect(ids("type", "asc")).toEqual([2, 3, 1]);
  });
});
