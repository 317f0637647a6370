import { LEVEL_LABELS } from "~/modules/catalogue/cyber-essentials";
import { formatDate } from "./helpers";
import type { CyberEssentialsRecord, EvidenceRef } from "~/modules/catalogue/rule-types";

/**
 * The certificate half of SEC-05 (Cyber Essentials Plus), from the certificates imported for a
 * practice (app/modules/cyber-essentials). A certificate is in force from its issue date to its
 * expiry date, both included; it is valid for 12 months from issue (IASME; reference:
 * ../shared/reference/feeds.md section 3).
 *
 * - No certificate imported: the data says nothing, and the practice's verified
 *   self-assessment answer covers the certificate, as before the import existed
 *   (attested-merge.ts).
 * - A Cyber Essentials Plus certificate in force: the certificate half holds.
 * - Otherwise (only Cyber Essentials, or an expired Plus): it does not, and the reason names
 *   the certificate and its date.
 */
export type CertificateState =
  { kind: "none" } | { kind: "plus"; cert: CyberEssentialsRecord } | { kind: "lapsed" | "basic_only"; cert: CyberEssentialsRecord };

const latest = (a: CyberEssentialsRecord, b: CyberEssentialsRecord) =>
  b.expires_on > a.expires_on || (b.expires_on === a.expires_on && b.id > a.id) ? b : a;

export function certificateState(records: readonly CyberEssentialsRecord[], asOf: string): CertificateState {
  const known = records.filter((r) => r.issued_on <= asOf);
  if (known.length === 0) return { kind: "none" };
  const inForce = (r: CyberEssentialsRecord) => r.expires_on >= asOf;
  const plus = known.filter((r) => r.level === "ce_plus" && inForce(r));
  if (plus.length) return { kind: "plus", cert: plus.reduce(latest) };
  const basic = known.filter((r) => r.level === "ce" && inForce(r));
  if (basic.length) return { kind: "basic_only", cert: basic.reduce(latest) };
  return { kind: "lapsed", cert: known.reduce(latest) };
}

export const certificateLabel = (c: CyberEssentialsRecord) =>
  `${LEVEL_LABELS[c.level]} certificate ${c.certificate_number}${c.certification_body ? ` (${c.certification_body})` : ""}`;

export const certificateRef = (c: CyberEssentialsRecord, outcome: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "cyber_essentials",
  id: String(c.id),
  label: `${certificateLabel(c)}, issued ${formatDate(c.issued_on)}, valid until ${formatDate(c.expires_on)}`,
  outcome,
});

/** The sentence for a certificate state, other than "none". */
export function certificateSentence(s: Exclude<CertificateState, { kind: "none" }>): string {
  const c = s.cert;
  switch (s.kind) {
    case "plus":
      return `The practice holds ${certificateLabel(c)}, valid until ${formatDate(c.expires_on)}.`;
    case "basic_only":
      return `The practice holds ${certificateLabel(c)}, valid until ${formatDate(c.expires_on)}, but no Cyber Essentials Plus certificate in force.`;
    case "lapsed":
      return `The practice's latest certificate, ${certificateLabel(c)}, expired on ${formatDate(c.expires_on)}.`;
  }
}
