import { expect } from "vitest";
import type { SiteRecord } from "~/modules/compliance/rules";
import { branch, device, estate, many, policy, service, site } from "../../support/compliance-estate";
import type { RuleCase } from "./cases";

const D = "2026-11-22";
const noSites = (rule: string): RuleCase => ({
  rule,
  name: "no open sites",
  estate: estate({ sites: [site({ close_date: "2025-01-01" })] }),
  asOf: D,
  status: "unknown",
  reason: /No open sites are recorded/,
});

/** A yes/no fact per open site. */
const perSite = (rule: string, key: keyof SiteRecord, unit?: string, more: string[] = []): RuleCase[] => [
  { rule, name: "every site", estate: estate({ sites: [site(), branch()] }), asOf: D, status: "met" },
  {
    rule,
    name: "branch lacks it",
    estate: estate({ sites: [site(), branch({ [key]: false })] }),
    asOf: D,
    status: "partial",
    reason: /1 of 2 open sites has no .*: Branch Surgery/,
    check: (f) => expect(f.units).toEqual(unit ? [unit, ...more].map((kind) => ({ kind, quantity: 1 })) : []),
  },
  { rule, name: "no site has it", estate: estate({ sites: [site({ [key]: false })] }), asOf: D, status: "not_met" },
  { rule, name: "not recorded", estate: estate({ sites: [site(), branch({ [key]: null })] }), asOf: D, status: "unknown" },
  {
    rule,
    name: "a closed branch does not count",
    estate: estate({ sites: [site(), branch({ [key]: false, close_date: "2026-01-01" })] }),
    asOf: D,
    status: "met",
  },
  noSites(rule),
];

const switchAt = (code: string, purchase = "2024-01-01") =>
  device({ device_type: "network_switch", os_family: null, site_code: code, purchase_date: purchase });
const firewallAt = (code: string, purchase = "2024-01-01") =>
  device({ device_type: "firewall", os_family: null, site_code: code, purchase_date: purchase });

export const SITE_CASES: RuleCase[] = [
  // An HSCN connection is installed once and rented every year.
  ...perSite("INF-01", "hscn_connected", "hscn_connection", ["hscn_rental"]),
  ...perSite("INF-08", "comms_room_ok", "comms_room_works"),
  ...perSite("PREM-02", "ups_present", "ups_installation"),

  // INF-04: staff and patient Wi-Fi.
  { rule: "INF-04", name: "both everywhere", estate: estate({ sites: [site(), branch()] }), asOf: D, status: "met" },
  {
    rule: "INF-04",
    name: "no patient Wi-Fi at the branch",
    estate: estate({ sites: [site(), branch({ wifi_patient: false })] }),
    asOf: D,
    status: "partial",
    reason: "Missing Wi-Fi: patient Wi-Fi at Branch Surgery.",
    // A second network on the access points already there: a configuration change at no cost.
    check: (f) => expect(f.units).toEqual([{ kind: "service_configuration", quantity: 1 }]),
  },
  {
    rule: "INF-04",
    name: "no Wi-Fi at all",
    estate: estate({ sites: [site({ wifi_staff: false, wifi_patient: false })] }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "wifi_access_point", quantity: 2 }]),
  },
  { rule: "INF-04", name: "not recorded", estate: estate({ sites: [site({ wifi_patient: null })] }), asOf: D, status: "unknown" },
  noSites("INF-04"),

  // PREM-03: floor space used for paper records.
  { rule: "PREM-03", name: "no paper storage", estate: estate(), asOf: D, status: "met" },
  {
    rule: "PREM-03",
    name: "paper at the main site only",
    estate: estate({ sites: [site({ records_storage_m2: 4.2 }), branch()] }),
    asOf: D,
    status: "partial",
    reason: /Paper records take up 4.2 m² at 1 site \(Main Surgery\)/,
  },
  { rule: "PREM-03", name: "paper everywhere", estate: estate({ sites: [site({ records_storage_m2: 3 })] }), asOf: D, status: "not_met" },
  { rule: "PREM-03", name: "not recorded", estate: estate({ sites: [site({ records_storage_m2: null })] }), asOf: D, status: "unknown" },
  noSites("PREM-03"),

  // INF-02: bandwidth per user (2 Mbps by default), users per site from computers in use.
  {
    rule: "INF-02",
    name: "plenty",
    estate: estate({ devices: many(10, () => device()) }),
    asOf: D,
    status: "met",
    reason: /Main Surgery has 200 Mbps for 10 users \(20 Mbps each\)/,
  },
  {
    rule: "INF-02",
    name: "branch too slow",
    estate: estate({
      sites: [site(), branch({ bandwidth_mbps: 10 })],
      devices: [...many(5, () => device()), ...many(8, () => device({ site_code: "F84003001" }))],
    }),
    asOf: D,
    status: "partial",
    reason: /Branch Surgery has 10 Mbps for 8 users \(1.3 Mbps each\), below the minimum of 2 Mbps per user/,
    check: (f) => expect(f.units).toEqual([{ kind: "bandwidth_upgrade", quantity: 1 }]),
  },
  {
    rule: "INF-02",
    name: "too slow",
    estate: estate({ sites: [site({ bandwidth_mbps: 10 })], devices: many(10, () => device()) }),
    asOf: D,
    status: "not_met",
  },
  {
    rule: "INF-02",
    name: "ICB asks for 25 Mbps per user",
    estate: estate({ devices: many(10, () => device()) }),
    asOf: D,
    policy: policy({ min_bandwidth_per_user_mbps: 25 }),
    status: "not_met",
  },
  {
    rule: "INF-02",
    name: "bandwidth not recorded",
    estate: estate({ sites: [site({ bandwidth_mbps: null })] }),
    asOf: D,
    status: "unknown",
  },
  { rule: "INF-02", name: "no computers to count users", estate: estate({ devices: [] }), asOf: D, status: "unknown" },
  {
    rule: "INF-02",
    name: "users from list size",
    estate: estate({ practice: { list_size: 8000 } }),
    asOf: D,
    policy: policy({ user_count_basis: "list_size" }),
    status: "met",
    reason: /200 Mbps across 1 site for 20 users/,
  },
  {
    rule: "INF-02",
    name: "users from list size, too slow",
    estate: estate({ practice: { list_size: 8000 }, sites: [site({ bandwidth_mbps: 20 })] }),
    asOf: D,
    policy: policy({ user_count_basis: "list_size" }),
    status: "not_met",
  },
  noSites("INF-02"),

  // INF-03: switch and firewall at each site, within the network age limit (7 years by default).
  { rule: "INF-03", name: "kit in place", estate: estate({ devices: [switchAt("F84003"), firewallAt("F84003")] }), asOf: D, status: "met" },
  {
    rule: "INF-03",
    name: "old firewall",
    estate: estate({ devices: [switchAt("F84003"), firewallAt("F84003", "2018-01-01")] }),
    asOf: D,
    status: "not_met",
    check: (f) => expect(f.units).toEqual([{ kind: "network_device_replacement", quantity: 1 }]),
  },
  {
    rule: "INF-03",
    name: "old kit at the branch only",
    estate: estate({
      sites: [site(), branch()],
      devices: [switchAt("F84003"), firewallAt("F84003"), switchAt("F84003001", "2015-05-01"), firewallAt("F84003001")],
    }),
    asOf: D,
    status: "partial",
  },
  { rule: "INF-03", name: "no network kit recorded", estate: estate(), asOf: D, status: "unknown" },
  noSites("INF-03"),

  // INF-05: branch parity.
  { rule: "INF-05", name: "no branches", estate: estate(), asOf: D, status: "not_applicable" },
  {
    rule: "INF-05",
    name: "branch equipped",
    estate: estate({ sites: [site(), branch()], devices: [device(), device({ site_code: "F84003001" })] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "INF-05",
    name: "branch without HSCN or computers",
    estate: estate({ sites: [site(), branch({ hscn_connected: false })], devices: [device()] }),
    asOf: D,
    status: "not_met",
    reason: "Branch Surgery has no HSCN or computers.",
  },
  {
    rule: "INF-05",
    name: "one of two branches short",
    estate: estate({
      sites: [site(), branch(), branch({ code: "F84003002", name: "Second Branch", wifi_staff: false })],
      devices: [device({ site_code: "F84003001" }), device({ site_code: "F84003002" })],
    }),
    asOf: D,
    status: "partial",
  },
  {
    rule: "INF-05",
    name: "devices have no sites",
    estate: estate({ sites: [site(), branch()], devices: [device({ site_code: null })] }),
    asOf: D,
    status: "unknown",
  },

  // Services register: CLN-05 (and the other single-service rules share the code).
  ...(["CLN-05", "CLN-07", "CLN-09", "CLN-11", "CLN-13", "SEC-07", "INF-07"] as const).flatMap((rule): RuleCase[] => {
    const key = {
      "CLN-05": "online_consultation",
      "CLN-07": "video_consultation",
      "CLN-09": "prospective_record_access",
      "CLN-11": "online_registration",
      "CLN-13": "sms_messaging",
      "SEC-07": "nhsmail",
      "INF-07": "cis2_smartcard_connect",
    }[rule];
    return [
      { rule, name: "in use", estate: estate({ services: [service(key)] }), asOf: D, status: "met" },
      {
        rule,
        name: "not in use",
        estate: estate({ services: [service(key, "not_in_use")] }),
        asOf: D,
        status: "not_met",
        // Bought services are set up; functions of systems the practice has are switched on at no cost; Smartcard Connect goes on each computer.
        check: (f) =>
          expect(f.units).toEqual([
            {
              kind:
                key === "cis2_smartcard_connect"
                  ? "smartcard_client_deployment"
                  : ["prospective_record_access", "online_registration", "nhsmail"].includes(key)
                    ? "service_configuration"
                    : "digital_service_setup",
              quantity: 1,
            },
          ]),
      },
      { rule, name: "marked not known", estate: estate({ services: [service(key, "unknown")] }), asOf: D, status: "unknown" },
      { rule, name: "no row", estate: estate({ services: [] }), asOf: D, status: "unknown", reason: /Not recorded:/ },
    ];
  }),
  {
    rule: "CLN-09",
    name: "before the contract deadline",
    estate: estate({ services: [service("prospective_record_access", "not_in_use")] }),
    asOf: "2023-10-30",
    status: "not_applicable",
    engine: true,
  },
  {
    rule: "CLN-11",
    name: "before online registration applied",
    estate: estate(),
    asOf: "2024-09-30",
    status: "not_applicable",
    engine: true,
  },
  {
    rule: "CLN-08",
    name: "two of four NHS App functions",
    asOf: D,
    status: "partial",
    reason:
      "In use: NHS App: appointment booking and NHS App: repeat prescriptions. Not in use: NHS App: messaging. Not recorded: NHS App: record view.",
    estate: estate({
      services: [service("nhs_app_appointments"), service("nhs_app_repeat_prescriptions"), service("nhs_app_messaging", "not_in_use")],
    }),
  },
  {
    rule: "CLN-08",
    name: "all four",
    estate: estate({
      services: ["nhs_app_appointments", "nhs_app_repeat_prescriptions", "nhs_app_messaging", "nhs_app_record_view"].map((k) => service(k)),
    }),
    asOf: D,
    status: "met",
  },
  {
    rule: "CLN-08",
    name: "none",
    estate: estate({
      services: ["nhs_app_appointments", "nhs_app_repeat_prescriptions", "nhs_app_messaging", "nhs_app_record_view"].map((k) =>
        service(k, "not_in_use"),
      ),
    }),
    asOf: D,
    status: "not_met",
  },
  { rule: "CLN-08", name: "nothing recorded", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "CLN-10",
    name: "both GP Connect services",
    estate: estate({ services: [service("gp_connect_access_record"), service("gp_connect_update_record")] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "CLN-10",
    name: "access only",
    estate: estate({ services: [service("gp_connect_access_record"), service("gp_connect_update_record", "not_in_use")] }),
    asOf: D,
    status: "partial",
  },
  {
    rule: "CLN-10",
    name: "neither",
    estate: estate({ services: [service("gp_connect_access_record", "not_in_use"), service("gp_connect_update_record", "not_in_use")] }),
    asOf: D,
    status: "not_met",
  },
  { rule: "CLN-10", name: "not recorded", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "CLN-10",
    name: "before 1 October 2025",
    estate: estate(),
    asOf: "2025-09-30",
    status: "not_applicable",
    engine: true,
    reason: "This requirement applies from 1 October 2025.",
  },
  {
    rule: "CLN-12",
    name: "all national services",
    estate: estate({ services: ["eps", "ers", "gp2gp", "scr", "nhsmail"].map((k) => service(k)) }),
    asOf: D,
    status: "met",
  },
  {
    rule: "CLN-12",
    name: "no SCR",
    estate: estate({ services: [...["eps", "ers", "gp2gp", "nhsmail"].map((k) => service(k)), service("scr", "not_in_use")] }),
    asOf: D,
    status: "partial",
  },
  {
    rule: "CLN-12",
    name: "nothing in use",
    estate: estate({ services: ["eps", "ers", "gp2gp", "scr", "nhsmail"].map((k) => service(k, "not_in_use")) }),
    asOf: D,
    status: "not_met",
  },
  { rule: "CLN-12", name: "nothing recorded", estate: estate(), asOf: D, status: "unknown" },
  {
    rule: "CLN-14",
    name: "website and guide",
    estate: estate({ services: [service("practice_website"), service("practice_website_yygp")] }),
    asOf: D,
    status: "met",
  },
  {
    rule: "CLN-14",
    name: "website without guide",
    estate: estate({ services: [service("practice_website"), service("practice_website_yygp", "not_in_use")] }),
    asOf: D,
    status: "partial",
  },
  // Issue #13 item 6: the guide link is a duty from 1 October 2025 (S62), not 1 April 2025.
  {
    rule: "CLN-14",
    name: "guide not yet expected",
    estate: estate({ services: [service("practice_website"), service("practice_website_yygp", "not_in_use")] }),
    asOf: "2025-09-30",
    status: "met",
    reason: /expected from 1 October 2025/,
  },
  {
    rule: "CLN-14",
    name: "guide not expected in summer 2025",
    estate: estate({ services: [service("practice_website"), service("practice_website_yygp", "not_in_use")] }),
    asOf: "2025-05-01",
    status: "met",
  },
  {
    rule: "CLN-14",
    name: "guide expected from 1 October 2025",
    estate: estate({ services: [service("practice_website"), service("practice_website_yygp", "not_in_use")] }),
    asOf: "2025-10-01",
    status: "partial",
  },
  {
    rule: "CLN-14",
    name: "no website",
    estate: estate({ services: [service("practice_website", "not_in_use"), service("practice_website_yygp", "not_in_use")] }),
    asOf: D,
    status: "not_met",
  },
  { rule: "CLN-14", name: "not recorded", estate: estate(), asOf: D, status: "unknown" },

  // CLN-01: assured clinical system.
  {
    rule: "CLN-01",
    name: "EMIS from national data",
    estate: estate(),
    asOf: D,
    status: "met",
    reason: "The practice uses EMIS, an assured foundation clinical system.",
  },
  {
    rule: "CLN-01",
    name: "SystmOne from the register",
    estate: estate({
      practice: { clinical_system: null },
      services: [service("principal_clinical_system", "in_use", { supplier: "TPP SystmOne" })],
    }),
    asOf: D,
    status: "met",
    check: (f) => expect(f.evidence[0].type).toBe("digital_service"),
  },
  {
    rule: "CLN-01",
    name: "register says none",
    estate: estate({ services: [service("principal_clinical_system", "not_in_use")] }),
    asOf: D,
    status: "not_met",
  },
  { rule: "CLN-01", name: "not recorded", estate: estate({ practice: { clinical_system: null } }), asOf: D, status: "unknown" },
  {
    rule: "CLN-01",
    name: "unrecognised system",
    estate: estate({ practice: { clinical_system: "ACME NOTES" } }),
    asOf: D,
    status: "unknown",
    reason: /not one we recognise/,
  },
];
