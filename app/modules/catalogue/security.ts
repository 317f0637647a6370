import type { RequirementInput } from "./types";

const base = { domain: "cyber_ig" } as const;

export const SECURITY: RequirementInput[] = [
  {
    ...base, id: "SEC-01", category: "gp_contract", funder: "practice", evidence: "both",
    title: "DSPT submitted at Standards Met",
    description: "The practice completes the Data Security and Protection Toolkit every year by 30 June and reaches 'Standards Met'.",
    check: "The latest imported DSPT status: Standards Met or Exceeded for a cycle whose 30 June deadline is within the last 12 months; the self-assessment answer counts only when no status has been imported.",
    sources: ["S8", "S30"],
  },
  {
    ...base, id: "SEC-02", category: "gp_contract", funder: "practice", evidence: "attestation",
    title: "New mandatory DSPT evidence items",
    description: "The 2025-26 DSPT items on IT administrator accountability (4.3.1) and the digital asset register (7.1.1) are met.",
    sources: ["S30"],
  },
  {
    ...base, id: "SEC-03", category: "core_mandated", funder: "icb", evidence: "automatic",
    title: "No unsupported systems in the estate",
    description: "Nothing in the estate runs software past its end of support; an inventory of hardware and software versions finds end-of-life items (DSPT standard 8).",
    check: "Operating system support of every device in use that runs one, including servers; ESU counts as supported.",
    sources: ["S32"],
  },
  {
    ...base, id: "SEC-04", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Backups restored and tested",
    description: "Backups are restored as a test on a regular schedule (DSPT 7.3.4).",
    sources: ["S78"],
  },
  {
    ...base, id: "SEC-05", category: "enhanced", funder: "icb", evidence: "both",
    title: "Cyber Essentials Plus",
    description: "The practice holds current Cyber Essentials Plus, needed for DSPT 'Standards Exceeded'; unsupported operating systems without ESU rule it out.",
    check: "Computers in use on an unsupported OS; the certificate from imported Cyber Essentials certificates, or attested where none has been imported.",
    sources: ["S31", "S28"],
  },
  {
    ...base, id: "SEC-06", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Specialist IG, DPO, cyber and clinical safety advice",
    description: "The ICB gives practices information governance advice, a data protection officer service, cyber security management and clinical safety assurance.",
    sources: ["S10", "S6"],
  },
  {
    ...base, id: "SEC-07", category: "core_mandated", funder: "national", evidence: "automatic",
    title: "NHSmail for secure email",
    description: "The practice uses NHSmail, which meets the secure email standard (DCB1596), with local administration by the ICB.",
    check: "The NHSmail service record.",
    sources: ["S33", "S6"],
  },
  {
    ...base, id: "SEC-08", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Smartcards through the Registration Authority",
    description: "Each user has their own smartcard issued by the Registration Authority; certificates are renewed every two years and leavers lose access.",
    sources: ["S34", "S6"],
  },
  {
    ...base, id: "SEC-09", category: "practice_business", funder: "practice", evidence: "attestation",
    title: "Incident reporting under the NIS Regulations",
    description: "The practice helps the ICB report serious network and information incidents as the NIS Regulations require.",
    sources: ["S16"],
  },
  {
    ...base, id: "SEC-10", category: "core_mandated", funder: "icb", evidence: "attestation",
    title: "Signed ICB-practice agreement",
    description: "An ICB-practice agreement and data processing agreements are signed before services start, and the schedules are reviewed at least every 12 months.",
    sources: ["S9", "S5"],
  },
  {
    ...base, id: "SEC-11", category: "core_mandated", funder: "icb", evidence: "automatic", opReading: true,
    title: "Computers encrypted",
    description: "Laptops, tablets and desktops in use have full-disk encryption, as part of the cyber security service and the DSPT.",
    check: "Encryption status of each computer in use.",
    sources: ["S6", "S30"],
  },
];
