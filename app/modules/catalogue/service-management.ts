import type { RequirementInput } from "./types";

const icb = { category: "core_mandated", funder: "icb", evidence: "attestation" } as const;

/**
 * Who answers these in a self-assessment. The operating model (operating-model.md §2.8, S5, S9)
 * puts every SUP duty on the ICB as commissioner: the agreement's service levels, the annual
 * review, the delivery partner's specification and the local strategy are the ICB's own
 * (answered by its digital lead); the service desk and the project, procurement and contract
 * support are what the delivery partner it commissions provides (answered by that partner).
 * A practice can say whether it gets them, but cannot vouch for them.
 */
const byIcb = { answeredBy: "icb" } as const;
const byPartner = { answeredBy: "delivery_partner" } as const;

export const SUPPORT: RequirementInput[] = [
  {
    ...icb,
    ...byPartner,
    domain: "support",
    id: "SUP-01",
    title: "Accredited service desk in core hours",
    description: "A GP IT service desk with formal accreditation is open at least throughout core contracted hours.",
    sources: ["S5"],
  },
  {
    ...icb,
    ...byIcb,
    domain: "support",
    id: "SUP-02",
    title: "Service levels and escalation agreed",
    description:
      "The agreement sets service levels and availability for each service, and high-severity incidents escalate to the NHS England region.",
    sources: ["S9", "S4", "S6"],
  },
  {
    ...icb,
    ...byIcb,
    domain: "support",
    id: "SUP-03",
    title: "Annual review with each practice",
    description: "At least once a year the ICB reviews GP IT with each practice: performance, plans, training and continuity arrangements.",
    sources: ["S5", "S16"],
  },
  {
    ...icb,
    ...byIcb,
    domain: "support",
    id: "SUP-04",
    title: "Delivery partner service specification",
    description: "The ICB holds a service specification for the GP IT delivery partner it commissions.",
    sources: ["S5"],
  },
  {
    ...icb,
    ...byPartner,
    domain: "support",
    id: "SUP-05",
    title: "Project, procurement and contract support",
    description: "Practices can call on project management, procurement and contract support.",
    sources: ["S5", "S6"],
  },
  {
    ...icb,
    ...byIcb,
    domain: "support",
    id: "SUP-06",
    title: "Local GP IT strategy and investment plan",
    description: "There is a local GP IT strategy with an infrastructure and software investment plan and a budgeted core plan.",
    sources: ["S5"],
  },
];

export const TRAINING: RequirementInput[] = [
  {
    ...icb,
    domain: "training",
    id: "TRN-01",
    title: "Clinical system training",
    description: "Practices get clinical system training for new starters, upgrades and migrations.",
    sources: ["S5", "S6"],
  },
  {
    domain: "training",
    id: "TRN-02",
    category: "national_programme",
    funder: "national",
    evidence: "attestation",
    title: "Care navigation and modern access training",
    description:
      "Staff take part in the General Practice Improvement Programme's care navigation and Modern General Practice Access training, linked to phone and online routes.",
    sources: ["S17", "S22"],
  },
  {
    domain: "training",
    id: "TRN-03",
    category: "gp_contract",
    funder: "practice",
    evidence: "attestation",
    title: "Annual data security awareness training",
    description: "Staff complete data security awareness training every year, evidenced in the DSPT.",
    sources: ["S30"],
  },
];

const bcp = { domain: "business_continuity" } as const;

export const CONTINUITY: RequirementInput[] = [
  {
    ...bcp,
    id: "BCP-01",
    category: "practice_business",
    funder: "practice",
    evidence: "attestation",
    title: "Practice continuity plan approved by the ICB",
    description: "The practice keeps a business continuity plan that covers IT failure, and the ICB approves it.",
    sources: ["S16", "S10"],
    versions: {
      // ICB approval is one of the 2026 agreement's reported points; the 2021-23 text asks for the plan.
      "2021-23": {
        title: "Practice continuity plan",
        description: "The practice keeps a business continuity plan that covers IT failure.",
      },
    },
  },
  {
    ...bcp,
    id: "BCP-02",
    category: "core_mandated",
    funder: "icb",
    evidence: "attestation",
    title: "Provider continuity and disaster recovery",
    description: "The GP IT provider has business continuity and disaster recovery plans.",
    sources: ["S5"],
  },
  {
    ...bcp,
    id: "BCP-03",
    category: "core_mandated",
    funder: "icb",
    evidence: "automatic",
    title: "Remote working through disruption",
    description: "If the building is unusable, remote working can keep at least 60% of normal capacity going.",
    check: "Managed laptops in use against the remote capacity share of users (local policy).",
    sources: ["S1"],
  },
  {
    ...bcp,
    id: "BCP-04",
    category: "practice_business",
    funder: "practice",
    evidence: "automatic",
    opReading: true,
    title: "Resilient telephony",
    description: "Phones keep working when a line or the building fails: cloud telephony that can divert calls, on a resilient connection.",
    check: "Telephony system type and a resilient line at the main site.",
    sources: ["S6"],
  },
  {
    ...bcp,
    id: "BCP-05",
    category: "practice_business",
    funder: "practice",
    evidence: "attestation",
    opReading: true,
    title: "Manual fallback procedures",
    description: "Downtime procedures, such as printed appointment lists, are written down for when systems are unavailable.",
    sources: ["S10"],
  },
];

// Commissioning duties are the ICB's own (operating-model.md §2.11: who it funds, what it agrees, its assurance returns):
// its digital lead answers them, not the practice.
const fun = { domain: "commissioning", funder: "icb", evidence: "attestation", answeredBy: "icb" } as const;

export const COMMISSIONING: RequirementInput[] = [
  {
    ...fun,
    id: "FUN-01",
    category: "core_mandated",
    title: "Funded services need a signed agreement",
    description:
      "Funded GP IT services go only to practices holding a GMS, PMS or APMS contract that have signed the ICB-practice agreement.",
    sources: ["S9"],
  },
  {
    ...fun,
    id: "FUN-02",
    category: "enhanced",
    title: "Enhanced services agreed locally",
    description: "The ICB and practices choose enhanced items together, subject to affordability and the local digital strategy.",
    sources: ["S7"],
  },
  {
    ...fun,
    id: "FUN-03",
    category: "core_mandated",
    title: "No cash in lieu",
    description: "A practice that turns down ICB-provided services is not given money to buy its own instead.",
    sources: ["S7"],
  },
  {
    ...fun,
    id: "FUN-04",
    category: "core_mandated",
    title: "Annual assurance returns",
    description: "The ICB takes part in annual digital primary care assurance and the national digital maturity assessment.",
    sources: ["S8", "S65"],
  },
];
