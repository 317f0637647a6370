import { describe, expect, it } from "vitest";
import { parseOsName } from "~/modules/os-lifecycle/parse";
import { ageInYears, indexLifecycle, supportStatus } from "~/modules/os-lifecycle/support";

describe("parseOsName", () => {
  it.each([
    ["Microsoft Windows 10 Pro 10.0.19045", { family: "Windows 10", edition: "Pro", version: "22H2", build: "19045" }],
    ["Microsoft Windows 11 Enterprise 10.0.22631.4460", { family: "Windows 11", edition: "Enterprise", version: "23H2", build: "22631" }],
    ["Windows 11 Pro 24H2", { family: "Windows 11", edition: "Pro", version: "24H2", build: null }],
    [
      "Microsoft Windows 10 Enterprise LTSC 2019 10.0.17763",
      { family: "Windows 10", edition: "Enterprise LTSC 2019", version: "1809", build: "17763" },
    ],
    ["Microsoft® Windows 10 Professional 10.0.19044", { family: "Windows 10", edition: "Pro", version: "21H2", build: "19044" }],
    ["Windows 10 Pro 10.0.26100", { family: "Windows 11", edition: "Pro", version: "24H2", build: "26100" }],
    ["Windows 10 Education", { family: "Windows 10", edition: "Education", version: null, build: null }],
    [
      "Microsoft Windows Server 2019 Standard 10.0.17763",
      { family: "Windows Server", edition: "Standard", version: "2019", build: "17763" },
    ],
    ["macOS 14.5", { family: "macOS", edition: null, version: "14", build: null }],
    ["ChromeOS Flex 120", { family: "ChromeOS", edition: "Flex", version: "120", build: null }],
  ])("%s", (input, expected) => expect(parseOsName(input)).toEqual(expected));

  it("returns null for nothing", () => {
    expect(parseOsName("")).toBeNull();
    expect(parseOsName(null)).toBeNull();
  });
});

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
  { family: "Windows 11", edition: "Home/Pro", version: "24H2", end_of_support: "2026-10-13", extended_end: null },
  { family: "Windows 11", edition: "Enterprise/Education", version: "24H2", end_of_support: "2027-10-12", extended_end: null },
]);
const win10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };

describe("supportStatus", () => {
  it("is supported on the end-of-support day and unsupported the day after", () => {
    expect(supportStatus(win10, index, "2025-10-14")).toMatchObject({ state: "supported", daysToEnd: 0, endOfSupport: "2025-10-14" });
    expect(supportStatus(win10, index, "2025-10-15")).toMatchObject({ state: "unsupported", daysToEnd: -1 });
  });
  it("counts Extended Security Updates only when bought and within the extended period", () => {
    expect(supportStatus({ ...win10, esu_years: 3 }, index, "2026-01-01").state).toBe("esu");
    expect(supportStatus({ ...win10, esu_years: 3 }, index, "2028-10-11").state).toBe("unsupported");
    expect(supportStatus({ ...win10, esu_years: 0 }, index, "2026-01-01").state).toBe("unsupported");
  });
  // Issue #13: commercial ESU is bought a year at a time (feeds.md §5: year 1 ends 2026-10-13,
  // year 2 2027-10-12, year 3 2028-10-10); cover ends with the last year bought.
  it.each([
    [1, "2026-10-13", "esu", "2026-10-13"],
    [1, "2026-10-14", "unsupported", "2026-10-13"],
    [2, "2027-10-12", "esu", "2027-10-12"],
    [2, "2027-10-13", "unsupported", "2027-10-12"],
    [3, "2028-10-10", "esu", "2028-10-10"],
    [3, "2028-10-11", "unsupported", "2028-10-10"],
    [null, "2025-10-15", "unsupported", null],
  ] as const)("ESU years bought %s on %s: %s", (years, asOf, state, until) => {
    expect(supportStatus({ ...win10, esu_years: years }, index, asOf)).toMatchObject({ state, esuUntil: until });
  });
  it("uses the edition's own dates (Enterprise gets longer than Pro)", () => {
    expect(supportStatus({ os_family: "Windows 11", os_edition: "Pro", os_version: "24H2" }, index, "2027-01-01").state).toBe(
      "unsupported",
    );
    expect(supportStatus({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" }, index, "2027-01-01").state).toBe(
      "supported",
    );
    expect(
      supportStatus({ os_family: "Windows 10", os_edition: "Enterprise LTSC 2019", os_version: "1809" }, index, "2027-01-01").state,
    ).toBe("supported");
  });
  it("never guesses: unknown versions are unknown, devices without an OS are not applicable", () => {
    expect(supportStatus({ os_family: "Windows 11", os_edition: "Pro", os_version: "25H2" }, index, "2026-01-01").state).toBe("unknown");
    expect(supportStatus({ os_family: "Windows 10", os_edition: "Pro", os_version: null }, index, "2026-01-01").state).toBe("unknown");
    expect(supportStatus({ os_family: null, os_edition: null, os_version: null }, index, "2026-01-01").state).toBe("not_applicable");
  });
});

describe("ageInYears", () => {
  it("counts whole years", () => {
    expect(ageInYears("2020-03-31", "2025-03-30")).toBe(4);
    expect(ageInYears("2020-03-31", "2025-03-31")).toBe(5);
    expect(ageInYears(null, "2025-03-31")).toBeNull();
  });
});
