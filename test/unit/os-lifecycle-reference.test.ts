import { describe, expect, it } from "vitest";
import { sec03 } from "~/modules/compliance/rules/os-support";
import { checkAll } from "~/modules/os-lifecycle/cli.server";
import { lifecycleEdition, parseOsName } from "~/modules/os-lifecycle/parse";
import { extendedEnd, lifecycleKey, OS_LIFECYCLE_ROWS, type LifecycleReferenceRow } from "~/modules/os-lifecycle/reference";
import { checkLifecycleReference } from "~/modules/os-lifecycle/reference-check";
import { indexLifecycle, supportStatus } from "~/modules/os-lifecycle/support";
import { device, estate } from "../support/compliance-estate";
import { DEFAULT_POLICY } from "~/modules/catalogue/policy";

const rows = OS_LIFECYCLE_ROWS;
const index = indexLifecycle(rows.map((r) => ({ ...r, extended_end: extendedEnd(r) })));
const find = (family: string, edition: string, version: string) => rows.find((r) => lifecycleKey(r) === `${family}|${edition}|${version}`);

describe("the OS lifecycle reference file", () => {
  it("passes its own check, and the OS parser reads each build as the file's release", () => {
    expect(checkAll()).toEqual([]);
  });

  it("every row has a source; dates not in /work/shared/reference are marked UNCONFIRMED", () => {
    for (const r of rows) expect(r.source.length, lifecycleKey(r)).toBeGreaterThan(10);
    expect(find("Windows 10", "Enterprise/Education", "21H2")!.source).toMatch(/UNCONFIRMED/);
  });

  // Each corrected date of issue #13 item 4, with the reference it comes from.
  it.each([
    // feeds.md §5: 26200 Win11 25H2 (W) 2027-10-12; (E) 2028-10-10
    ["Windows 11", "Home/Pro", "25H2", "2027-10-12", null],
    ["Windows 11", "Enterprise/Education", "25H2", "2028-10-10", null],
    // feeds.md §5: 26100 LTSC 2029-10-09 (IoT 2034-10-10): not 24H2's 2027-10-12
    ["Windows 11", "Enterprise LTSC 2024", "24H2", "2029-10-09", null],
    ["Windows 11", "IoT Enterprise LTSC 2024", "24H2", "2034-10-10", null],
    // feeds.md §5: 14393 LTSB 2026-10-13; Server mainstream 2022-01-11, extended 2027-01-12
    ["Windows 10", "LTSB 2016", "1607", "2026-10-13", null],
    ["Windows Server", "All editions", "2016", "2027-01-12", "2022-01-11"],
    // feeds.md §5: 17763 Server mainstream 2024-01-09, extended 2029-01-09; 20348 2026-10-13 / 2031-10-14; 26100 2029-11-13 / 2034-11-14
    ["Windows Server", "All editions", "2019", "2029-01-09", "2024-01-09"],
    ["Windows Server", "All editions", "2022", "2031-10-14", "2026-10-13"],
    ["Windows Server", "All editions", "2025", "2034-11-14", "2029-11-13"],
    // feeds.md §5: 19041-19043 ended by 2023-05-09 (20H2 Enterprise/Education); operating-model.md §3.2 Home/Pro dates
    ["Windows 10", "Enterprise/Education", "20H2", "2023-05-09", null],
    ["Windows 10", "Home/Pro", "20H2", "2022-05-10", null],
    ["Windows 10", "Home/Pro", "21H2", "2023-06-13", null],
    // UNCONFIRMED (recalled Microsoft lifecycle date): Windows 10 21H2 Enterprise/Education
    ["Windows 10", "Enterprise/Education", "21H2", "2024-06-11", null],
  ])("%s %s %s ends %s", (family, edition, version, end, mainstream) => {
    expect(find(family, edition, version)).toMatchObject({ end_of_support: end, mainstream_end: mainstream });
  });

  it("records ESU a year at a time (feeds.md §5: 2026-10-13, 2027-10-12, 2028-10-10)", () => {
    expect(find("Windows 10", "Home/Pro/Enterprise/Education", "22H2")!.esu_year_ends).toEqual(["2026-10-13", "2027-10-12", "2028-10-10"]);
  });

  it("does not invent a date Microsoft has not published (Windows 11 26H2 Enterprise/Education)", () => {
    const r = find("Windows 11", "Enterprise/Education", "26H2")!;
    expect(r.end_of_support).toBeNull();
    expect(r.notes).toMatch(/not yet published/);
    expect(supportStatus({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "26H2" }, index, "2026-12-03")).toMatchObject({
      state: "supported",
      endOfSupport: null,
    });
  });
});

describe("checkLifecycleReference", () => {
  const good: LifecycleReferenceRow = {
    family: "Windows 11",
    edition: "Home/Pro",
    version: "25H2",
    build: "26200",
    mainstream_end: null,
    end_of_support: "2027-10-12",
    esu_year_ends: [],
    source: "feeds.md",
    notes: null,
  };
  it.each([
    ["a duplicate key", [good, good], /appear twice/],
    ["an impossible date", [{ ...good, end_of_support: "2027-02-30" }], /not a real date/],
    ["a build meaning two releases", [good, { ...good, version: "26H1" }], /build 26200 already means Windows 11 25H2/],
    ["no source", [{ ...good, source: " " }], /no source/],
    ["a missing end date not marked unpublished", [{ ...good, end_of_support: null }], /does not say it is not yet published/],
    ["ESU years out of order", [{ ...good, esu_year_ends: ["2028-10-10", "2027-10-12"] }], /ESU year 2 ends on or before/],
  ] as const)("finds %s", (_name, input, message) => {
    expect(checkLifecycleReference(input as unknown as LifecycleReferenceRow[]).join("\n")).toMatch(message);
  });
});

describe("build strings (Intune osVersion and inventory captions)", () => {
  it.each([
    ["Windows 10.0.19045.5487", "Windows 10", "22H2"],
    ["Windows 10.0.22631.4460", "Windows 11", "23H2"],
    ["Windows 10.0.26100.2605", "Windows 11", "24H2"],
    ["Windows 10.0.26200.6584", "Windows 11", "25H2"],
    ["Windows 10 Enterprise 2016 LTSB 10.0.14393", "Windows 10", "1607"],
    ["Windows 10 Enterprise LTSC 2019 10.0.17763", "Windows 10", "1809"],
    ["Windows Server 10.0.14393", "Windows Server", "2016"],
    ["Windows Server Datacenter 10.0.17763.6893", "Windows Server", "2019"],
    ["Windows Server 10.0.20348.3207", "Windows Server", "2022"],
    ["Windows Server Standard 10.0.26100.1742", "Windows Server", "2025"],
    ["Windows Server 2012 R2 Standard 6.3.9600", "Windows Server", "2012 R2"],
  ])("%s → %s %s", (raw, family, version) => {
    expect(parseOsName(raw)).toMatchObject({ family, version });
  });

  it("tells LTSC 2024 from 24H2 on the same build 26100, and reads an LTSC edition's release from its name", () => {
    const ltsc = parseOsName("Windows 11 Enterprise LTSC 2024 10.0.26100")!;
    expect(ltsc).toMatchObject({ family: "Windows 11", edition: "Enterprise LTSC 2024", version: "24H2" });
    expect(lifecycleEdition(ltsc.family, ltsc.edition, ltsc.version)).toBe("Enterprise LTSC 2024");
    expect(
      supportStatus({ os_family: ltsc.family, os_edition: ltsc.edition, os_version: ltsc.version }, index, "2028-01-01"),
    ).toMatchObject({ state: "supported", endOfSupport: "2029-10-09" });
    expect(parseOsName("Windows 10 Enterprise LTSB 2016")).toMatchObject({ version: "1607" });
  });
});

describe("support with the reference dates", () => {
  const on = (os: [string, string, string], asOf: string) =>
    supportStatus({ os_family: os[0], os_edition: os[1], os_version: os[2] }, index, asOf);
  it("Windows 11 25H2 is known (issue #13: it came out as 'not known')", () => {
    expect(on(["Windows 11", "Pro", "25H2"], "2026-12-03")).toMatchObject({ state: "supported", endOfSupport: "2027-10-12" });
    expect(on(["Windows 11", "Enterprise", "25H2"], "2026-12-03")).toMatchObject({ state: "supported", endOfSupport: "2028-10-10" });
  });
  it("Windows 10 20H2 and 21H2 Enterprise use Enterprise dates; Pro keeps Home/Pro dates; 22H2 is shared", () => {
    expect(on(["Windows 10", "Enterprise", "21H2"], "2024-01-01").state).toBe("supported");
    expect(on(["Windows 10", "Pro", "21H2"], "2024-01-01").state).toBe("unsupported");
    expect(on(["Windows 10", "Education", "20H2"], "2023-05-09").state).toBe("supported");
    expect(on(["Windows 10", "Enterprise", "22H2"], "2025-10-14").endOfSupport).toBe("2025-10-14");
  });
  it("Windows 10 LTSB 2016 is known, and ended on 13 October 2026", () => {
    expect(on(["Windows 10", "Enterprise 2016 LTSB", "1607"], "2026-10-13").state).toBe("supported");
    expect(on(["Windows 10", "Enterprise 2016 LTSB", "1607"], "2026-10-14").state).toBe("unsupported");
  });
  it("a Server 2016 machine is warned about six weeks before its end of support (12 January 2027)", () => {
    const s = on(["Windows Server", "Standard", "2016"], "2026-12-03");
    expect(s).toMatchObject({ state: "supported", endOfSupport: "2027-01-12", daysToEnd: 40 });
    const server = device({ device_type: "server", os_family: "Windows Server", os_edition: "Standard", os_version: "2016" });
    const f = sec03({ ...estate({ devices: [server] }), lifecycle: index }, DEFAULT_POLICY, "2026-12-03");
    expect(f.upcoming?.map((u) => u.date)).toContain("2027-01-12");
  });
});
