/** Lloyd George record counts (the paper register and the PAP rules both read them). */

export interface LloydGeorgeFacts {
  envelopes_on_site: number | null;
  envelopes_elsewhere: number | null;
  digitised: number | null;
  destroyed: number | null;
}

/** Records in all, not yet digitised, and scanned but not destroyed; null where a count is missing. */
export function lloydGeorgeCounts(lg: LloydGeorgeFacts | null) {
  if (!lg) return { total: null, notDigitised: null, awaitingDestruction: null, held: null };
  const held = lg.envelopes_on_site === null || lg.envelopes_elsewhere === null ? null : lg.envelopes_on_site + lg.envelopes_elsewhere;
  const total = held === null || lg.destroyed === null ? null : held + lg.destroyed;
  const notDigitised = total === null || lg.digitised === null ? null : Math.max(0, total - lg.digitised);
  const awaitingDestruction = lg.digitised === null || lg.destroyed === null ? null : Math.max(0, lg.digitised - lg.destroyed);
  return { total, notDigitised, awaitingDestruction, held };
}
