import type { OdsRows } from "../repository.server";

/** Where a practice's clinical system came from, as stored in practice.clinical_system_source. */
export const CLINICAL_SOURCE = {
  gp2gp: "GP2GP 2019",
  gpad: "GPAD mapping",
  gpItThirdParty: "NHS Digital GP IT suppliers (third-party copy)",
  gpIt: "NHS Digital GP IT suppliers",
} as const;

/**
 * Several files name a practice's system and they disagree at the margins (a practice mid-way
 * between EMIS and TPP, an EVERGREENLIFE add-on). Each source has a rank; a file overwrites a
 * value from its own or a lower rank and never one from a higher rank, so importing the same set
 * of files in any order, any number of times, ends in the same state. Ranks follow recency and
 * provenance: GP2GP 2019 is oldest (and only ever fills gaps); GPAD Aug 2025 next; the NHS
 * Digital list (Oct 2025, itself taken from GPAD) is the newest official publication. The copy
 * with a sub-ICB column added by a third party ranks below the official list it was derived from.
 * A value from any other source, or with no source (e.g. a user's edit), is never overwritten.
 */
const RANK: Record<string, number> = {
  [CLINICAL_SOURCE.gp2gp]: 1,
  [CLINICAL_SOURCE.gpad]: 2,
  [CLINICAL_SOURCE.gpItThirdParty]: 3,
  [CLINICAL_SOURCE.gpIt]: 4,
};

const rankOf = (source: string | null) => (source !== null && RANK[source]) || Number.POSITIVE_INFINITY;

/** The principal system: "EMIS/EVERGREENLIFE" -> "EMIS", "TPP/EMIS" -> "TPP". */
export function normaliseSystem(raw: string | null): string | null {
  const first = raw?.split("/")[0].trim().toUpperCase();
  return first ? first : null;
}

export interface SystemFact {
  system: string | null;
  detail: string | null;
  source: string;
}

export function mergeClinicalSystem(prev: OdsRows["practice"], next: SystemFact): OdsRows["practice"] {
  if (next.system === null) return prev;
  if (prev.clinical_system !== null) {
    const fillOnly = next.source === CLINICAL_SOURCE.gp2gp;
    if (fillOnly || rankOf(next.source) < rankOf(prev.clinical_system_source)) return prev;
  }
  return {
    ...prev,
    clinical_system: next.system,
    clinical_system_detail: next.detail,
    clinical_system_source: next.source,
  };
}
