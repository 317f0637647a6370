import { ageInYears } from "~/modules/os-lifecycle/support";
import { maxAgeFor } from "~/modules/catalogue/policy";
import type { UnitKind } from "~/modules/catalogue/units";
import {
  END_USER_TYPES,
  NO_DEVICES,
  OS_TYPES,
  addDays,
  addYears,
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
  type Check,
} from "./helpers";
import type { DeviceRecord, Rule, Upcoming } from "~/modules/catalogue/rule-types";

/**
 * A yes/no fact checked on every device of some types in use. `fails` completes "n of m
 * computers …" for the failing ones; `missing` names the fact when it is not recorded.
 */
function perDevice(opts: {
  types: readonly string[];
  test: (d: DeviceRecord) => Check;
  passAll: string;
  /** Completes the sentence for n failing devices, e.g. n => `in use ${verb(n, "is", "are")} not encrypted`. */
  fails: (n: number) => string;
  missing: string;
  unit?: UnitKind;
}): Rule {
  return (e) => {
    if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
    const devices = inUse(e, opts.types);
    const noun = nounFor(devices);
    if (devices.length === 0) return finding("unknown", `No ${noun} in use are recorded, so this cannot be checked.`);
    const t = tally(devices, opts.test);
    const parts: string[] = [];
    if (t.fail.length) parts.push(`${ofTotal(t.fail.length, devices.length, noun)} ${opts.fails(t.fail.length)}.`);
    else if (!t.unknown.length) parts.push(`All ${num(devices.length)} ${noun} ${opts.passAll}.`);
    if (t.unknown.length)
      parts.push(
        `${ofTotal(t.unknown.length, devices.length, noun)} ${verb(t.unknown.length, "has", "have")} no record of ${opts.missing}.`,
      );
    return finding(statusOf(t), parts.join(" "), problemRefs(t, deviceRef), opts.unit ? deviceUnits([opts.unit, t.fail]) : []);
  };
}

/** DEV-08: computers are centrally managed. */
export const dev08 = perDevice({
  types: OS_TYPES,
  test: (d) => d.managed,
  unit: "device_management_enrolment",
  passAll: "in use are centrally managed",
  fails: (n) => `in use ${verb(n, "is", "are")} not centrally managed`,
  missing: "whether they are managed",
});

/** DEV-10: anti-malware is current. */
export const dev10 = perDevice({
  types: OS_TYPES,
  test: (d) => d.antivirus_up_to_date,
  unit: "antivirus_fix",
  passAll: "in use have up-to-date anti-virus",
  fails: (n) => `in use ${verb(n, "does", "do")} not have up-to-date anti-virus`,
  missing: "anti-virus status",
});

/** SEC-11: computers are encrypted. */
export const sec11 = perDevice({
  types: END_USER_TYPES,
  test: (d) => d.encrypted,
  unit: "device_encryption",
  passAll: "in use are encrypted",
  fails: (n) => `in use ${verb(n, "is", "are")} not encrypted`,
  missing: "encryption",
});

/** Microsoft's monthly security release ("Patch Tuesday"): the second Tuesday of a month. */
export function patchTuesday(year: number, month: number): string {
  const firstDay = new Date(Date.UTC(year, month - 1, 1)).getUTCDay();
  const day = 1 + ((2 - firstDay + 7) % 7) + 7;
  return `${year}-${String(month).padStart(2, "0")}-${String(day).padStart(2, "0")}`;
}

/**
 * The newest monthly security release that must be installed by `asOf`: Cyber Essentials asks
 * for high and critical updates within 14 days (the policy's patch window) of their release, so
 * a release is due once its window has passed.
 */
export function dueRelease(asOf: string, windowDays: number): string {
  let y = Number(asOf.slice(0, 4));
  let m = Number(asOf.slice(5, 7));
  for (;;) {
    const t = patchTuesday(y, m);
    if (addDays(t, windowDays) < asOf) return t;
    m -= 1;
    if (m === 0) [y, m] = [y - 1, 12];
  }
}

/**
 * DEV-09: the security updates due by the as-of date are installed (Cyber Essentials: within 14
 * days of a patch's release, not "patched in the last 14 days"). Where the register records the
 * release date of the newest update installed (`patch_released`), the device passes when that is
 * on or after the due release. Otherwise it is judged on the date it was last patched: patched
 * before the due release came out, it cannot have it (fails); patched since, it is taken to have
 * it, and the reason says so.
 */
export const dev09: Rule = (e, policy, asOf) => {
  const due = dueRelease(asOf, policy.patch_window_days);
  const window = plural(policy.patch_window_days, "day");
  let byApplied = 0;
  const finding_ = perDevice({
    types: OS_TYPES,
    test: (d) => {
      if (d.patch_released !== null) return d.patch_released >= due;
      if (d.last_patched === null) return null;
      byApplied++;
      return d.last_patched >= due;
    },
    unit: "device_patching",
    passAll: `in use have the security updates released on ${formatDate(due)} or earlier, which were due within ${window} of release`,
    fails: (n) =>
      `in use ${verb(n, "is", "are")} missing the security updates released on ${formatDate(due)}, due within ${window} of release`,
    missing: "when they were patched",
  })(e, policy, asOf);
  if (byApplied === 0 || (finding_.status === "unknown" && finding_.reason.startsWith("No "))) return finding_;
  const basis = ` For ${plural(byApplied, "device")} the register has no release date for the newest update installed, so ${verb(byApplied, "it is", "they are")} judged on the date last patched.`;
  return { ...finding_, reason: finding_.reason + basis };
};

/** DEV-01: the computers in use are provided by the ICB. */
export const dev01 = perDevice({
  types: END_USER_TYPES,
  test: (d) => (d.funded_by === null ? null : d.funded_by === "icb"),
  passAll: "in use are provided by the ICB",
  fails: (n) => `in use ${verb(n, "was", "were")} bought by the practice rather than provided by the ICB`,
  missing: "who funded them",
});

/** DEV-03: ICB-funded kit has the purchase dates a refresh plan needs. */
export const dev03: Rule = (e) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const icb = e.devices.filter((d) => d.funded_by === "icb");
  const unowned = e.devices.filter((d) => d.funded_by === null);
  if (icb.length === 0 && unowned.length === 0) return finding("not_applicable", "No ICB-funded devices are recorded for this practice.");
  const t = tally(icb, (d) => d.purchase_date !== null);
  const parts: string[] = [];
  if (t.fail.length)
    parts.push(
      `${ofTotal(t.fail.length, icb.length, "ICB-funded devices")} ${verb(t.fail.length, "has", "have")} no purchase date, so ${verb(t.fail.length, "it cannot", "they cannot")} be planned for refresh.`,
    );
  else if (icb.length) parts.push(`All ${plural(icb.length, "ICB-funded device")} have a purchase date for refresh planning.`);
  if (unowned.length)
    parts.push(
      `${plural(unowned.length, "device")} ${verb(unowned.length, "has", "have")} no funder recorded, so ${verb(unowned.length, "it is", "they are")} not known to be in the ICB's plan.`,
    );
  parts.push("The refresh plan itself is attested.");
  const status = statusOf({ ok: t.ok, fail: t.fail, unknown: unowned });
  return finding(
    status,
    parts.join(" "),
    problemRefs({ fail: t.fail, unknown: unowned }, deviceRef),
    deviceUnits(["asset_record_update", t.fail]),
  );
};

/** DEV-06: every device in the register has an asset tag, serial number, site and owner. */
export const dev06: Rule = (e) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const gaps = { "an asset tag": 0, "a serial number": 0, "a site": 0, "an owner": 0 };
  const missing = (d: DeviceRecord) => {
    const m: (keyof typeof gaps)[] = [];
    if (!d.asset_tag) m.push("an asset tag");
    if (!d.serial_number) m.push("a serial number");
    if (!d.site_code) m.push("a site");
    if (!d.funded_by) m.push("an owner");
    for (const k of m) gaps[k]++;
    return m.length === 0;
  };
  const t = tally(e.devices, missing);
  const reason = t.fail.length
    ? `${ofTotal(t.fail.length, e.devices.length, "devices")} in the register ${verb(t.fail.length, "is", "are")} incomplete: ${list(
        Object.entries(gaps)
          .filter(([, n]) => n > 0)
          .map(([what, n]) => `${num(n)} without ${what}`),
      )}.`
    : `All ${plural(e.devices.length, "device")} in the register have an asset tag, serial number, site and owner.`;
  return finding(statusOf(t), reason, problemRefs(t, deviceRef), deviceUnits(["asset_record_update", t.fail]));
};

const maxAgeDate = (d: DeviceRecord, max: number) => (d.purchase_date ? addYears(d.purchase_date, max) : null);

/** DEV-05: devices in use are younger than the local maximum age for their type. */
export const dev05: Rule = (e, policy, asOf) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const devices = inUse(e).filter((d) => maxAgeFor(d.device_type, policy) !== null);
  if (devices.length === 0) return finding("not_applicable", "No devices in use have a maximum age in local policy.");
  const t = tally(devices, (d) => {
    const age = ageInYears(d.purchase_date, asOf);
    return age === null ? null : age < maxAgeFor(d.device_type, policy)!;
  });
  const limits = [...new Set(t.fail.map((d) => d.device_type))].map(
    (type) => `${nounFor(t.fail.filter((d) => d.device_type === type))} ${plural(maxAgeFor(type, policy)!, "year")}`,
  );
  const parts: string[] = [];
  if (t.fail.length)
    parts.push(
      `${ofTotal(t.fail.length, devices.length, "devices")} in use ${verb(t.fail.length, "has", "have")} reached the maximum age for ${verb(t.fail.length, "its", "their")} type (${list(limits)}).`,
    );
  else if (!t.unknown.length) parts.push(`All ${plural(devices.length, "device")} in use are within the maximum age for their type.`);
  if (t.unknown.length) parts.push(`${num(t.unknown.length)} ${verb(t.unknown.length, "has", "have")} no purchase date.`);
  const upcoming: Upcoming[] = [];
  const soon = new Map<string, number>();
  const horizon = lastDayWithin(asOf, policy.eos_warning_days);
  for (const d of t.ok) {
    const due = maxAgeDate(d, maxAgeFor(d.device_type, policy)!);
    if (due && due <= horizon) soon.set(due, (soon.get(due) ?? 0) + 1);
  }
  for (const [date, n] of [...soon.entries()].sort())
    upcoming.push({ date, message: `${plural(n, "device")} ${verb(n, "reaches", "reach")} the maximum age on ${formatDate(date)}.` });
  // A machine another requirement already replaces (OS, network age) is costed there once: see remediation.ts.
  return finding(statusOf(t), parts.join(" "), problemRefs(t, deviceRef), replacementUnits(t.fail), upcoming.slice(0, 10));
};

/** DEV-15: computers and servers in use are under warranty. */
export const dev15: Rule = (e, policy, asOf) => {
  if (e.devices.length === 0) return finding("unknown", NO_DEVICES);
  const devices = inUse(e, OS_TYPES);
  if (devices.length === 0) return finding("unknown", "No computers or servers in use are recorded, so this cannot be checked.");
  const t = tally(devices, (d) => (d.warranty_end === null ? null : d.warranty_end >= asOf));
  const noun = nounFor(devices);
  const parts: string[] = [];
  if (t.fail.length) {
    const latest = t.fail
      .map((d) => d.warranty_end!)
      .sort()
      .at(-1)!;
    parts.push(
      `${ofTotal(t.fail.length, devices.length, noun)} in use ${verb(t.fail.length, "is", "are")} out of warranty (the most recent ended on ${formatDate(latest)}).`,
    );
  } else if (!t.unknown.length) parts.push(`All ${num(devices.length)} ${noun} in use are under warranty.`);
  if (t.unknown.length) parts.push(`${num(t.unknown.length)} ${verb(t.unknown.length, "has", "have")} no warranty end date.`);
  const soon = new Map<string, number>();
  const horizon = lastDayWithin(asOf, policy.warranty_warning_days);
  for (const d of t.ok) if (d.warranty_end! <= horizon) soon.set(d.warranty_end!, (soon.get(d.warranty_end!) ?? 0) + 1);
  const upcoming = [...soon.entries()]
    .sort()
    .slice(0, 10)
    .map(([date, n]) => ({ date, message: `${plural(n, "warranty", "warranties")} ${verb(n, "ends", "end")} on ${formatDate(date)}.` }));
  return finding(statusOf(t), parts.join(" "), problemRefs(t, deviceRef), deviceUnits(["warranty_extension", t.fail]), upcoming);
};
