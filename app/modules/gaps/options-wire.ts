/** An organisation to filter the gap register by. */
export interface OrgOption {
  code: string;
  name: string;
}

/** Choices of one filter: the organisations' codes and their names, in step. */
export type PackedOrgs = [codes: string[], names: string[]];

/** The register's filter choices; null where a text box stands in for the list. */
export interface OrgChoices<T> {
  icbs: T;
  subIcbs: T;
  pcns: T | null;
  practices: T | null;
}

/**
 * The gap register's filter choices as its loader sends them: each list as two arrays (codes,
 * names) rather than an object an organisation. Remix writes loader data into the page for
 * hydration as turbo-stream inside a JavaScript string, where each object costs a reference to it
 * and one a property, some 13 bytes each, and each array in it one more: the demo ICB's register
 * lists 460 organisations (42 ICBs, 106 sub-ICB locations, its 48 PCNs and 264 practices), some
 * 11 KB of references as objects (issue 12, page weight). `unpackOrgs` gives the page, and
 * tests, the objects again.
 */
export const packOrgs = (list: readonly OrgOption[]): PackedOrgs => [list.map((o) => o.code), list.map((o) => o.name)];

// A loop, not codes.map with a closure made per call (docs/performance.md, session 17, load scaling).
export function unpackOrgs([codes, names]: PackedOrgs): OrgOption[] {
  const out: OrgOption[] = [];
  for (let i = 0; i < codes.length; i++) out.push({ code: codes[i], name: names[i] });
  return out;
}

const orNull = <A, B>(list: A | null, f: (a: A) => B): B | null => (list === null ? null : f(list));

export const packOrgChoices = (o: OrgChoices<OrgOption[]>): OrgChoices<PackedOrgs> => ({
  icbs: packOrgs(o.icbs),
  subIcbs: packOrgs(o.subIcbs),
  pcns: orNull(o.pcns, packOrgs),
  practices: orNull(o.practices, packOrgs),
});

export const unpackOrgChoices = (o: OrgChoices<PackedOrgs>): OrgChoices<OrgOption[]> => ({
  icbs: unpackOrgs(o.icbs),
  subIcbs: unpackOrgs(o.subIcbs),
  pcns: orNull(o.pcns, unpackOrgs),
  practices: orNull(o.practices, unpackOrgs),
});
