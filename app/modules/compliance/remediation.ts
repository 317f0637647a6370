import { UNIT_KINDS, type UnitKind } from "~/modules/catalogue/units";
import type { Finding, Unit } from "~/modules/catalogue/rule-types";

/**
 * One remediation unit (one device replaced, one firewall, Smartcard Connect on one computer, the
 * practice's move to cloud telephony) is costed once per practice, however many requirements it
 * fails. Rules say which things each unit is for (`items` or `ref`); this pass, run by the engine
 * over all of a practice's findings, gives each thing to the first requirement that needs it (in
 * OWNER_ORDER, then the order evaluated) and leaves the others a £0 "costed under …" unit.
 *
 * A replaced device also needs no OS upgrade, warranty extension or ESU licence: those units of
 * a device some requirement replaces say "replaced under …" instead.
 */

/** Requirements that own a kind of work, ahead of the others that fail on the same thing. */
export const OWNER_ORDER = [
  "DEV-02", // OS upgrade or replacement of computers on an unsupported OS
  "DEV-04", // replacement of Windows 10 computers that cannot take Windows 11
  "INF-03", // network switches and firewalls over the network age limit
  "DEV-05", // other devices over the age limit
  "SEC-03", // servers on an unsupported OS
  "DEV-08", // device management enrolment
  "DEV-12", // remote capacity (laptops, remote desktop)
  "DEV-11", // Smartcard Connect and readers
  "TEL-02", // the move to cloud telephony
  "INF-01", // HSCN
  "INF-04", // Wi-Fi
  "PAP-01", // Lloyd George digitisation
];

const REPLACEMENT = new Set<UnitKind>(["desktop_replacement", "laptop_replacement", "device_replacement", "network_device_replacement"]);
/** Work a device no longer needs once it is replaced. */
const MOOT_IF_REPLACED = new Set<UnitKind>(["os_upgrade", "warranty_extension", "esu_licence"]);

const family = (kind: UnitKind) => (REPLACEMENT.has(kind) ? "replace" : kind);

/**
 * The things a unit is for, as costOnce claims them ("replace|device:42", "laptop_purchase|ref:practice:remote-capacity"),
 * and whether the work is moot for a device that is replaced: the forecast claims with the same keys.
 */
export const unitKeys = (u: Unit) =>
  u.items ? u.items.map((i) => `${family(u.kind)}|${i}`) : u.ref ? [`${family(u.kind)}|ref:${u.ref}`] : [];
export const isReplacement = (kind: UnitKind) => REPLACEMENT.has(kind);
export const mootIfReplaced = (kind: UnitKind) => MOOT_IF_REPLACED.has(kind);

/** A requirement's place among owners of work (OWNER_ORDER first, then `evaluated`'s order). */
export const ownerRank = (id: string, evaluated: string[]) => rank(id, evaluated);

const rank = (id: string, evaluated: string[]) => {
  const i = OWNER_ORDER.indexOf(id);
  return i >= 0 ? i : OWNER_ORDER.length + evaluated.indexOf(id);
};
const OWNER_RANK: ReadonlyMap<string, number> = new Map(OWNER_ORDER.map((id, i) => [id, i]));

/** The unit as stored: no item keys. */
const plain = (u: Unit): Unit => {
  const { items: _items, ref: _ref, ...rest } = u;
  return rest;
};

const unitNoun = (kind: UnitKind, n: number) =>
  `${n.toLocaleString("en-GB")} × ${UNIT_KINDS[kind].charAt(0).toLowerCase()}${UNIT_KINDS[kind].slice(1)}`;

const keyed = (f: Finding) => f.units.some((u) => u.items || u.ref);
/** The thing a claim key is for: `key.split("|")[1]` of `${family}|${item}`, without splitting. */
const thingOf = (item: string) => {
  const bar = item.indexOf("|");
  return bar < 0 ? item : item.slice(0, bar);
};

/**
 * Costs each remediation unit once across one practice's findings. Returns new findings whose
 * units carry no item keys; a finding that gave work away says where it is costed.
 *
 * Runs for every practice of every evaluation (a fifth of a national run's judging before it was
 * made lean): findings with no keyed units are passed through untouched, and each unit's keys
 * are made once.
 */
export function costOnce(findings: ReadonlyMap<string, Finding>): Map<string, Finding> {
  const ids = [...findings.keys()];
  const owners = ids.filter((id) => keyed(findings.get(id)!));
  if (owners.length === 0) return new Map(findings);
  const rankOf = new Map(ids.map((id, i) => [id, OWNER_RANK.get(id) ?? OWNER_ORDER.length + i]));
  const order = owners.sort((a, b) => rankOf.get(a)! - rankOf.get(b)!);
  const keysByUnit = new Map<Unit, string[]>();
  const keysOf = (u: Unit) => {
    let keys = keysByUnit.get(u);
    if (!keys) keysByUnit.set(u, (keys = unitKeys(u)));
    return keys;
  };
  const claims = new Map<string, string>();
  const claim = (key: string, id: string) => {
    if (!claims.has(key)) claims.set(key, id);
  };
  // Pass 1: replacements claim their devices first, so pass 2 knows which devices are replaced.
  for (const pass of [1, 2] as const) {
    for (const id of order) {
      const units = findings.get(id)!.units;
      for (const u of units) {
        if (REPLACEMENT.has(u.kind) !== (pass === 1) || u.items || !u.ref) continue;
        claim(keysOf(u)[0], id);
      }
      for (const u of units) {
        if (REPLACEMENT.has(u.kind) !== (pass === 1) || !u.items) continue;
        const moot = pass === 2 && MOOT_IF_REPLACED.has(u.kind);
        const keys = keysOf(u);
        for (let k = 0; k < keys.length; k++) if (!(moot && claims.has(`replace|${thingOf(u.items[k])}`))) claim(keys[k], id);
      }
    }
  }
  const out = new Map<string, Finding>();
  for (const [id, f] of findings) {
    if (!keyed(f)) {
      out.set(id, f);
      continue;
    }
    const kept: Unit[] = [];
    const elsewhere = new Map<string, Unit>();
    const note = (u: Unit, n: number, owner: string, replaced: boolean) => {
      const key = `${u.kind}|${owner}|${replaced}`;
      const e = elsewhere.get(key) ?? {
        kind: u.kind,
        quantity: 0,
        ...(replaced ? { replacedUnder: owner } : { costedUnder: owner }),
        covered: 0,
      };
      e.covered! += n;
      elsewhere.set(key, e);
    };
    for (const u of f.units) {
      const keys = keysOf(u);
      if (keys.length === 0) {
        kept.push(plain(u));
        continue;
      }
      if (u.ref) {
        const owner = claims.get(keys[0])!;
        if (owner === id) kept.push(plain(u));
        else note(u, u.quantity, owner, false);
        continue;
      }
      const moot = MOOT_IF_REPLACED.has(u.kind);
      let mine = 0;
      for (let k = 0; k < keys.length; k++) {
        const replacer = moot ? claims.get(`replace|${thingOf(u.items![k])}`) : undefined;
        if (replacer !== undefined) note(u, 1, replacer, true);
        else {
          const owner = claims.get(keys[k])!;
          if (owner === id) mine++;
          else note(u, 1, owner, false);
        }
      }
      if (mine > 0) kept.push({ ...plain(u), quantity: mine });
    }
    const moved = [...elsewhere.values()];
    const sentences = moved.map((m) =>
      m.replacedUnder
        ? `${unitNoun(m.kind, m.covered!)} not needed: the device${m.covered === 1 ? " is" : "s are"} replaced under ${m.replacedUnder}.`
        : `${unitNoun(m.kind, m.covered!)} costed under ${m.costedUnder}.`,
    );
    const reason = sentences.length ? `${f.reason} ${sentences.join(" ")}` : f.reason;
    out.set(id, { ...f, reason, units: [...mergeKept(kept), ...moved] });
  }
  return out;
}

/** Units of the same kind kept from several lines are one line. */
function mergeKept(units: Unit[]): Unit[] {
  const by = new Map<UnitKind, Unit>();
  for (const u of units) {
    const e = by.get(u.kind);
    if (e) e.quantity += u.quantity;
    else by.set(u.kind, { ...u });
  }
  return [...by.values()];
}

/** Item keys for devices: `device:<id>`. */
export const deviceItems = (devices: readonly { id: number }[]) => devices.map((d) => `device:${d.id}`);
