import { expect } from "vitest";
import { device, estate, many, policy, service, site, win10 } from "../../support/compliance-estate";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const win11 = () => device();
const laptop = (over = {}) => device({ device_type: "laptop", ...over });
const noDevices = (rule: string): RuleCase => ({
  rule,
  name: "no devices recorded",
  estate: estate({ devices: [] }),
  asOf: D,
  status: "unknown",
  reason: /No devices are recorded/,
});

export const DEVICE_CASES: RuleCase[] = [
  // DEV-02: supported OS; Windows 10 22H2 support ends at the end of 14 October 2025.
  {
    rule: "DEV-02",
    name: "all on Windows 11",
    estate: estate({ devices: many(3, win11) }),
    asOf: D,
    status: "met",
    reason: "All 3 desktops run a supported operating system.",
    // Passing devices are counted in the reason, not listed as evidence.
    check: (f) => expect(f.evidence).toEqual([]),
  },
  {
    rule: "DEV-02",
    name: "Windows 10 on its last day of support",
    estate: estate({ devices: many(3, () => win10()) }),
    asOf: "2025-10-14",
    status: "met",
    check: (f) =>
      expect(f.upcoming?.[0]).toMatchObject({
        date: "2025-10-14",
        message: "3 devices on Windows 10 22H2 reach end of support on 14 October 2025.",
      }),
  },
  {
    rule: "DEV-02",
    name: "Windows 10 the day after support ends",
    estate: estate({ devices: many(3, () => win10()) }),
    asOf: "2025-10-15",
    status: "not_met",
    reason: "All 3 desktops run Windows 10 22H2, unsupported since 14 October 2025.",
    check: (f) => expect(f.units).toEqual([{ kind: "os_upgrade", quantity: 3 }]),
  },
  {
    rule: "DEV-02",
    name: "7 of 23 on Windows 10",
    estate: estate({ devices: [...many(7, () => win10({ tpm_version: "1.2" })), ...many(16, win11)] }),
    asOf: D,
    status: "partial",
    reason: "7 of 23 desktops run Windows 10 22H2, unsupported since 14 October 2025.",
    check: (f) => {
      expect(f.units).toEqual([{ kind: "desktop_replacement", quantity: 7 }]);
      // The 7 failing devices are listed; the 16 that pass are counted in the reason only.
      expect(f.evidence.filter((e) => e.outcome === "fail")).toHaveLength(7);
      expect(f.evidence).toHaveLength(7);
    },
  },
  {
    rule: "DEV-02",
    name: "ESU counts as covered",
    estate: estate({ devices: [win10({ esu_years: 2 }), win10({ esu_years: 2 }), win11()] }),
    asOf: D,
    status: "met",
    reason: /2 are covered by Extended Security Updates: 2 Windows 10 22H2 \(covered until 12 October 2027\)/,
  },
  {
    // Issue #13: ESU year 1 ended on 13 October 2026; a device with only year 1 bought is not covered after it.
    rule: "DEV-02",
    name: "ESU year 1 only, after year 1 ended",
    estate: estate({ devices: [win10({ esu_years: 1 }), win11()] }),
    asOf: D,
    status: "partial",
    // Its paid cover ran to the end of ESU year 1 (feeds.md §5), not Windows 10's end of support.
    reason: /runs Windows 10 22H2, unsupported since 13 October 2026 \(its Extended Security Updates ended\)\./,
  },
  {
    rule: "DEV-02",
    name: "ESU year 1 only, before year 1 ended",
    estate: estate({ devices: [win10({ esu_years: 1 }), win11()] }),
    asOf: "2026-10-13",
    status: "met",
    reason: /covered until 13 October 2026/,
  },
  {
    rule: "DEV-02",
    name: "computer with no OS recorded",
    estate: estate({ devices: [win11(), device({ os_family: null, os_version: null })] }),
    asOf: D,
    status: "unknown",
    reason: /1 has no operating system/,
  },
  {
    rule: "DEV-02",
    name: "an unsupported OS outweighs an unknown one",
    estate: estate({ devices: [win10(), device({ os_family: null })] }),
    asOf: D,
    status: "not_met",
  },
  noDevices("DEV-02"),
  {
    rule: "DEV-02",
    name: "spare devices are not counted",
    estate: estate({ devices: [win11(), win10({ status: "spare" })] }),
    asOf: D,
    status: "met",
  },

  // DEV-04: Windows 11 hardware readiness for Windows 10 near or past end of support.
  { rule: "DEV-04", name: "no Windows 10", estate: estate({ devices: many(2, win11) }), asOf: D, status: "not_applicable" },
  {
    rule: "DEV-04",
    name: "Windows 10 LTSC well within support",
    estate: estate({ devices: [win10({ os_edition: "Enterprise LTSC 2019", os_version: "1809" })] }),
    asOf: D,
    status: "not_applicable",
  },
  { rule: "DEV-04", name: "capable hardware", estate: estate({ devices: [win10()] }), asOf: D, status: "met" },
  {
    rule: "DEV-04",
    name: "TPM 1.2, out of support (replacement costed under DEV-02)",
    estate: estate({ devices: [win10({ tpm_version: "1.2" })] }),
    asOf: D,
    status: "not_met",
    alongside: ["DEV-02"],
    reason: /1 × replace a desktop or thin client costed under DEV-02\./,
    check: (f) => expect(f.units).toEqual([{ kind: "desktop_replacement", quantity: 0, costedUnder: "DEV-02", covered: 1 }]),
  },
  {
    rule: "DEV-04",
    name: "TPM 1.2, out of support, alone (the replacement is its remedy)",
    estate: estate({ devices: [win10({ tpm_version: "1.2" })] }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "desktop_replacement", quantity: 1 }]),
  },
  {
    rule: "DEV-04",
    name: "TPM 1.2 on paid ESU (replacement costed here)",
    estate: estate({ devices: [win10({ tpm_version: "1.2", esu_years: 2 })] }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "desktop_replacement", quantity: 1 }]),
  },
  {
    rule: "DEV-04",
    name: "one of two cannot upgrade",
    estate: estate({ devices: [win10(), win10({ cpu_generation: 6, cpu_model: "Intel Core i5-6500" })] }),
    asOf: D,
    status: "partial",
    reason: /1 of 2 Windows 10 desktops cannot run Windows 11/,
  },
  {
    rule: "DEV-04",
    name: "hardware not recorded",
    estate: estate({ devices: [win10({ tpm_version: null, cpu_generation: null, cpu_model: null })] }),
    asOf: D,
    status: "unknown",
  },
  noDevices("DEV-04"),

  // DEV-05: age against local policy (desktops 5 years, laptops 4 by default).
  { rule: "DEV-05", name: "young devices", estate: estate({ devices: [win11(), laptop()] }), asOf: D, status: "met" },
  {
    rule: "DEV-05",
    name: "desktop one day short of 5 years",
    estate: estate({ devices: [device({ purchase_date: "2021-11-22" })] }),
    asOf: "2026-11-21",
    status: "met",
  },
  {
    rule: "DEV-05",
    name: "desktop on its 5th birthday",
    estate: estate({ devices: [device({ purchase_date: "2021-11-22" })] }),
    asOf: D,
    status: "not_met",
    reason: /reached the maximum age for its type \(desktops 5 years\)/,
  },
  {
    rule: "DEV-05",
    name: "a network switch past its age limit (plural: switches)",
    estate: estate({
      devices: [
        device({ device_type: "network_switch", os_family: null, purchase_date: "2018-01-01" }),
        device({ device_type: "network_switch", os_family: null, purchase_date: "2018-01-01" }),
      ],
    }),
    asOf: D,
    status: "not_met",
    reason: /\(network switches 7 years\)/,
  },
  {
    rule: "DEV-05",
    name: "ICB allows 7-year desktops",
    estate: estate({ devices: [device({ purchase_date: "2020-01-01" })] }),
    asOf: D,
    policy: policy({ max_age_desktop: 7 }),
    status: "met",
  },
  {
    rule: "DEV-05",
    name: "old laptop, new desktop",
    estate: estate({ devices: [win11(), laptop({ purchase_date: "2022-06-01" })] }),
    asOf: D,
    status: "partial",
    check: (f) => expect(f.units).toEqual([{ kind: "laptop_replacement", quantity: 1 }]),
  },
  {
    rule: "DEV-05",
    name: "an old desktop the OS rules already replace is not costed twice",
    estate: estate({ devices: [win10({ tpm_version: "1.2", purchase_date: "2018-01-01" }), laptop({ purchase_date: "2022-06-01" })] }),
    asOf: D,
    status: "not_met",
    alongside: ["DEV-02", "DEV-04"],
    reason: /1 × replace a desktop or thin client costed under DEV-02\./,
    check: (f) =>
      expect(f.units).toEqual([
        { kind: "laptop_replacement", quantity: 1 },
        { kind: "desktop_replacement", quantity: 0, costedUnder: "DEV-02", covered: 1 },
      ]),
  },
  { rule: "DEV-05", name: "no purchase date", estate: estate({ devices: [device({ purchase_date: null })] }), asOf: D, status: "unknown" },
  {
    rule: "DEV-05",
    name: "only kit with no age limit",
    estate: estate({ devices: [device({ device_type: "monitor", os_family: null })] }),
    asOf: D,
    status: "not_applicable",
  },
  noDevices("DEV-05"),

  // DEV-06: register completeness.
  { rule: "DEV-06", name: "complete register", estate: estate({ devices: many(2, win11) }), asOf: D, status: "met" },
  {
    rule: "DEV-06",
    name: "one without a site",
    estate: estate({ devices: [win11(), device({ site_code: null })] }),
    asOf: D,
    status: "partial",
    reason: "1 of 2 devices in the register is incomplete: 1 without a site.",
  },
  {
    rule: "DEV-06",
    name: "none complete",
    estate: estate({ devices: [device({ funded_by: null, asset_tag: null })] }),
    asOf: D,
    status: "not_met",
    reason: /without an asset tag and 1 without an owner/,
  },
  noDevices("DEV-06"),

  // DEV-08, DEV-10, SEC-11, DEV-01: a yes/no fact per computer.
  ...(["DEV-08", "DEV-10", "SEC-11", "DEV-01"] as const).flatMap((rule): RuleCase[] => {
    const field = { "DEV-08": "managed", "DEV-10": "antivirus_up_to_date", "SEC-11": "encrypted", "DEV-01": "funded_by" }[rule];
    const bad = rule === "DEV-01" ? "practice" : false;
    return [
      { rule, name: "all pass", estate: estate({ devices: many(2, win11) }), asOf: D, status: "met" },
      { rule, name: "one fails", estate: estate({ devices: [win11(), device({ [field]: bad })] }), asOf: D, status: "partial" },
      { rule, name: "all fail", estate: estate({ devices: [device({ [field]: bad })] }), asOf: D, status: "not_met" },
      { rule, name: "not recorded", estate: estate({ devices: [win11(), device({ [field]: null })] }), asOf: D, status: "unknown" },
      {
        rule,
        name: "only monitors",
        estate: estate({ devices: [device({ device_type: "monitor", os_family: null })] }),
        asOf: D,
        status: "unknown",
        reason: /in use are recorded/,
      },
      noDevices(rule),
    ];
  }),
  {
    rule: "DEV-08",
    name: "reason and units",
    estate: estate({ devices: [win11(), device({ managed: false })] }),
    asOf: D,
    status: "partial",
    reason: "1 of 2 desktops in use is not centrally managed.",
    check: (f) => expect(f.units).toEqual([{ kind: "device_management_enrolment", quantity: 1 }]),
  },

  // DEV-09: updates installed within 14 days of their release (Cyber Essentials). On 22 November
  // 2026 the due release is 13 October 2026: 10 November's is inside its 14 days until 24 November.
  {
    rule: "DEV-09",
    name: "patched since the due release",
    estate: estate({ devices: [device({ last_patched: "2026-11-08" })] }),
    asOf: D,
    status: "met",
    reason: /judged on the date last patched/,
  },
  {
    rule: "DEV-09",
    name: "patched 15 days ago is still current (was 'not met' under the old 14-days-of-today rule)",
    estate: estate({ devices: [device({ last_patched: "2026-11-07" })] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "DEV-09",
    name: "last patched before the due release came out",
    estate: estate({ devices: [device({ last_patched: "2026-10-12" })] }),
    asOf: D,
    status: "not_met",
    reason: /^The one desktop in use is missing the security updates released on 13 October 2026, due within 14 days of release\./,
  },
  {
    rule: "DEV-09",
    name: "release date recorded: the installed update is the due one",
    estate: estate({ devices: [device({ last_patched: "2026-10-30", patch_released: "2026-10-13" })] }),
    asOf: D,
    status: "met",
    reason:
      "All 1 desktops in use have the security updates released on 13 October 2026 or earlier, which were due within 14 days of release.",
  },
  {
    rule: "DEV-09",
    name: "release date recorded: patched recently but with an old update",
    estate: estate({ devices: [device({ last_patched: "2026-11-20", patch_released: "2026-09-09" })] }),
    asOf: D,
    status: "not_met",
  },
  {
    rule: "DEV-09",
    name: "the day a release's 14 days end it is not yet overdue",
    estate: estate({ devices: [device({ last_patched: "2026-11-01", patch_released: "2026-10-13" })] }),
    asOf: "2026-11-24",
    status: "met",
  },
  {
    rule: "DEV-09",
    name: "the day after, it is",
    estate: estate({ devices: [device({ last_patched: "2026-11-01", patch_released: "2026-10-13" })] }),
    asOf: "2026-11-25",
    status: "not_met",
  },
  {
    rule: "DEV-09",
    name: "ICB window of 45 days: 8 September's release is the one due",
    estate: estate({ devices: [device({ last_patched: "2026-10-01" })] }),
    asOf: D,
    policy: policy({ patch_window_days: 45 }),
    status: "met",
  },
  {
    rule: "DEV-09",
    name: "ICB window of 30 days: 13 October's release is due",
    estate: estate({ devices: [device({ last_patched: "2026-10-01" })] }),
    asOf: D,
    policy: policy({ patch_window_days: 30 }),
    status: "not_met",
  },
  {
    rule: "DEV-09",
    name: "one late",
    estate: estate({ devices: [win11(), device({ last_patched: "2026-01-01" })] }),
    asOf: D,
    status: "partial",
  },
  { rule: "DEV-09", name: "never recorded", estate: estate({ devices: [device({ last_patched: null })] }), asOf: D, status: "unknown" },
  noDevices("DEV-09"),

  // DEV-03: purchase dates on ICB-funded kit.
  { rule: "DEV-03", name: "all dated", estate: estate({ devices: many(2, win11) }), asOf: D, status: "met" },
  {
    rule: "DEV-03",
    name: "one undated",
    estate: estate({ devices: [win11(), device({ purchase_date: null })] }),
    asOf: D,
    status: "partial",
    check: (f) => expect(f.units).toEqual([{ kind: "asset_record_update", quantity: 1 }]),
  },
  { rule: "DEV-03", name: "none dated", estate: estate({ devices: [device({ purchase_date: null })] }), asOf: D, status: "not_met" },
  {
    rule: "DEV-03",
    name: "funder not recorded",
    estate: estate({ devices: [win11(), device({ funded_by: null })] }),
    asOf: D,
    status: "unknown",
  },
  {
    rule: "DEV-03",
    name: "all practice-funded",
    estate: estate({ devices: [device({ funded_by: "practice" })] }),
    asOf: D,
    status: "not_applicable",
  },
  noDevices("DEV-03"),

  // DEV-15: warranty.
  { rule: "DEV-15", name: "under warranty", estate: estate({ devices: [win11()] }), asOf: D, status: "met" },
  {
    rule: "DEV-15",
    name: "warranty ends today",
    estate: estate({ devices: [device({ warranty_end: D })] }),
    asOf: D,
    status: "met",
    check: (f) => expect(f.upcoming?.[0]?.date).toBe(D),
  },
  {
    rule: "DEV-15",
    name: "warranty ended yesterday",
    estate: estate({ devices: [device({ warranty_end: "2026-11-21" })] }),
    asOf: D,
    status: "not_met",
    reason: /ended on 21 November 2026/,
  },
  {
    rule: "DEV-15",
    name: "one expired",
    estate: estate({ devices: [win11(), device({ warranty_end: "2025-01-01" })] }),
    asOf: D,
    status: "partial",
  },
  { rule: "DEV-15", name: "no warranty date", estate: estate({ devices: [device({ warranty_end: null })] }), asOf: D, status: "unknown" },
  noDevices("DEV-15"),

  // DEV-11: smartcard readers and Smartcard Connect (the legacy Identity Agent works until 28 February 2027 by default; issue #13 item 6).
  {
    rule: "DEV-11",
    name: "readers and client",
    estate: estate({
      devices: [win11(), device({ device_type: "smartcard_reader", os_family: null })],
      services: [service("cis2_smartcard_connect")],
    }),
    asOf: D,
    status: "met",
  },
  {
    rule: "DEV-11",
    name: "client not yet in use before the change",
    estate: estate({
      devices: [win11(), device({ device_type: "smartcard_reader", os_family: null })],
      services: [service("cis2_smartcard_connect", "not_in_use")],
    }),
    asOf: D,
    status: "partial",
    reason: /works until 28 February 2027/,
    check: (f) => expect(f.units).toEqual([{ kind: "smartcard_client_deployment", quantity: 1 }]),
  },
  {
    rule: "DEV-11",
    name: "client not in use after the change",
    estate: estate({
      devices: [win11(), device({ device_type: "smartcard_reader", os_family: null })],
      services: [service("cis2_smartcard_connect", "not_in_use")],
    }),
    asOf: "2027-03-01",
    status: "not_met",
    reason: /legacy Identity Agent stopped working after 28 February 2027/,
  },
  {
    rule: "DEV-11",
    name: "client not in use on the Identity Agent's last day",
    estate: estate({
      devices: [win11(), device({ device_type: "smartcard_reader", os_family: null })],
      services: [service("cis2_smartcard_connect", "not_in_use")],
    }),
    asOf: "2027-02-28",
    status: "partial",
  },
  {
    rule: "DEV-11",
    name: "client in use but no readers",
    estate: estate({ devices: [win11()], services: [service("cis2_smartcard_connect")] }),
    asOf: D,
    status: "partial",
    check: (f) => expect(f.units).toEqual([{ kind: "smartcard_reader", quantity: 1 }]),
  },
  {
    rule: "DEV-11",
    name: "no readers and no client",
    estate: estate({ devices: [win11()], services: [service("cis2_smartcard_connect", "not_in_use")] }),
    asOf: "2027-03-01",
    status: "not_met",
    check: (f) => expect(f.units).toContainEqual({ kind: "smartcard_reader", quantity: 1 }),
  },
  {
    rule: "DEV-11",
    name: "client not recorded",
    estate: estate({ devices: [win11(), device({ device_type: "smartcard_reader", os_family: null })] }),
    asOf: D,
    status: "unknown",
  },
  noDevices("DEV-11"),

  // DEV-12 and BCP-03: managed laptops for 60% of users (users = computers in use by default).
  ...(["DEV-12", "BCP-03"] as const).flatMap((rule): RuleCase[] => [
    { rule, name: "6 laptops for 10 users", estate: estate({ devices: [...many(4, win11), ...many(6, laptop)] }), asOf: D, status: "met" },
    {
      rule,
      name: "3 laptops for 10 users",
      estate: estate({ devices: [...many(7, win11), ...many(3, laptop)] }),
      asOf: D,
      status: "partial",
      reason: /3 short of the 6 needed for 60% remote capacity/,
      alongside: rule === "DEV-12" ? ["BCP-03", "INF-06"] : ["DEV-12", "INF-06"],
      // The shortfall is costed once, under DEV-12.
      check: (f) => {
        expect(f.units).toEqual(
          rule === "DEV-12"
            ? [{ kind: "laptop_purchase", quantity: 3 }]
            : [{ kind: "laptop_purchase", quantity: 0, costedUnder: "DEV-12", covered: 3 }],
        );
        if (rule === "BCP-03") expect(f.reason).toMatch(/3 × additional managed laptop costed under DEV-12\.$/);
      },
    },
    { rule, name: "no laptops", estate: estate({ devices: many(5, win11) }), asOf: D, status: "not_met" },
    {
      rule,
      name: "laptops of unknown management",
      estate: estate({ devices: [...many(4, win11), ...many(6, () => laptop({ managed: null }))] }),
      asOf: D,
      status: "unknown",
    },
    noDevices(rule),
  ]),
  {
    rule: "DEV-12",
    name: "users from list size",
    estate: estate({ devices: many(4, laptop), practice: { list_size: 4000 } }),
    asOf: D,
    policy: policy({ user_count_basis: "list_size", patients_per_user: 400 }),
    status: "partial",
    reason: /4 managed laptops in use for 10 users \(4,000 registered patients at 400 per user\)/,
  },
  {
    rule: "DEV-12",
    name: "ICB sets 30%",
    estate: estate({ devices: [...many(7, win11), ...many(3, laptop)] }),
    asOf: D,
    policy: policy({ remote_capacity_share: 0.3 }),
    status: "met",
  },

  // INF-06: remote access only through managed laptops, with capacity.
  {
    rule: "INF-06",
    name: "enough managed laptops",
    estate: estate({ devices: [...many(4, win11), ...many(6, laptop)] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "INF-06",
    name: "capacity but one unmanaged",
    estate: estate({ devices: [...many(3, win11), ...many(6, laptop), laptop({ managed: false })] }),
    asOf: D,
    status: "partial",
    reason: /1 of 7 laptops is not centrally managed/,
  },
  {
    rule: "INF-06",
    name: "no laptops",
    estate: estate({ devices: many(5, win11) }),
    asOf: D,
    status: "not_met",
    reason: /3 × additional managed laptop costed under DEV-12\.$/,
    alongside: ["DEV-12", "BCP-03"],
    check: (f) => expect(f.units).toEqual([{ kind: "laptop_purchase", quantity: 0, costedUnder: "DEV-12", covered: 3 }]),
  },
  {
    rule: "INF-06",
    name: "management not recorded",
    estate: estate({ devices: [...many(4, win11), ...many(6, () => laptop({ managed: null }))] }),
    asOf: D,
    status: "unknown",
  },

  // SEC-03: every device with an OS, servers included; computers are costed under DEV-02.
  {
    rule: "SEC-03",
    name: "all supported",
    estate: estate({
      devices: [win11(), device({ device_type: "server", os_family: "Windows Server", os_edition: "Standard", os_version: "2019" })],
    }),
    asOf: D,
    status: "met",
  },
  {
    rule: "SEC-03",
    name: "an old server",
    estate: estate({
      devices: [win11(), device({ device_type: "server", os_family: "Windows Server", os_edition: "Standard", os_version: "2012" })],
    }),
    asOf: D,
    status: "partial",
    reason: /1 of 2 devices runs Windows Server 2012, unsupported since 10 October 2023/,
    check: (f) => expect(f.units).toEqual([{ kind: "device_replacement", quantity: 1 }]),
  },
  {
    rule: "SEC-03",
    name: "Windows 10 computers not costed twice",
    estate: estate({ devices: [win10()] }),
    asOf: D,
    status: "not_met",
    alongside: ["DEV-02"],
    check: (f) => expect(f.units).toEqual([{ kind: "os_upgrade", quantity: 0, costedUnder: "DEV-02", covered: 1 }]),
  },
  { rule: "SEC-03", name: "unknown OS", estate: estate({ devices: [device({ os_version: "99H9" })] }), asOf: D, status: "unknown" },
  noDevices("SEC-03"),

  // SEC-05: Cyber Essentials Plus is out of reach with unsupported systems.
  {
    rule: "SEC-05",
    name: "nothing unsupported",
    estate: estate({ devices: [win11()] }),
    asOf: D,
    status: "met",
    reason: /attested separately/,
  },
  { rule: "SEC-05", name: "Windows 10 without ESU", estate: estate({ devices: [win11(), win10()] }), asOf: D, status: "not_met" },
  { rule: "SEC-05", name: "Windows 10 with ESU", estate: estate({ devices: [win10({ esu_years: 2 })] }), asOf: D, status: "met" },
  { rule: "SEC-05", name: "OS not recorded", estate: estate({ devices: [device({ os_family: null })] }), asOf: D, status: "unknown" },
  noDevices("SEC-05"),

  // Sites used by device rules.
  {
    rule: "DEV-02",
    name: "closed sites do not matter",
    estate: estate({ devices: [win11()], sites: [site({ close_date: "2020-01-01" })] }),
    asOf: D,
    status: "met",
  },
];
