import type { RequirementInput } from "./types";

const base = { domain: "telephony", funder: "practice" } as const;

export const TELEPHONY: RequirementInput[] = [
  {
    ...base, id: "TEL-01", category: "practice_business", evidence: "attestation",
    title: "The practice owns its phone system",
    description: "Choosing, contracting for and paying for the telephone system is the practice's own business; the ICB does not have to fund it.",
    sources: ["S1", "S6"],
  },
  {
    ...base, id: "TEL-02", category: "gp_contract", evidence: "automatic",
    title: "Cloud-based telephony",
    description: "Once its current contract ends, the practice runs a cloud-based (digital, hosted) phone system rather than analogue lines or an on-site exchange.",
    check: "The current telephony system's type, and its contract end date when it is not cloud-based.",
    sources: ["S19", "S24"],
  },
  {
    ...base, id: "TEL-03", category: "gp_contract", evidence: "automatic",
    title: "Supplier on the Better Purchasing Framework",
    description: "A phone contract signed or renewed from April 2023 is with a supplier accredited on NHS England's advanced telephony Better Purchasing Framework.",
    check: "Whether the current supplier is on the framework, for contracts starting on or after 1 April 2023.",
    sources: ["S21", "S24"],
  },
  {
    ...base, id: "TEL-04", category: "gp_contract", evidence: "automatic",
    title: "Call-back",
    description: "Callers can choose to be rung back instead of waiting on hold.",
    check: "The call-back feature of the current system.",
    sources: ["S17", "S19", "S20"],
  },
  {
    ...base, id: "TEL-05", category: "gp_contract", evidence: "automatic",
    title: "Call queuing with position messages",
    description: "Callers join a queue instead of hearing an engaged tone, and are told where they are in it or how long they may wait.",
    check: "The call queuing and queue position message features of the current system.",
    sources: ["S17", "S20", "S22"],
  },
  {
    ...base, id: "TEL-06", category: "gp_contract", evidence: "automatic",
    title: "Enough simultaneous calls",
    description: "The system takes many calls at once, without a hard limit set by the number of physical lines.",
    check: "The system type and its concurrent call capacity against the list size (local policy: calls per 1,000 patients).",
    sources: ["S17", "S19"],
  },
  {
    ...base, id: "TEL-07", category: "gp_contract", evidence: "automatic",
    title: "Call routing for care navigation",
    description: "Menus or routing rules send each caller to the right team.",
    check: "The IVR or routing feature of the current system.",
    sources: ["S17", "S22"],
  },
  {
    ...base, id: "TEL-08", category: "gp_contract", evidence: "automatic",
    title: "Clinical system integration",
    description: "The phone system links to the clinical system so staff can match a caller to the patient record.",
    check: "The clinical system integration feature of the current system.",
    sources: ["S17", "S80"],
  },
  {
    ...base, id: "TEL-09", category: "gp_contract", evidence: "automatic",
    title: "Call data reporting",
    description: "Live and historic reports show demand and performance: calls answered, abandoned and missed, waiting times, call length and call-backs.",
    check: "The real-time and historic reporting features of the current system.",
    sources: ["S20", "S22"],
  },
  {
    ...base, id: "TEL-10", category: "gp_contract", evidence: "automatic", appliesFrom: "2024-10-01",
    title: "Call data shared with NHS England",
    description: "The practice allows its cloud telephony supplier to send the monthly national call data collection, which a Data Provision Notice has required since 1 October 2024.",
    check: "Whether data sharing is switched on with the cloud telephony supplier.",
    sources: ["S23"],
  },
  {
    ...base, id: "TEL-11", category: "enhanced", evidence: "automatic",
    title: "Remote and multi-site call handling",
    description: "Staff can answer calls from home or another site, and calls can be shared across the practice's sites or its PCN.",
    check: "The remote agents feature, and the multi-site feature when the practice has more than one open site.",
    sources: ["S22"],
  },
  {
    ...base, id: "TEL-12", category: "gp_contract", evidence: "both",
    title: "No premium-rate practice number",
    description: "Patients pay no more than a local call to reach the practice (no 084, 087, 09 or 070 numbers), and the out-of-hours message tells them where to get help.",
    check: "The main number's prefix; the out-of-hours message is attested.",
    sources: ["S21"],
  },
  {
    ...base, id: "TEL-13", category: "national_programme", funder: "national", evidence: "attestation",
    title: "National telephony transition funding",
    description: "One-off national money paid for practices leaving analogue phones in 2023/24 (contracts by 15 December 2023, live by 31 March 2024); later moves are paid for by the practice.",
    sources: ["S18"],
  },
  {
    ...base, id: "TEL-14", category: "practice_business", evidence: "attestation",
    title: "Call recording meets IG rules",
    description: "Recording calls is optional; a practice that records them has the information governance and patient notice arrangements in place.",
    sources: ["S21"], opReading: true,
  },
  {
    ...base, id: "TEL-15", category: "practice_business", evidence: "automatic",
    title: "Ready for the PSTN switch-off",
    description: "No service at a practice site depends on analogue lines when BT's copper network is switched off (31 January 2027); lines for lifts, alarms or fax have a migration plan.",
    check: "Analogue lines recorded at each open site and the telephony system type, against the switch-off date (local policy).",
    sources: ["S25", "S18"],
  },
];
