import { serviceLabel, type ServiceKey } from "~/modules/catalogue/digital-services";
import { finding, formatDate, list, sharedUnit, statusOf, tally, units } from "./helpers";
import { smartcardConnectUnits } from "./remote";
import type { DigitalServiceRecord, EvidenceRef, PracticeEstate, Rule, Unit } from "~/modules/catalogue/rule-types";

/**
 * Functions the practice switches on in systems it already has, with no purchase: the NHS App
 * functions and GP Connect are configured in the clinical system, the national services (EPS,
 * e-RS, GP2GP, SCR, NHSmail, online registration) are free to practices, and the You and Your
 * General Practice link is a line on the website. Their gaps are £0 ("no cost: configuration"),
 * not the £2,000 set-up of a service that must be bought.
 */
export const CONFIGURATION_SERVICES: ReadonlySet<string> = new Set<ServiceKey>([
  "nhs_app_appointments",
  "nhs_app_repeat_prescriptions",
  "nhs_app_messaging",
  "nhs_app_record_view",
  "prospective_record_access",
  "gp_connect_access_record",
  "gp_connect_update_record",
  "eps",
  "ers",
  "gp2gp",
  "scr",
  "nhsmail",
  "online_registration",
  "practice_website_yygp",
]);

/**
 * The work a service not in use needs. One per service and practice (`service:<key>`), so a
 * service two requirements name (NHSmail: CLN-12 and SEC-07) is costed once; Smartcard Connect
 * is installed per computer.
 */
function serviceRemedy(e: PracticeEstate, key: string): Unit[] {
  if (key === "cis2_smartcard_connect") return smartcardConnectUnits(e, true);
  return sharedUnit(CONFIGURATION_SERVICES.has(key) ? "service_configuration" : "digital_service_setup", 1, `service:${key}`);
}

interface ServiceCheck {
  key: ServiceKey;
  /** The service is only expected from this date (YYYY-MM-DD). */
  from?: string;
}

const serviceRef = (key: string, row: DigitalServiceRecord | undefined, outcome: EvidenceRef["outcome"]): EvidenceRef => ({
  type: "digital_service",
  id: row ? String(row.id) : key,
  label: serviceLabel(key),
  outcome,
});

/**
 * A practice's services by key (a later row for the same key wins). Eleven rules ask: made once
 * per estate, as `inUse` does for devices (rules never change what they are given).
 */
function servicesByKey(e: PracticeEstate): Map<string, DigitalServiceRecord> {
  let cached = servicesCache.get(e);
  if (!cached || cached.services !== e.services)
    servicesCache.set(e, (cached = { services: e.services, byKey: new Map(e.services.map((s) => [s.service_key, s])) }));
  return cached.byKey;
}
const servicesCache = new WeakMap<PracticeEstate, { services: DigitalServiceRecord[]; byKey: Map<string, DigitalServiceRecord> }>();

/** A rule's checks on one date: those due, and a sentence for each not yet expected. */
interface DueChecks {
  asOf: string;
  due: ServiceCheck[];
  laterSentences: string[];
  /** The not-applicable reason when nothing is due yet. */
  notYet: string | null;
}

function dueOn(checks: ServiceCheck[], asOf: string): DueChecks {
  const due = checks.filter((c) => !c.from || c.from <= asOf);
  const later = checks.filter((c) => c.from && c.from > asOf);
  return {
    asOf,
    due,
    laterSentences: later.map((c) => `${serviceLabel(c.key)} is expected from ${formatDate(c.from!)}.`),
    notYet: due.length === 0 ? `Not expected until ${formatDate(later[0].from!)}.` : null,
  };
}

/** "In use: NHS App appointments and NHS App messaging." for the checks of one outcome. */
const namesSentence = (lead: string, cs: ServiceCheck[]) =>
  `${lead}: ${cs.length === 1 ? serviceLabel(cs[0].key) : list(cs.map((c) => serviceLabel(c.key)))}.`;

/**
 * Services recorded in the digital services register: in use passes, not in use fails, and a
 * service marked not known, or with no row at all, is not known.
 *
 * Eleven rules, each run for every practice of a national evaluation: which checks are due
 * depends on the date alone, so it is worked out once per date (a run judges one), not per call.
 */
export function services(checks: ServiceCheck[]): Rule {
  let onDate: DueChecks | undefined;
  return (e: PracticeEstate, _policy, asOf) => {
    if (onDate?.asOf !== asOf) onDate = dueOn(checks, asOf);
    const { due, laterSentences, notYet } = onDate;
    if (notYet !== null) return finding("not_applicable", notYet);
    const rows = servicesByKey(e);
    const t = tally(due, (c) => {
      const s = rows.get(c.key)?.status;
      return s === "in_use" ? true : s === "not_in_use" ? false : null;
    });
    const parts: string[] = [];
    if (t.ok.length) parts.push(namesSentence("In use", t.ok));
    if (t.fail.length) parts.push(namesSentence("Not in use", t.fail));
    if (t.unknown.length) parts.push(namesSentence("Not recorded", t.unknown));
    for (const s of laterSentences) parts.push(s);
    // Failing, then not known, then in use: one array, filled in that order.
    const evidence: EvidenceRef[] = [];
    for (const c of t.fail) evidence.push(serviceRef(c.key, rows.get(c.key), "fail"));
    for (const c of t.unknown) evidence.push(serviceRef(c.key, rows.get(c.key), "unknown"));
    for (const c of t.ok) evidence.push(serviceRef(c.key, rows.get(c.key), "ok"));
    return finding(statusOf(t), parts.join(" "), evidence, t.fail.length ? t.fail.flatMap((c) => serviceRemedy(e, c.key)) : []);
  };
}

export const cln05 = services([{ key: "online_consultation" }]);
export const cln07 = services([{ key: "video_consultation" }]);
export const cln08 = services([
  { key: "nhs_app_appointments" },
  { key: "nhs_app_repeat_prescriptions" },
  { key: "nhs_app_messaging" },
  { key: "nhs_app_record_view" },
]);
export const cln09 = services([{ key: "prospective_record_access" }]);
export const cln10 = services([{ key: "gp_connect_access_record" }, { key: "gp_connect_update_record" }]);
export const cln11 = services([{ key: "online_registration" }]);
export const cln12 = services([{ key: "eps" }, { key: "ers" }, { key: "gp2gp" }, { key: "scr" }, { key: "nhsmail" }]);
export const cln13 = services([{ key: "sms_messaging" }]);
/**
 * CLN-14: the "You and Your General Practice" link is a GP contract 2025/26 duty that started on
 * 1 October 2025, with the contract's other digital changes (S62; issue #13 item 6), not 1 April 2025.
 */
export const CLN14_YYGP_FROM = "2025-10-01";
export const cln14 = services([{ key: "practice_website" }, { key: "practice_website_yygp", from: CLN14_YYGP_FROM }]);
export const sec07 = services([{ key: "nhsmail" }]);
export const inf07 = services([{ key: "cis2_smartcard_connect" }]);

/** Assured foundation systems, matched on the supplier or product name as recorded. */
const ASSURED = [/\bEMIS\b/i, /\bTPP\b|SYSTM ?ONE/i, /\bVISION\b|\bINPS\b|CEGEDIM/i, /MICROTEST|EVOLUTION/i, /\bMEDICUS\b/i];

/** CLN-01: an assured clinical system, from the register or national data. */
export const cln01: Rule = (e) => {
  const row = e.services.find((s) => s.service_key === "principal_clinical_system");
  if (row?.status === "not_in_use") {
    return finding(
      "not_met",
      "The register records no principal clinical system in use.",
      [serviceRef(row.service_key, row, "fail")],
      units(["clinical_system_procurement", 1]),
    );
  }
  const name = (row?.status === "in_use" ? row.supplier : null) ?? e.practice.clinical_system;
  const evidence: EvidenceRef[] =
    row?.status === "in_use" && row.supplier
      ? [serviceRef(row.service_key, row, "ok")]
      : [{ type: "practice", id: e.practice.ods_code, label: "Clinical system from national data", outcome: name ? "ok" : "unknown" }];
  if (!name)
    return finding(
      "unknown",
      "The practice's clinical system is not recorded.",
      evidence.map((r) => ({ ...r, outcome: "unknown" as const })),
    );
  if (ASSURED.some((p) => p.test(name)))
    return finding("met", `The practice uses ${name}, an assured foundation clinical system.`, evidence);
  return finding(
    "unknown",
    `The practice's clinical system (${name}) is not one we recognise as assured; check it against the national catalogue.`,
    evidence.map((r) => ({ ...r, outcome: "unknown" as const })),
  );
};
