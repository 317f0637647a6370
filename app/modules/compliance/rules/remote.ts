import { describePolicyValue } from "~/modules/catalogue/policy";
import {
  END_USER_TYPES,
  NO_DEVICES,
  combine,
  ofTotal,
  daysFrom,
  deviceRef,
  deviceUnits,
  finding,
  formatDate,
  inUse,
  num,
  plural,
  problemRefs,
  sharedUnit,
  tally,
  units,
  verb,
} from "./helpers";
import type { Finding, PolicyValues, PracticeEstate, Rule, Status, Unit } from "~/modules/catalogue/rule-types";

/**
 * Smartcard Connect is installed on each computer in use: priced per computer, and the same
 * computers for DEV-11 and INF-07, so it is costed once (under DEV-11).
 */
export const smartcardConnectUnits = (e: PracticeEstate, needed: boolean): Unit[] =>
  needed ? deviceUnits(["smartcard_client_deployment", inUse(e, END_USER_TYPES)]) : [];

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

/** The remote desktop / VDI service, when the register records it in use. */
const remoteDesktop = (e: PracticeEstate) => e.services.find((s) => s.service_key === "remote_desktop" && s.status === "in_use") ?? null;

/**
 * Remote capacity: managed laptops in use plus the concurrent sessions of a remote desktop or
 * virtual desktop (VDI) service in use, which the requirement allows as well as laptops
 * (operating model: "NHS-managed laptops or a VDI service"), against the remote capacity share
 * of users. DEV-12, INF-06 and BCP-03 all read this one figure, and the laptops short of it are
 * one shared remediation unit, costed once (under DEV-12: remediation.ts).
 */
function capacity(e: PracticeEstate, policy: PolicyValues): Finding {
  const vdi = remoteDesktop(e);
  if (e.devices.length === 0 && policy.user_count_basis === "devices") return finding("unknown", NO_DEVICES);
  const { users, basis } = userCount(e, policy);
  if (!users) return finding("unknown", `Users cannot be counted (${basis}), so remote capacity cannot be checked.`);
  const laptops = inUse(e, ["laptop"]);
  const t = tally(laptops, (d) => d.managed);
  const seats = vdi?.seats ?? 0;
  const needed = Math.ceil(policy.remote_capacity_share * users);
  const share = describePolicyValue("remote_capacity_share", policy.remote_capacity_share);
  const vdiText = vdi
    ? vdi.seats === null
      ? " and a remote desktop service whose number of sessions is not recorded"
      : ` and ${plural(seats, "remote desktop session")}`
    : "";
  const have = `${plural(t.ok.length, "managed laptop")} in use${vdiText} for ${plural(users, "user")} (${basis})`;
  const evidence = [
    ...problemRefs(t, deviceRef),
    ...(vdi
      ? [
          {
            type: "digital_service" as const,
            id: String(vdi.id),
            label: "Remote desktop or virtual desktop (VDI)",
            outcome: vdi.seats === null ? ("unknown" as const) : ("ok" as const),
          },
        ]
      : []),
  ];
  const capable = t.ok.length + seats;
  if (capable >= needed) return finding("met", `${have}: enough for the ${share} remote capacity, which needs ${num(needed)}.`, evidence);
  const short = needed - capable;
  if (capable + t.unknown.length >= needed || (vdi && vdi.seats === null)) {
    const missing = [
      ...(t.unknown.length
        ? [`${plural(t.unknown.length, "more laptop")} ${verb(t.unknown.length, "has", "have")} no management status recorded`]
        : []),
      ...(vdi && vdi.seats === null ? ["the remote desktop service's number of sessions is not recorded"] : []),
    ].join(", and ");
    return finding("unknown", `${have}; ${missing}. ${share} remote capacity needs ${num(needed)}.`, evidence);
  }
  return finding(
    capable > 0 ? "partial" : "not_met",
    `${have}: ${num(short)} short of the ${num(needed)} needed for ${share} remote capacity.`,
    evidence,
    sharedUnit("laptop_purchase", short, "practice:remote-capacity"),
  );
}

/** DEV-12 and BCP-03: enough remote capacity (managed laptops, remote desktop) for the remote capacity share. */
export const dev12: Rule = (e, policy) => capacity(e, policy);
export const bcp03: Rule = (e, policy) => capacity(e, policy);

/** INF-06: remote access only through managed laptops or remote desktop, with enough capacity. */
export const inf06: Rule = (e, policy) => {
  const cap = capacity(e, policy);
  const laptops = inUse(e, ["laptop"]);
  const t = tally(laptops, (d) => d.managed);
  const safe: Status = t.fail.length
    ? "not_met"
    : t.unknown.length
      ? "unknown"
      : laptops.length || remoteDesktop(e)
        ? "met"
        : "not_applicable";
  const reasons = [cap.reason];
  if (t.fail.length)
    reasons.push(
      `${ofTotal(t.fail.length, laptops.length, "laptops")} ${verb(t.fail.length, "is", "are")} not centrally managed, so ${verb(t.fail.length, "it is not a", "they are not")} safe remote access.`,
    );
  return finding(combine([cap.status, safe]), reasons.join(" "), cap.evidence, [
    ...cap.units,
    ...deviceUnits(["device_management_enrolment", t.fail]),
  ]);
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
    reasons.push(
      asOf > change
        ? `Smartcard Connect is not in use, and the legacy Identity Agent stopped working after ${formatDate(change)}.`
        : `Smartcard Connect is not yet in use; the legacy Identity Agent works until ${formatDate(change)}.`,
    );
  } else {
    clientStatus = "unknown";
    reasons.push("Whether Smartcard Connect is in use is not recorded.");
  }
  const evidence = [
    ...readers.map((d) => deviceRef(d, "ok")),
    ...(client
      ? [
          {
            type: "digital_service" as const,
            id: String(client.id),
            label: "CIS2 / Smartcard Connect",
            outcome: clientStatus === "met" ? ("ok" as const) : clientStatus === "unknown" ? ("unknown" as const) : ("fail" as const),
          },
        ]
      : []),
  ];
  const upcoming =
    client?.status !== "in_use" && asOf <= change && daysFrom(asOf, change) <= policy.eos_warning_days
      ? [{ date: change, message: `The legacy Identity Agent works until ${formatDate(change)}; Smartcard Connect replaces it.` }]
      : [];
  // Once the legacy client has retired, staff without Smartcard Connect cannot sign in at all.
  const status = client?.status === "not_in_use" && asOf > change ? "not_met" : combine([readerStatus, clientStatus]);
  return finding(
    status,
    reasons.join(" "),
    evidence,
    [...units(["smartcard_reader", readers.length ? 0 : computers.length]), ...smartcardConnectUnits(e, client?.status === "not_in_use")],
    upcoming,
  );
};
