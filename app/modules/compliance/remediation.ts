import { UNIT_KINDS, type UnitKind } from "~/modules/catalogue/units";
import type { Finding, Unit } from "~/modules/catalogue/rule-types";
import { num } from "./rules/helpers";

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

/** A kind's label mid-sentence ("Desktop replacement" → "desktop replacement"), made once per kind. */
const midSentence = new Map<UnitKind, string>();
const kindMidSentence = (kind: UnitKind) => {
  let label = midSentence.get(kind);
  if (label === undefined) midSentence.set(kind, (label = `${UNIT_KINDS[kind].charAt(0).toLowerCase()}${UNIT_KINDS[kind].slice(1)}`));
  return label;
};
/** "3 × desktop replacement": the count as `toLocaleString("en-GB")` writes it (num), without Intl for 0-999. */
const unitNoun = (kind: UnitKind, n: number) => `${num(n)} × ${kindMidSentence(kind)}`;

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
 * Runs for every practice of every evaluation (about a tenth of a national run's judging, issue
 * 12), so it makes as few strings as it can: claims are kept per kind of work and then per thing
 * (the same pairs as unitKeys' `${family}|${thing}` keys, without building those strings), a
 * device's replacement is looked up by the item itself, and the items a finding gives away are
 * counted per owner before they are noted.
 */
export function costOnce(findings: ReadonlyMap<string, Finding>): Map<string, Finding> {
  const ids = [...findings.keys()];
  // Findings with keyed work, in the order they claim it (OWNER_ORDER, then the order evaluated;
  // ranks are distinct, so the order is the same whatever the sort).
  const owners: { id: string; rank: number }[] = [];
  for (let i = 0; i < ids.length; i++)
    if (keyed(findings.get(ids[i])!)) owners.push({ id: ids[i], rank: OWNER_RANK.get(ids[i]) ?? OWNER_ORDER.length + i });
  if (owners.length === 0) return new Map(findings);
  owners.sort((a, b) => a.rank - b.rank);
  const isOwner = new Set(owners.map((o) => o.id));
  /** Who claimed each thing, per family of work: claims.get(family).get(thing) is unitKeys' `${family}|${thing}`. */
  const claims = new Map<string, Map<string, string>>();
  const claimsOf = (kind: UnitKind) => {
    const f = family(kind);
    let m = claims.get(f);
    if (!m) claims.set(f, (m = new Map()));
    return m;
  };
  const claim = (m: Map<string, string>, thing: string, id: string) => {
    if (!m.has(thing)) m.set(thing, id);
  };
  // Pass 1: replacements claim their devices first, so pass 2 knows which devices are replaced.
  for (const pass of [1, 2] as const) {
    for (const { id } of owners) {
      const units = findings.get(id)!.units;
      for (const u of units) {
        if (REPLACEMENT.has(u.kind) !== (pass === 1) || u.items || !u.ref) continue;
        claim(claimsOf(u.kind), `ref:${u.ref}`, id);
      }
      for (const u of units) {
        if (REPLACEMENT.has(u.kind) !== (pass === 1) || !u.items) continue;
        const replaced = pass === 2 && MOOT_IF_REPLACED.has(u.kind) ? claims.get("replace") : undefined;
        const m = claimsOf(u.kind);
        for (const item of u.items) if (!replaced?.has(thingOf(item))) claim(m, item, id);
      }
    }
  }
  const replaced = claims.get("replace");
  const out = new Map<string, Finding>();
  for (const [id, f] of findings) {
    if (!isOwner.has(id)) {
      out.set(id, f);
      continue;
    }
    const kept: Unit[] = [];
    const elsewhere = new Map<string, Unit>();
    const note = (u: Unit, n: number, owner: string | undefined, replacedUnder: boolean) => {
      const key = `${u.kind}|${owner}|${replacedUnder}`;
      const e = elsewhere.get(key) ?? {
        kind: u.kind,
        quantity: 0,
        ...(replacedUnder ? { replacedUnder: owner } : { costedUnder: owner }),
        covered: 0,
      };
      e.covered! += n;
      elsewhere.set(key, e);
    };
    for (const u of f.units) {
      if (u.items ? u.items.length === 0 : !u.ref) {
        kept.push(plain(u));
        continue;
      }
      if (u.ref) {
        // A unit with both items and a ref is claimed by its items, and judged here by its first.
        const owner = claims.get(family(u.kind))?.get(u.items ? u.items[0] : `ref:${u.ref}`);
        if (owner === id) kept.push(plain(u));
        else note(u, u.quantity, owner, false);
        continue;
      }
      const moot = MOOT_IF_REPLACED.has(u.kind);
      const m = claims.get(family(u.kind));
      // Items given away, counted per owner in the order first met, then noted: the same notes,
      // in the same order, as noting them one by one.
      const given: { owner: string | undefined; replaced: boolean; n: number }[] = [];
      const give = (owner: string | undefined, isReplaced: boolean) => {
        for (const g of given)
          if (g.owner === owner && g.replaced === isReplaced) {
            g.n++;
            return;
          }
        given.push({ owner, replaced: isReplaced, n: 1 });
      };
      let mine = 0;
      for (const item of u.items!) {
        const replacer = moot ? replaced?.get(thingOf(item)) : undefined;
        if (replacer !== undefined) give(replacer, true);
        else {
          const owner = m?.get(item);
          if (owner === id) mine++;
          else give(owner, false);
        }
      }
      for (const g of given) note(u, g.n, g.owner, g.replaced);
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
