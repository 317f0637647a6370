import { win11Ready } from "~/modules/catalogue/device-facts";
import { supportStatus, type SupportStatus } from "~/modules/os-lifecycle/support";
import {
  END_USER_TYPES,
  NO_DEVICES,
  OS_TYPES,
  ofTotal,
  deviceRef,
  deviceUnits,
  finding,
  formatDate,
  inUse,
  lastDayWithin,
  list,
  nounFor,
  num,
  plural,
  problemRefs,
  replacementUnits,
  statusOf,
  tally,
  verb,
} from "./helpers";
import { certificateRef, certificateSentence, certificateState } from "./cyber-essentials";
import type { DeviceRecord, PolicyValues, PracticeEstate, Rule, Upcoming } from "~/modules/catalogue/rule-types";

const osName = (d: DeviceRecord) => [d.os_family, d.os_version].filter(Boolean).join(" ");

/**
 * Five rules (DEV-02, DEV-04, DEV-05, SEC-03, SEC-05) ask for the same device's support on the
 * same day: answered once per device and date. Rules are pure, so the record is the cache key.
 */
const supportCache = new WeakMap<DeviceRecord, { asOf: string; lifecycle: PracticeEstate["lifecycle"]; status: SupportStatus }>();

/** Support on the as-of date; a computer with no OS recorded is not known rather than exempt. */
function supportOf(d: DeviceRecord, e: PracticeEstate, asOf: string): SupportStatus {
  const hit = supportCache.get(d);
  if (hit && hit.asOf === asOf && hit.lifecycle === e.lifecycle) return hit.status;
  let s = supportStatus(d, e.lifecycle, asOf);
  if (s.state === "not_applicable" && OS_TYPES.includes(d.device_type)) s = { ...s, state: "unknown" };
  supportCache.set(d, { asOf, lifecycle: e.lifecycle, status: s });
  return s;
}

interface OsTally {
  devices: DeviceRecord[];
  unsupported: { d: DeviceRecord; s: SupportStatus }[];
  esu: { d: DeviceRecord; s: SupportStatus }[];
  unknown: DeviceRecord[];
  supported: { d: DeviceRecord; s: SupportStatus }[];
}

function tallyOs(devices: DeviceRecord[], e: PracticeEstate, asOf: string): OsTally {
  const t: OsTally = { devices, unsupported: [], esu: [], unknown: [], supported: [] };
  for (const d of devices) {
    const s = supportOf(d, e, asOf);
    if (s.state === "unsupported") t.unsupported.push({ d, s });
    else if (s.state === "esu") t.esu.push({ d, s });
    else if (s.state === "supported") t.supported.push({ d, s });
    else if (s.state === "unknown") t.unknown.push(d);
  }
  return t;
}

/** "5 run Windows 10 22H2 (support ended on 14 October 2025)", grouped by OS and end date. */
function groupPhrases(
  items: { d: DeviceRecord; s: SupportStatus }[],
  date: (s: SupportStatus) => string | null,
  verbText: string | ((s: SupportStatus) => string),
) {
  const groups = new Map<string, { n: number; name: string; date: string | null; verb: string }>();
  for (const { d, s } of items) {
    const when = date(s);
    const words = typeof verbText === "string" ? verbText : verbText(s);
    const key = `${osName(d)}|${when}|${words}`;
    const g = groups.get(key) ?? { n: 0, name: osName(d), date: when, verb: words };
    g.n++;
    groups.set(key, g);
  }
  return [...groups.values()]
    .sort((a, b) => b.n - a.n || a.name.localeCompare(b.name))
    .map((g) => `${num(g.n)} ${g.name}${g.date ? ` (${g.verb} ${formatDate(g.date)})` : ""}`);
}

function upcomingEnds(t: OsTally, policy: PolicyValues, asOf: string): Upcoming[] {
  const soon = new Map<string, { n: number; name: string }>();
  const horizon = lastDayWithin(asOf, policy.eos_warning_days);
  for (const { d, s } of t.supported) {
    if (s.endOfSupport && s.endOfSupport <= horizon) {
      const key = `${s.endOfSupport}|${osName(d)}`;
      soon.set(key, { n: (soon.get(key)?.n ?? 0) + 1, name: osName(d) });
    }
  }
  for (const { d, s } of t.esu) {
    // Only the ESU years bought: a device on year 1 lapses at year 1's end, not at the last ESU year's.
    const end = s.esuUntil;
    if (end && end <= horizon) {
      const key = `${end}|${osName(d)} (ESU)`;
      soon.set(key, { n: (soon.get(key)?.n ?? 0) + 1, name: `${osName(d)} with Extended Security Updates` });
    }
  }
  return [...soon.entries()]
    .map(([key, v]) => {
      const date = key.split("|")[0];
      return {
        date,
        message: `${plural(v.n, "device")} on ${v.name} ${verb(v.n, "reaches", "reach")} end of support on ${formatDate(date)}.`,
      };
    })
    .sort((a, b) => a.date.localeCompare(b.date));
}

/** The last day a device was supported: its last paid ESU year's end, else its OS's end of support. */
const lapsedOn = (s: SupportStatus) => s.esuUntil ?? s.endOfSupport;

/** The shared wording: "7 of 23 desktops run Windows 10 22H2, unsupported since 14 October 2025." */
function describe(t: OsTally, noun: string): string {
  const total = t.devices.length;
  const one = noun.replace(/s$/, "");
  const parts: string[] = [];
  const n = t.unsupported.length;
  if (n) {
    // A device whose paid ESU years have run out is unsupported from the end of its last one
    // (a Windows 10 device with one ESU year: since 13 October 2026, not 14 October 2025).
    const groups = groupPhrases(t.unsupported, lapsedOn, (s) => (s.esuUntil ? "Extended Security Updates ended on" : "support ended on"));
    const first = t.unsupported[0];
    parts.push(
      groups.length === 1
        ? `${ofTotal(n, total, noun)} ${verb(n, "runs", "run")} ${osName(first.d)}, unsupported since ${formatDate(lapsedOn(first.s)!)}${first.s.esuUntil ? " (its Extended Security Updates ended)" : ""}.`
        : `${ofTotal(n, total, noun)} ${verb(n, "runs", "run")} an unsupported operating system: ${list(groups)}.`,
    );
  } else if (t.unknown.length === 0) {
    parts.push(
      total === 1
        ? `The one ${one} in use runs a supported operating system.`
        : `All ${num(total)} ${noun} run a supported operating system.`,
    );
  } else {
    parts.push(`${num(t.supported.length + t.esu.length)} of ${num(total)} ${noun} are known to run a supported operating system.`);
  }
  if (t.esu.length) {
    const groups = groupPhrases(t.esu, (s) => s.esuUntil, "covered until");
    parts.push(`${num(t.esu.length)} ${verb(t.esu.length, "is", "are")} covered by Extended Security Updates: ${list(groups)}.`);
  }
  if (t.unknown.length) {
    parts.push(
      `${num(t.unknown.length)} ${verb(t.unknown.length, "has", "have")} no operating system or version that matches the lifecycle table.`,
    );
  }
  return parts.join(" ");
}

/** Upgrade in place what can take Windows 11; replace the rest. */
function osRemedy(devices: DeviceRecord[]) {
  const upgradable = devices.filter((d) => win11Ready(d) === true);
  return [...deviceUnits(["os_upgrade", upgradable]), ...replacementUnits(devices.filter((d) => !upgradable.includes(d)))];
}

function osFinding(t: OsTally, e: PracticeEstate, policy: PolicyValues, asOf: string, noun: string) {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  if (t.devices.length === 0) return finding("unknown", `No ${noun} in use are recorded, so this cannot be checked.`);
  const status = statusOf({ ok: [...t.supported, ...t.esu], fail: t.unsupported, unknown: t.unknown });
  const evidence = problemRefs({ fail: t.unsupported.map((x) => x.d), unknown: t.unknown }, deviceRef);
  return finding(status, describe(t, noun), evidence, osRemedy(t.unsupported.map((x) => x.d)), upcomingEnds(t, policy, asOf));
}

/** DEV-02: computers in use run a supported OS (ESU counts as covered). */
export const dev02: Rule = (e, policy, asOf) => {
  const devices = inUse(e, END_USER_TYPES);
  return osFinding(tallyOs(devices, e, asOf), e, policy, asOf, nounFor(devices));
};

/** SEC-03: nothing in use runs an unsupported OS, servers included (computers are costed once, under DEV-02: remediation.ts). */
export const sec03: Rule = (e, policy, asOf) => {
  const devices = e.devices.filter((d) => d.status === "in_use" && (OS_TYPES.includes(d.device_type) || d.os_family !== null));
  return osFinding(tallyOs(devices, e, asOf), e, policy, asOf, nounFor(devices, "devices"));
};

/**
 * SEC-05: Cyber Essentials Plus. Two halves: no computer in use on an unsupported OS (which rules
 * the certificate out), and the certificate itself. When certificates have been imported for the
 * practice they answer the second half (rules/cyber-essentials.ts) and the finding is the whole
 * answer; when none has, the certificate is attested and attested-merge.ts combines the two.
 */
export const sec05: Rule = (e, _policy, asOf) => {
  const cert = certificateState(e.cyberEssentials ?? [], asOf);
  const certRefs = cert.kind === "none" ? [] : [certificateRef(cert.cert, cert.kind === "plus" ? "ok" : "fail")];
  const certText = cert.kind === "none" ? "" : ` ${certificateSentence(cert)}`;
  if (e.devices.length === 0 && cert.kind === "none") return finding("unknown", NO_DEVICES);
  const devices = e.devices.filter((d) => d.status === "in_use" && (OS_TYPES.includes(d.device_type) || d.os_family !== null));
  const t = tallyOs(devices, e, asOf);
  const evidence = [...certRefs, ...problemRefs({ fail: t.unsupported.map((x) => x.d), unknown: t.unknown }, deviceRef)];
  if (t.unsupported.length) {
    // The remedy is the upgrade or replacement DEV-02 and SEC-03 cost: listed here so it is costed once, under them.
    return finding(
      "not_met",
      `${plural(t.unsupported.length, "device")} in use ${verb(t.unsupported.length, "runs", "run")} an unsupported operating system, which rules out Cyber Essentials Plus until ${verb(t.unsupported.length, "it is", "they are")} upgraded or replaced.${certText}`,
      evidence,
      osRemedy(t.unsupported.map((x) => x.d)),
    );
  }
  if (cert.kind === "lapsed" || cert.kind === "basic_only") return finding("not_met", certText.trim(), evidence);
  if (t.unknown.length || devices.length === 0) {
    const os = devices.length
      ? `The operating system of ${plural(t.unknown.length, "device")} is not known, so Cyber Essentials readiness cannot be confirmed.`
      : "No devices in use are recorded.";
    return finding("unknown", `${os}${certText}`, evidence);
  }
  if (cert.kind === "plus") return finding("met", `No device in use runs an unsupported operating system.${certText}`, evidence);
  return finding(
    "met",
    `No device in use runs an unsupported operating system. The Cyber Essentials Plus certificate itself is attested separately.`,
    evidence,
  );
};

/** DEV-04: Windows 10 computers near or past end of support can run Windows 11. */
export const dev04: Rule = (e, policy, asOf) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const win10 = inUse(e, END_USER_TYPES).filter((d) => {
    if (d.os_family !== "Windows 10") return false;
    const s = supportOf(d, e, asOf);
    return s.state !== "supported" || (s.daysToEnd !== null && s.daysToEnd <= policy.eos_warning_days);
  });
  if (win10.length === 0)
    return finding("not_applicable", "No computers in use run a Windows 10 version that is out of support or close to it.");
  const t = tally(win10, (d) => win11Ready(d));
  const status = statusOf(t);
  const noun = `Windows 10 ${nounFor(win10)}`;
  const parts: string[] = [];
  if (t.fail.length)
    parts.push(
      `${ofTotal(t.fail.length, win10.length, noun)} cannot run Windows 11 (TPM, processor or memory below the minimum) and need replacing.`,
    );
  else if (t.unknown.length === 0) parts.push(`All ${num(win10.length)} ${noun} meet Windows 11's hardware requirements.`);
  if (t.unknown.length) parts.push(`For ${plural(t.unknown.length, "device")}, the TPM, processor or memory is not recorded.`);
  // The remedy is a replacement device; one DEV-02 already replaces is costed there once (remediation.ts).
  return finding(status, parts.join(" "), problemRefs(t, deviceRef), replacementUnits(t.fail));
};
