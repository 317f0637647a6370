import { describePolicyValue } from "../policy";
import {
  END_USER_TYPES, NO_DEVICES, combine, ofTotal, daysFrom, deviceRef, finding, formatDate, inUse, num, plural, problemRefs, tally, units, verb,
} from "./helpers";
import type { Finding, PolicyValues, PracticeEstate, Rule, Status } from "./types";

/**
 * Users for per-user checks, by the ICB's chosen basis: computers in use, or registered
 * patients divided by patients per user. Null when the basis has no data.
 */
export function userCount(e: PracticeEstate, policy: PolicyValues): { users: number | null; basis: string } {
  if (policy.user_count_basis === "list_size") {
    const users = e.practice.list_size ? Math.ceil(e.practice.list_size / policy.patients_per_user) : null;
    return { users, basis: `${num(e.practice.list_size ?? 0)} registered patients at ${num(policy.patients_per_user)} per user` };
  }
  const n = inUse(e, END_USER_TYPES).length;
  return { users: n || null, basis: `${plural(n, "computer")} in use` };
}

/** Managed laptops in use against the remote capacity share of users. */
function capacity(e: PracticeEstate, policy: PolicyValues): Finding {
  if (e.devices.length === 0 && policy.user_count_basis === "devices") return finding("unknown", NO_DEVICES);
  const { users, basis } = userCount(e, policy);
  if (!users) return finding("unknown", `Users cannot be counted (${basis}), so remote capacity cannot be checked.`);
  const laptops = inUse(e, ["laptop"]);
  const t = tally(laptops, (d) => d.managed);
  const needed = Math.ceil(policy.remote_capacity_share * users);
  const share = describePolicyValue("remote_capacity_share", policy.remote_capacity_share);
  const have = `${plural(t.ok.length, "managed laptop")} in use for ${plural(users, "user")} (${basis})`;
  const evidence = problemRefs(t, deviceRef);
  if (t.ok.length >= needed) return finding("met", `${have}: enough for the ${share} remote capacity, which needs ${num(needed)}.`, evidence);
  const short = needed - t.ok.length;
  const u = units(["laptop_purchase", short]);
  if (t.ok.length + t.unknown.length >= needed) {
    return finding("unknown", `${have}; ${plural(t.unknown.length, "more laptop")} ${verb(t.unknown.length, "has", "have")} no management status recorded. ${share} remote capacity needs ${num(needed)}.`, evidence);
  }
  return finding(t.ok.length > 0 ? "partial" : "not_met", `${have}: ${num(short)} short of the ${num(needed)} needed for ${share} remote capacity.`, evidence, u);
}

/**
 * The same shortfall of laptops fails DEV-12, INF-06 and BCP-03; it is costed once, under DEV-12
 * (the device requirement), and the other two say so.
 */
function costedUnderDev12(f: Finding): Finding {
  const laptops = f.units.filter((u) => u.kind === "laptop_purchase");
  if (laptops.length === 0) return f;
  return { ...f, reason: `${f.reason} The laptops are costed under DEV-12.`, units: f.units.filter((u) => u.kind !== "laptop_purchase") };
}

/** DEV-12 and BCP-03: enough managed laptops for the remote capacity share. */
export const dev12: Rule = (e, policy) => capacity(e, policy);
export const bcp03: Rule = (e, policy) => costedUnderDev12(capacity(e, policy));

/** INF-06: remote access only through managed laptops, with enough capacity. */
export const inf06: Rule = (e, policy) => {
  const cap = capacity(e, policy);
  const laptops = inUse(e, ["laptop"]);
  const t = tally(laptops, (d) => d.managed);
  const safe: Status = t.fail.length ? "not_met" : t.unknown.length ? "unknown" : laptops.length ? "met" : "not_applicable";
  const reasons = [cap.reason];
  if (t.fail.length) reasons.push(`${ofTotal(t.fail.length, laptops.length, "laptops")} ${verb(t.fail.length, "is", "are")} not centrally managed, so ${verb(t.fail.length, "it is not a", "they are not")} safe remote access.`);
  return costedUnderDev12(finding(combine([cap.status, safe]), reasons.join(" "), cap.evidence, [...cap.units, ...units(["device_management_enrolment", t.fail.length])]));
};

/** DEV-11: smartcard readers in use, and Smartcard Connect before the legacy client retires. */
export const dev11: Rule = (e, policy, asOf) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const computers = inUse(e, END_USER_TYPES);
  const readers = inUse(e, ["smartcard_reader"]);
  const client = e.services.find((s) => s.service_key === "cis2_smartcard_connect");
  const change = policy.smartcard_client_change_date;
  const reasons: string[] = [];
  const readerStatus: Status = readers.length ? "met" : computers.length ? "not_met" : "unknown";
  reasons.push(readers.length ? `${plural(readers.length, "smartcard reader")} in use.` : "No smartcard readers are recorded.");
  let clientStatus: Status;
  if (client?.status === "in_use") {
    clientStatus = "met";
    reasons.push("Smartcard Connect is in use.");
  } else if (client?.status === "not_in_use") {
    clientStatus = asOf > change ? "not_met" : "partial";
    reasons.push(asOf > change ? `Smartcard Connect is not in use, and the legacy Identity Agent stopped working after ${formatDate(change)}.` : `Smartcard Connect is not yet in use; the legacy Identity Agent works until ${formatDate(change)}.`);
  } else {
    clientStatus = "unknown";
    reasons.push("Whether Smartcard Connect is in use is not recorded.");
  }
  const evidence = [
    ...readers.map((d) => deviceRef(d, "ok")),
    ...(client ? [{ type: "digital_service" as const, id: String(client.id), label: "CIS2 / Smartcard Connect", outcome: clientStatus === "met" ? ("ok" as const) : clientStatus === "unknown" ? ("unknown" as const) : ("fail" as const) }] : []),
  ];
  const upcoming = client?.status !== "in_use" && asOf <= change && daysFrom(asOf, change) <= policy.eos_warning_days
    ? [{ date: change, message: `The legacy Identity Agent works until ${formatDate(change)}; Smartcard Connect replaces it.` }]
    : [];
  // Once the legacy client has retired, staff without Smartcard Connect cannot sign in at all.
  const status = client?.status === "not_in_use" && asOf > change ? "not_met" : combine([readerStatus, clientStatus]);
  return finding(
    status,
    reasons.join(" "),
    evidence,
    units(["smartcard_reader", readers.length ? 0 : computers.length], ["smartcard_client_deployment", client?.status === "not_in_use" ? 1 : 0]),
    upcoming,
  );
};
