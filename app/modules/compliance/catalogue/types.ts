/** The vocabulary of the requirement catalogue (shared by server, pages and rules; no server imports). */

export const DOMAINS = {
  telephony: "Telephony",
  devices: "Devices",
  clinical_systems: "Clinical systems and digital services",
  infrastructure: "Infrastructure and connectivity",
  cyber_ig: "Cyber security and information governance",
  premises: "Premises",
  paper_sustainability: "Paper and sustainability",
  support: "Support and service desk",
  training: "Training",
  business_continuity: "Business continuity",
  commissioning: "Commissioning and funding",
} as const;
export type Domain = keyof typeof DOMAINS;

/** The operating model's categories, plus the GP contract and time-limited national programmes. */
export const CATEGORIES = {
  core_mandated: "Core and mandated",
  enhanced: "Enhanced",
  practice_business: "Practice business",
  gp_contract: "GP contract",
  national_programme: "Time-limited national programme",
} as const;
export type Category = keyof typeof CATEGORIES;

/** Who pays to close a gap. */
export const FUNDERS = { icb: "ICB", practice: "Practice", national: "National" } as const;
export type Funder = keyof typeof FUNDERS;

/** How a requirement is evidenced: from register data, by a practice's attestation, or both. */
export const EVIDENCE_KINDS = {
  automatic: "Automatic (register data)",
  attestation: "Attestation",
  both: "Register data and attestation",
} as const;
export type EvidenceKind = keyof typeof EVIDENCE_KINDS;

/** Relative importance in the score: core and mandated 3, GP contract 2, everything else 1. */
export const CATEGORY_WEIGHT: Record<Category, number> = {
  core_mandated: 3,
  gp_contract: 2,
  enhanced: 1,
  practice_business: 1,
  national_programme: 1,
};

export interface SourceRef {
  /** S-number in the research note's source register. */
  ref: string;
  title: string;
}

export interface Requirement {
  id: string;
  domain: Domain;
  category: Category;
  funder: Funder;
  evidence: EvidenceKind;
  /** True when a rule checks it from register data (evidence `automatic` or `both`). */
  automatic: boolean;
  title: string;
  description: string;
  /** For automatic requirements: what the rule looks at, in plain words. */
  check?: string;
  sources: SourceRef[];
  weight: number;
  /** The requirement does not apply before this date (YYYY-MM-DD), e.g. a contract change. */
  appliesFrom?: string;
  /** Our operational reading of a requirement heading whose detailed wording was not available. */
  opReading?: boolean;
}

/** What a catalogue file writes: weight and `automatic` follow from category and evidence. */
export type RequirementInput = Omit<Requirement, "weight" | "automatic" | "sources"> & { sources: string[]; weight?: number };
