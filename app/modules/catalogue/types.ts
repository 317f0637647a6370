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

/**
 * Who answers a requirement in a self-assessment: the practice, or (for duties the operating
 * model puts on the commissioner or its provider, which a practice cannot vouch for) the ICB or
 * the GP IT delivery partner serving the practice.
 */
export const ANSWERERS = { practice: "Practice", icb: "ICB", delivery_partner: "GP IT delivery partner" } as const;
export type Answerer = keyof typeof ANSWERERS;

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

/**
 * The editions of the operating model this catalogue covers. Each ICB chooses which one is in
 * force for its practices (local policy `framework_version`); the evaluation judges only the
 * requirements in that version.
 */
export const FRAMEWORK_VERSION_IDS = ["2021-23", "2026"] as const;
export type FrameworkVersionId = (typeof FRAMEWORK_VERSION_IDS)[number];
export const isFrameworkVersionId = (v: unknown): v is FrameworkVersionId =>
  typeof v === "string" && (FRAMEWORK_VERSION_IDS as readonly string[]).includes(v);

export interface FrameworkVersion {
  id: FrameworkVersionId;
  name: string;
  /** YYYY-MM-DD. */
  effectiveFrom: string;
  /** True when the research did not confirm the date: pages show it as UNCONFIRMED with `effectiveFromNote`. */
  effectiveFromUnconfirmed: boolean;
  effectiveFromNote: string;
  sources: SourceRef[];
  /** What the research says about this version, and its limits. */
  note: string;
}

/** A requirement as it stands in one framework version: its wording there and where that comes from. */
export interface RequirementVersion {
  version: FrameworkVersionId;
  title: string;
  description: string;
  sources: SourceRef[];
  /** True when the research does not confirm that this version contains the requirement. */
  unconfirmed: boolean;
  /** Why it is in this version (or why that is not confirmed), in plain words. */
  note: string | null;
}

/** How a catalogue file describes one version of a requirement; anything left out follows the requirement. */
export interface RequirementVersionInput {
  title?: string;
  description?: string;
  sources?: string[];
  unconfirmed?: boolean;
  note?: string;
}

export interface Requirement {
  id: string;
  domain: Domain;
  category: Category;
  funder: Funder;
  evidence: EvidenceKind;
  /** Who answers it in a self-assessment (attested requirements); the practice unless the catalogue says otherwise. */
  answeredBy: Answerer;
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
  /** The framework version the requirement came from (the earliest one that holds it). */
  introducedIn: FrameworkVersionId;
  /** Every framework version that holds the requirement, oldest first, with its wording and sources there. */
  versions: RequirementVersion[];
}

/**
 * What a catalogue file writes: weight and `automatic` follow from category and evidence, and
 * the versions from the sources (see `versionsOf` in catalogue.ts) unless `versions` says
 * otherwise (`false` leaves a version out).
 */
export type RequirementInput = Omit<Requirement, "weight" | "automatic" | "sources" | "introducedIn" | "versions" | "answeredBy"> & {
  sources: string[];
  answeredBy?: Answerer;
  weight?: number;
  versions?: Partial<Record<FrameworkVersionId, RequirementVersionInput | false>>;
};
