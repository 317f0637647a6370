import { ageInYears } from "~/modules/os-lifecycle/support";
import type { UnitKind } from "~/modules/catalogue/units";
import {
  END_USER_TYPES,
  NO_SITES,
  deviceUnits,
  inUse,
  itemUnit,
  ofTotal,
  list,
  nameSome,
  num,
  openSites,
  plural,
  refsOf,
  siteOfDevice,
  siteRef,
  statusOf,
  tally,
  units,
  verb,
  finding,
  type Check,
} from "./helpers";
import { lloydGeorgeRemedy } from "./paper";
import { userCount } from "./remote";
import type { PolicyValues, PracticeEstate, Rule, SiteRecord, Unit } from "~/modules/catalogue/rule-types";

/** Per-site work, one unit per site keyed `site:<code>` (so INF-01 and INF-05 cost a branch's HSCN once). */
const siteUnits = (kinds: readonly UnitKind[], sites: readonly SiteRecord[]): Unit[] =>
  kinds.flatMap((k) =>
    itemUnit(
      k,
      sites.map((s) => `site:${s.code}`),
    ),
  );

/** An HSCN connection: installed once, then rented every year. */
export const HSCN_UNITS: readonly UnitKind[] = ["hscn_connection", "hscn_rental"];

/**
 * Wi-Fi a site lacks: with neither network, access points (the policy's number per site); with
 * one, the other is a second network on the same access points, a configuration change.
 */
export function wifiRemedy(s: SiteRecord, policy: PolicyValues, which: "staff" | "patient" | "both"): Unit[] {
  if (s.wifi_staff === false && s.wifi_patient === false) {
    return itemUnit(
      "wifi_access_point",
      Array.from({ length: policy.wifi_access_points_per_site }, (_, i) => `site:${s.code}:ap:${i + 1}`),
    );
  }
  const missing = (["staff", "patient"] as const).filter(
    (w) => (which === "both" || which === w) && s[w === "staff" ? "wifi_staff" : "wifi_patient"] === false,
  );
  return itemUnit(
    "service_configuration",
    missing.map((w) => `site:${s.code}:wifi:${w}`),
  );
}

/** A yes/no fact about every open site. */
function perSite(opts: { test: (s: SiteRecord) => Check; what: string; lacking: string; unit?: readonly UnitKind[] }): Rule {
  // `what` and `lacking` follow "has"/"have", e.g. "an HSCN connection" / "no HSCN connection".
  return (e, _policy, asOf) => {
    const sites = openSites(e, asOf);
    if (sites.length === 0) return finding("unknown", NO_SITES);
    const t = tally(sites, opts.test);
    const parts: string[] = [];
    if (t.fail.length)
      parts.push(
        `${ofTotal(t.fail.length, sites.length, "open sites")} ${verb(t.fail.length, "has", "have")} ${opts.lacking}: ${nameSome(t.fail.map((s) => s.name))}.`,
      );
    else if (!t.unknown.length)
      parts.push(
        sites.length === 1 ? `The practice's site has ${opts.what}.` : `All ${plural(sites.length, "open site")} have ${opts.what}.`,
      );
    if (t.unknown.length)
      parts.push(`It is not recorded for ${plural(t.unknown.length, "site")} (${nameSome(t.unknown.map((s) => s.name))}).`);
    return finding(statusOf(t), parts.join(" "), refsOf(t, siteRef), opts.unit ? siteUnits(opts.unit, t.fail) : []);
  };
}

export const inf01 = perSite({
  test: (s) => s.hscn_connected,
  what: "an HSCN connection",
  lacking: "no HSCN connection",
  unit: HSCN_UNITS,
});
export const inf08 = perSite({
  test: (s) => s.comms_room_ok,
  what: "a comms room fit for IT",
  lacking: "no comms room fit for IT",
  unit: ["comms_room_works"],
});
export const prem02 = perSite({
  test: (s) => s.ups_present,
  what: "an uninterruptible power supply",
  lacking: "no uninterruptible power supply",
  unit: ["ups_installation"],
});

/** PREM-03: no floor space at open sites is taken up by paper records. */
export const prem03: Rule = (e, _policy, asOf) => {
  const sites = openSites(e, asOf);
  if (sites.length === 0) return finding("unknown", NO_SITES);
  const t = tally(sites, (s) => (s.records_storage_m2 === null ? null : s.records_storage_m2 <= 0));
  const area = t.fail.reduce((a, s) => a + (s.records_storage_m2 ?? 0), 0);
  const parts: string[] = [];
  if (t.fail.length)
    parts.push(
      `Paper records take up ${num(Math.round(area * 10) / 10)} m² at ${plural(t.fail.length, "site")} (${nameSome(t.fail.map((s) => s.name))}); digitising them would free the space.`,
    );
  else if (!t.unknown.length) parts.push("No floor space is used for paper records.");
  if (t.unknown.length) parts.push(`Records storage is not recorded for ${plural(t.unknown.length, "site")}.`);
  // The remedy is PAP-01's digitisation and PAP-02's destruction, costed once, there (remediation.ts).
  return finding(statusOf(t), parts.join(" "), refsOf(t, siteRef), t.fail.length ? lloydGeorgeRemedy(e, "both") : []);
};

/** INF-04: staff and patient Wi-Fi at every open site (each counted as one check). */
export const inf04: Rule = (e, policy, asOf) => {
  const sites = openSites(e, asOf);
  if (sites.length === 0) return finding("unknown", NO_SITES);
  const checks = sites.flatMap((s) => [
    { s, what: "staff", v: s.wifi_staff },
    { s, what: "patient", v: s.wifi_patient },
  ]);
  const t = tally(checks, (c) => c.v);
  const status = statusOf(t);
  const parts: string[] = [];
  if (t.fail.length) parts.push(`Missing Wi-Fi: ${list(t.fail.map((c) => `${c.what} Wi-Fi at ${c.s.name}`))}.`);
  else if (!t.unknown.length)
    parts.push(
      `Staff and patient Wi-Fi are available at ${sites.length === 1 ? "the practice's site" : `all ${plural(sites.length, "open site")}`}.`,
    );
  if (t.unknown.length) parts.push(`Not recorded: ${list(t.unknown.map((c) => `${c.what} Wi-Fi at ${c.s.name}`))}.`);
  const siteOutcome = (s: SiteRecord) => {
    const mine = checks.filter((c) => c.s === s);
    return mine.some((c) => c.v === false) ? "fail" : mine.some((c) => c.v === null) ? "unknown" : "ok";
  };
  return finding(
    status,
    parts.join(" "),
    sites.map((s) => siteRef(s, siteOutcome(s))),
    mergeUnits(sites.flatMap((s) => wifiRemedy(s, policy, "both"))),
  );
};

/** End-user computers in use per site (devices with no site count at the main site). */
function usersBySite(e: PracticeEstate): Map<string, number> {
  const m = new Map<string, number>();
  for (const d of inUse(e, END_USER_TYPES)) {
    const site = siteOfDevice(d, e.sites);
    if (site) m.set(site, (m.get(site) ?? 0) + 1);
  }
  return m;
}

/** INF-02: bandwidth per user at each site (or for the practice, when users come from list size). */
export const inf02: Rule = (e, policy, asOf) => {
  const sites = openSites(e, asOf);
  if (sites.length === 0) return finding("unknown", NO_SITES);
  const min = policy.min_bandwidth_per_user_mbps;
  const perUser = (mbps: number, users: number) => Math.round((mbps / users) * 10) / 10;
  if (policy.user_count_basis === "list_size") {
    const { users, basis } = userCount(e, policy);
    const missing = sites.filter((s) => s.bandwidth_mbps === null);
    if (!users)
      return finding(
        "unknown",
        `Users cannot be counted (${basis}).`,
        sites.map((s) => siteRef(s)),
      );
    if (missing.length)
      return finding(
        "unknown",
        `Bandwidth is not recorded for ${plural(missing.length, "site")}.`,
        sites.map((s) => siteRef(s, s.bandwidth_mbps === null ? "unknown" : "ok")),
      );
    const total = sites.reduce((a, s) => a + (s.bandwidth_mbps ?? 0), 0);
    const ok = total / users >= min;
    const reason = `${num(total)} Mbps across ${plural(sites.length, "site")} for ${plural(users, "user")} (${basis}): ${num(perUser(total, users))} Mbps each against a minimum of ${num(min)} Mbps.`;
    return finding(
      ok ? "met" : "not_met",
      reason,
      sites.map((s) => siteRef(s, ok ? "ok" : "fail")),
      units(["bandwidth_upgrade", ok ? 0 : 1]),
    );
  }
  const users = usersBySite(e);
  if (users.size === 0)
    return finding(
      "unknown",
      "No computers in use are recorded, so users per site cannot be counted.",
      sites.map((s) => siteRef(s)),
    );
  const staffed = sites.filter((s) => (users.get(s.code) ?? 0) > 0);
  if (staffed.length === 0)
    return finding(
      "unknown",
      "No computers in use are recorded at the practice's open sites.",
      sites.map((s) => siteRef(s)),
    );
  const t = tally(staffed, (s) => (s.bandwidth_mbps === null ? null : s.bandwidth_mbps / users.get(s.code)! >= min));
  const describe = (s: SiteRecord) =>
    `${s.name} has ${num(s.bandwidth_mbps!)} Mbps for ${plural(users.get(s.code)!, "user")} (${num(perUser(s.bandwidth_mbps!, users.get(s.code)!))} Mbps each)`;
  const parts: string[] = [];
  if (t.fail.length) parts.push(`${list(t.fail.map(describe))}, below the minimum of ${num(min)} Mbps per user.`);
  else if (!t.unknown.length) parts.push(`Every site has at least ${num(min)} Mbps per user: ${list(t.ok.map(describe))}.`);
  if (t.unknown.length) parts.push(`Bandwidth is not recorded for ${nameSome(t.unknown.map((s) => s.name))}.`);
  return finding(statusOf(t), parts.join(" "), refsOf(t, siteRef), units(["bandwidth_upgrade", t.fail.length]));
};

/** INF-03: each open site has a switch and a firewall recorded, none past the network age limit. */
export const inf03: Rule = (e, policy, asOf) => {
  const sites = openSites(e, asOf);
  if (sites.length === 0) return finding("unknown", NO_SITES);
  const kit = inUse(e, ["network_switch", "firewall"]);
  const overAge = kit.filter((d) => {
    const age = ageInYears(d.purchase_date, asOf);
    return age !== null && age >= policy.max_age_network;
  });
  const undated = kit.filter((d) => d.purchase_date === null);
  const t = tally(sites, (s): Check => {
    const here = kit.filter((d) => siteOfDevice(d, e.sites) === s.code);
    if (here.some((d) => overAge.includes(d))) return false;
    const complete = here.some((d) => d.device_type === "network_switch") && here.some((d) => d.device_type === "firewall");
    return complete && !here.some((d) => undated.includes(d)) ? true : null;
  });
  const parts: string[] = [];
  if (overAge.length)
    parts.push(
      `${plural(overAge.length, "network device")} ${verb(overAge.length, "has", "have")} reached the ${plural(policy.max_age_network, "year")} age limit for network kit.`,
    );
  else if (!t.unknown.length)
    parts.push(`Every open site has a switch and a firewall within the ${plural(policy.max_age_network, "year")} age limit.`);
  if (t.unknown.length)
    parts.push(
      `For ${plural(t.unknown.length, "site")} (${nameSome(t.unknown.map((s) => s.name))}), a switch, a firewall or a purchase date is not recorded.`,
    );
  return finding(statusOf(t), parts.join(" "), refsOf(t, siteRef), deviceUnits(["network_device_replacement", overAge]));
};

/** INF-05: each open branch has HSCN, staff Wi-Fi and at least one computer in use. */
export const inf05: Rule = (e, policy, asOf) => {
  const branches = openSites(e, asOf).filter((s) => s.kind === "branch");
  if (branches.length === 0) return finding("not_applicable", "The practice has no open branch sites.");
  const users = usersBySite(e);
  const anySited = inUse(e, END_USER_TYPES).some((d) => d.site_code !== null);
  const lacks = new Map<string, string[]>();
  const t = tally(branches, (b): Check => {
    const computers: Check = (users.get(b.code) ?? 0) > 0 ? true : anySited ? false : null;
    const parts: [string, Check][] = [
      ["HSCN", b.hscn_connected],
      ["staff Wi-Fi", b.wifi_staff],
      ["computers", computers],
    ];
    lacks.set(
      b.code,
      parts.filter(([, v]) => v === false).map(([w]) => w),
    );
    if (parts.some(([, v]) => v === false)) return false;
    return parts.some(([, v]) => v === null) ? null : true;
  });
  const parts: string[] = [];
  if (t.fail.length) parts.push(`${list(t.fail.map((b) => `${b.name} has no ${list(lacks.get(b.code)!, "or")}`))}.`);
  else if (!t.unknown.length)
    parts.push(
      `${branches.length === 1 ? "The branch site has" : `All ${plural(branches.length, "branch site")} have`} HSCN, staff Wi-Fi and computers in use.`,
    );
  if (t.unknown.length)
    parts.push(`For ${plural(t.unknown.length, "branch", "branches")}, HSCN, Wi-Fi or the computers there are not recorded.`);
  // The HSCN and Wi-Fi work is the same as INF-01's and INF-04's, so it is costed once, there
  // (remediation.ts). Computers for a branch have no unit: how many it needs is not recorded.
  const remedy = t.fail.flatMap((b) => [
    ...(b.hscn_connected === false ? siteUnits(HSCN_UNITS, [b]) : []),
    ...(b.wifi_staff === false ? wifiRemedy(b, policy, "staff") : []),
  ]);
  return finding(statusOf(t), parts.join(" "), refsOf(t, siteRef), mergeUnits(remedy));
};

/** Units of one kind from several sites as one line, keeping every item. */
function mergeUnits(list: Unit[]): Unit[] {
  const by = new Map<string, Unit>();
  for (const u of list) {
    const e = by.get(u.kind);
    if (e) by.set(u.kind, { ...e, quantity: e.quantity + u.quantity, items: [...(e.items ?? []), ...(u.items ?? [])] });
    else by.set(u.kind, u);
  }
  return [...by.values()];
}
