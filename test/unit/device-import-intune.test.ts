import { describe, expect, it } from "vitest";
import { autoMap } from "~/modules/devices/import/map";
import { windowsFromBuild, versionProblem } from "~/modules/devices/import/os-version";
import { describeGroup, groupProblems } from "~/modules/devices/import/problem-groups";
import {
  checkInDay,
  inferDeviceType,
  normaliseCompliance,
  normaliseDeviceType,
  normaliseManaged,
  normaliseOwnership,
} from "~/modules/devices/import/values";
import { OS_LIFECYCLE_ROWS } from "~/modules/os-lifecycle/reference";

describe("Intune build strings", () => {
  it.each([
    ["10.0.19045.5131", "Windows 10", "22H2", "19045.5131"],
    ["10.0.19044.1234", "Windows 10", "21H2", "19044.1234"],
    ["10.0.22621.4317", "Windows 11", "22H2", "22621.4317"],
    ["10.0.22631.4460", "Windows 11", "23H2", "22631.4460"],
    ["10.0.26100.3476", "Windows 11", "24H2", "26100.3476"],
    ["10.0.26200.7171", "Windows 11", "25H2", "26200.7171"],
    ["10.0.28000", "Windows 11", "26H1", "28000"],
  ])("%s is %s %s", (raw, family, version, build) => {
    expect(windowsFromBuild(raw, false)).toEqual({ ok: true, family, version, build });
  });

  it("reads Windows Server builds when the OS says Server", () => {
    expect(windowsFromBuild("10.0.17763.6532", true)).toMatchObject({ ok: true, family: "Windows Server", version: "2019" });
    expect(windowsFromBuild("10.0.26100.1", true)).toMatchObject({ ok: true, family: "Windows Server", version: "2025" });
    expect(windowsFromBuild("6.3.9600.20778", true)).toMatchObject({ ok: true, family: "Windows Server", version: "2012 R2" });
  });

  it("every release it names has a row in the lifecycle reference", () => {
    for (const raw of ["10.0.19045", "10.0.22631", "10.0.26100", "10.0.26200", "10.0.28000", "10.0.22000", "10.0.22621"]) {
      const r = windowsFromBuild(raw, false);
      if (!r.ok) throw new Error(r.message);
      expect(
        OS_LIFECYCLE_ROWS.some((row) => row.family === r.family && row.version === r.version && row.build === r.build.split(".")[0]),
        raw,
      ).toBe(true);
    }
  });

  it("refuses builds that are not a release in the reference, and versions that are not builds", () => {
    expect(windowsFromBuild("10.0.23456.1000", false)).toMatchObject({
      ok: false,
      message: expect.stringContaining("build 23456 is not a Windows release"),
    });
    expect(windowsFromBuild("6.1.7601", false)).toMatchObject({ ok: false });
    expect(windowsFromBuild("banana", false)).toMatchObject({ ok: false, message: expect.stringContaining('"banana"') });
    expect(versionProblem("Windows 11", "banana")).toMatch(/not a Windows build/);
    expect(versionProblem("Windows 11", "24H2")).toBeNull();
    expect(versionProblem("Windows Server", "2012 R2")).toBeNull();
    expect(versionProblem("iOS", "17.6.1")).toBeNull();
    expect(versionProblem("iOS", "seventeen")).toMatch(/is not a version number for iOS/);
    expect(versionProblem("Linux", "Jammy")).toBeNull();
  });
});

describe("Last check-in", () => {
  it("reads Intune's UTC instants as the day in UK time", () => {
    expect(checkInDay("2026-11-30 08:23:45.1234567")).toBe("2026-11-30");
    expect(checkInDay("2026-07-14 23:30:00.0000000")).toBe("2026-07-15"); // 00:30 BST
    expect(checkInDay("2026-12-14 23:30:00")).toBe("2026-12-14"); // GMT: same day
    expect(checkInDay("2026-07-14T23:30:00Z")).toBe("2026-07-15");
    expect(checkInDay("2026-07-14T23:30:00+01:00")).toBe("2026-07-14");
  });
  it("keeps day-first UK text as it is written", () => {
    expect(checkInDay("30/11/2026 08:23")).toBe("30/11/2026");
    expect(checkInDay("30/11/2026, 08:23:45")).toBe("30/11/2026");
    expect(checkInDay("30/11/2026")).toBe("30/11/2026");
    expect(checkInDay("yesterday")).toBe("yesterday"); // left for the date check to refuse
  });
});

describe("Intune values", () => {
  it("reads categories, management, ownership and compliance", () => {
    expect(["Desktops", "Laptops", "Mobile", "Tablets", "Thin clients"].map(normaliseDeviceType)).toEqual([
      "desktop",
      "laptop",
      "mobile_phone",
      "tablet",
      "thin_client",
    ]);
    expect(["Intune", "Co-managed", "ConfigMgr", "MDM/ConfigMgr agent", "Unknown", "yes", "Tanium"].map(normaliseManaged)).toEqual([
      "yes",
      "yes",
      "yes",
      "yes",
      "",
      "yes",
      "Tanium",
    ]);
    expect(["Corporate", "Personal", "company", "Unknown"].map(normaliseOwnership)).toEqual(["corporate", "personal", "corporate", ""]);
    expect(["Compliant", "Noncompliant", "Not compliant", "In grace period", "ConfigManager", "Unknown"].map(normaliseCompliance)).toEqual([
      "compliant",
      "noncompliant",
      "noncompliant",
      "in_grace_period",
      "config_manager",
      "unknown",
    ]);
  });
  it("works out a type from the OS or the model range, or not at all", () => {
    expect(inferDeviceType("iOS", "iPhone 13")).toBe("mobile_phone");
    expect(inferDeviceType("iPadOS", null)).toBe("tablet");
    expect(inferDeviceType("Windows 11", "Latitude 5440")).toBe("laptop");
    expect(inferDeviceType("Windows 11", "OptiPlex 7010")).toBe("desktop");
    expect(inferDeviceType("Windows 11", "Virtual Machine")).toBeNull();
  });
  it("maps every Intune column the register keeps", () => {
    const m = autoMap([
      "Device name",
      "Managed by",
      "Ownership",
      "Compliance",
      "OS",
      "OS version",
      "Last check-in",
      "Primary user UPN",
      "Serial number",
      "Manufacturer",
      "Model",
      "Category",
      "Encrypted",
      "SkuFamily",
    ]);
    expect(Object.fromEntries(m.map((x) => [x.header, x.target]))).toEqual({
      "Device name": "device_name",
      "Managed by": "managed",
      Ownership: "ownership",
      Compliance: "compliance",
      OS: "os_name",
      "OS version": "os_version",
      "Last check-in": "last_seen",
      "Primary user UPN": null,
      "Serial number": "serial_number",
      Manufacturer: "make",
      Model: "model",
      Category: "device_type",
      Encrypted: "encrypted",
      SkuFamily: "os_edition",
    });
  });
});

describe("problems grouped by kind", () => {
  it("counts rows per column and message, most first, with example rows", () => {
    const issues = [
      ...Array.from({ length: 304 }, (_, i) => ({ row: i + 2, column: "Category", message: 'Type "Desktops" is not recognised' })),
      { row: 7, column: "OS version", message: "bad" },
      { row: 7, column: "OS version", message: "bad" },
    ];
    const groups = groupProblems(issues);
    expect(groups).toEqual([
      { column: "Category", message: 'Type "Desktops" is not recognised', rows: 304, examples: [2, 3, 4, 5, 6] },
      { column: "OS version", message: "bad", rows: 1, examples: [7] },
    ]);
    expect(describeGroup(groups[0])).toBe('304 rows, Category: Type "Desktops" is not recognised (rows 2, 3, 4, 5, 6 and 299 more)');
  });
});
