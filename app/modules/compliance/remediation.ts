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
 */
export function costOnce(findings: ReadonlyMap<string, Finding>): Map<string, Finding> {
  const out = new Map(findings);
  costOnceInPlace(out);
  return out;
}

type Claims = Map<string, Map<string, string>>;

/**
 * `costOnce` on a map of one's own (evaluateEstate's, fresh from the rules): each finding with
 * keyed work is replaced by its costed finding in its place, so the keys and their order are
 * costOnce's, and no second map of every finding is made.
 *
 * Runs for every practice of every evaluation (about a tenth of a national run's judging, issue
 * 12), so it makes as few strings and objects as it can: claims are kept per kind of work and
 * then per thing (the same pairs as unitKeys' `${family}|${thing}` keys, without building those
 * strings), a device's replacement is looked up by the item itself, and only the findings that
 * own keyed work are visited again.
 */
export function costOnceInPlace(findings: Map<string, Finding>): void {
  // Findings with keyed work, in the order they claim it (OWNER_ORDER, then the order evaluated;
  // ranks are distinct, so the order is the same whatever the sort).
  const owners: { id: string; rank: number }[] = [];
  let i = 0;
  for (const [id, f] of findings) {
    if (keyed(f)) owners.push({ id, rank: OWNER_RANK.get(id) ?? OWNER_ORDER.length + i });
    i++;
  }
  if (owners.length === 0) return;
  owners.sort((a, b) => a.rank - b.rank);
  /**
   * Who claimed each thing, per family of work: claims.get(family).get(item) is unitKeys'
   * `${family}|${item}`, and refClaims.get(family).get(ref) its `${family}|ref:${ref}` (kept
   * apart, so no "ref:" key is made per unit: items are never "ref:…").
   */
  const claims: Claims = new Map();
  const refClaims: Claims = new Map();
  const claimsOf = (byFamily: Claims, kind: UnitKind) => {
    const f = family(kind);
    let m = byFamily.get(f);
    if (!m) byFamily.set(f, (m = new Map()));
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
        claim(claimsOf(refClaims, u.kind), u.ref, id);
      }
      for (const u of units) {
        if (REPLACEMENT.has(u.kind) !== (pass === 1) || !u.items) continue;
        const replaced = pass === 2 && MOOT_IF_REPLACED.has(u.kind) ? claims.get("replace") : undefined;
        const m = claimsOf(claims, u.kind);
        for (const item of u.items) if (!replaced?.has(thingOf(item))) claim(m, item, id);
      }
    }
  }
  for (const { id } of owners) findings.set(id, costed(findings.get(id)!, id, claims, refClaims));
}

/** Whether a note of work elsewhere is the one for this owner (the owner may be undefined: work no finding claimed). */
const isNoteOf = (m: Unit, owner: string | undefined, replacedUnder: boolean) =>
  replacedUnder ? "replacedUnder" in m && m.replacedUnder === owner : "costedUnder" in m && m.costedUnder === owner;

/** One owner's finding with its units costed: the units it owns kept, the rest noted as costed (or replaced) elsewhere. */
function costed(f: Finding, id: string, claims: Claims, refClaims: Claims): Finding {
  const replaced = claims.get("replace");
  const kept: Unit[] = [];
  // Work costed elsewhere, one line per kind, owner and whether it is a replacement, in the order first met.
  const moved: Unit[] = [];
  const note = (u: Unit, n: number, owner: string | undefined, replacedUnder: boolean) => {
    for (const m of moved)
      if (m.kind === u.kind && isNoteOf(m, owner, replacedUnder)) {
        m.covered! += n;
        return;
      }
    moved.push({ kind: u.kind, quantity: 0, ...(replacedUnder ? { replacedUnder: owner } : { costedUnder: owner }), covered: n });
  };
  for (const u of f.units) {
    if (u.items ? u.items.length === 0 : !u.ref) {
      kept.push(plain(u));
      continue;
    }
    if (u.ref) {
      // A unit with both items and a ref is claimed by its items, and judged here by its first.
      const owner = u.items ? claims.get(family(u.kind))?.get(u.items[0]) : refClaims.get(family(u.kind))?.get(u.ref);
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
  if (moved.length === 0) return { ...f, units: mergeKept(kept) };
  const sentences = moved.map((m) =>
    m.replacedUnder
      ? `${unitNoun(m.kind, m.covered!)} not needed: the device${m.covered === 1 ? " is" : "s are"} replaced under ${m.replacedUnder}.`
      : `${unitNoun(m.kind, m.covered!)} costed under ${m.costedUnder}.`,
  );
  return { ...f, reason: `${f.reason} ${sentences.join(" ")}`, units: [...mergeKept(kept), ...moved] };
}

/**
 * Units of the same kind kept from several lines are one line, in the order first met. The
 * units are costed's own new objects, so the first of a kind takes the others' quantities.
 */
function mergeKept(units: Unit[]): Unit[] {
  const merged: Unit[] = [];
  for (const u of units) {
    const first = merged.find((m) => m.kind === u.kind);
    if (first) first.quantity += u.quantity;
    else merged.push(u);
  }
  return merged;
}

/** Item keys for devices: `device:<id>`. */
export const deviceItems = (devices: readonly { id: number }[]) => devices.map((d) => `device:${d.id}`);
