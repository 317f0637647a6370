import type { RequirementInput } from "./types";

export const PREMISES: RequirementInput[] = [
  {
    id: "PREM-01",
    domain: "premises",
    category: "core_mandated",
    funder: "icb",
    evidence: "attestation",
    title: "IT support for estates projects",
    description: "The ICB's GP IT service plans the IT side of new buildings, moves and refurbishments.",
    sources: ["S6"],
  },
  {
    id: "PREM-02",
    domain: "premises",
    category: "practice_business",
    funder: "practice",
    evidence: "automatic",
    title: "Protected power for practice IT",
    description:
      "Building power, cabinets, cooling and health and safety at practice sites are the practice's responsibility; IT kit has an uninterruptible power supply.",
    check: "Whether each open site has a UPS recorded.",
    sources: ["S6"],
  },
  {
    id: "PREM-03",
    domain: "premises",
    category: "practice_business",
    funder: "practice",
    evidence: "automatic",
    title: "Floor space freed from paper records",
    description: "Rooms used to store paper records can be released for clinical use once the records are digitised.",
    check: "Floor area recorded for paper records storage at each open site.",
    sources: ["S35", "S38"],
  },
];

const paper = { domain: "paper_sustainability" } as const;

/** Checked from the Lloyd George record counts and monthly paper activity (issue 6). */
export const PAPER: RequirementInput[] = [
  {
    ...paper,
    id: "PAP-01",
    category: "national_programme",
    funder: "icb",
    evidence: "automatic",
    title: "Lloyd George records digitised",
    description:
      "Paper Lloyd George records are scanned to the national standard by an approved supplier and loaded into the National Document Repository; the practice or the ICB may pay, as agreed locally.",
    check:
      "Records held (on site, elsewhere and destroyed after scanning) against records digitised and uploaded; one digitisation unit per record still on paper only.",
    sources: ["S35"],
  },
  {
    ...paper,
    id: "PAP-02",
    category: "practice_business",
    funder: "practice",
    evidence: "both",
    title: "Scanned envelopes securely destroyed",
    description:
      "Once records are scanned to standard, the practice, as data controller, may approve secure destruction of the paper envelopes (allowed since 24 November 2023).",
    check: "Scanned records against envelopes destroyed; the practice attests that destruction was approved and certified.",
    sources: ["S36"],
  },
  {
    ...paper,
    id: "PAP-03",
    category: "practice_business",
    funder: "practice",
    evidence: "both",
    title: "No new paper records",
    description: "New Lloyd George envelopes stopped in January 2021, so any new paper record is an exception to be explained.",
    check: "New paper envelopes recorded as started since January 2021; the practice attests how any exception was handled.",
    sources: ["S35", "S37"],
  },
  {
    ...paper,
    id: "PAP-04",
    category: "practice_business",
    funder: "practice",
    evidence: "automatic",
    title: "Patient letters moved to digital",
    description:
      "Where it suits the patient, letters are replaced by NHS App messages, text or email, keeping paper for those who need it.",
    check:
      "Share of patient messages sent digitally (NHS App, text, email) against letters posted over the last 12 months, against the local target.",
    sources: ["S42"],
  },
  {
    ...paper,
    id: "PAP-05",
    category: "practice_business",
    funder: "practice",
    evidence: "automatic",
    title: "Less paper, and recycled paper",
    description: "The practice cuts the paper it uses and buys fully recycled copier paper.",
    check: "Recycled share of the sheets printed over the last 12 months, against the local target.",
    sources: ["S45"],
  },
  {
    ...paper,
    id: "PAP-06",
    category: "enhanced",
    funder: "icb",
    evidence: "automatic",
    title: "Carbon reported against net zero",
    description:
      "Carbon from paper, printing and post is measured and reduced in line with the NHS net zero targets (2040 for direct emissions, 2045 including suppliers).",
    check: "Whether each of the last 12 months has the paper, print and post figures needed to report carbon.",
    sources: ["S40"],
  },
];
