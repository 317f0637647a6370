import {
  CATEGORIES,
  DOMAINS,
  EVIDENCE_KINDS,
  FRAMEWORK_VERSIONS,
  FUNDERS,
  REQUIREMENTS,
  inFrameworkVersion,
  requirementInVersion,
  type Requirement,
} from "~/modules/catalogue";

/**
 * What a page shows about a requirement (labels resolved, no server-only types). With a
 * version, the title and description are that version's wording.
 */
export function requirementView(r: Requirement, version?: string) {
  const inVersion = version ? requirementInVersion(r, version) : null;
  return {
    id: r.id,
    title: inVersion?.title ?? r.title,
    description: inVersion?.description ?? r.description,
    check: r.check ?? null,
    domain: r.domain,
    domainLabel: DOMAINS[r.domain],
    category: CATEGORIES[r.category],
    funder: FUNDERS[r.funder],
    evidence: EVIDENCE_KINDS[r.evidence],
    automatic: r.automatic,
    weight: r.weight,
    appliesFrom: r.appliesFrom ?? null,
    opReading: r.opReading ?? false,
    sources: r.sources,
    introducedIn: r.introducedIn,
    introducedInName: FRAMEWORK_VERSIONS.find((v) => v.id === r.introducedIn)?.name ?? r.introducedIn,
    versions: r.versions.map((v) => ({ ...v, name: FRAMEWORK_VERSIONS.find((f) => f.id === v.version)?.name ?? v.version })),
  };
}
export type RequirementView = ReturnType<typeof requirementView>;

/** The framework versions as the policy and catalogue pages show them, with how many requirements each holds. */
export function frameworkVersionsView(inForce: string | null = null) {
  return FRAMEWORK_VERSIONS.map((v) => ({
    id: v.id,
    name: v.name,
    effectiveFrom: v.effectiveFrom,
    effectiveFromUnconfirmed: v.effectiveFromUnconfirmed,
    effectiveFromNote: v.effectiveFromNote,
    sources: v.sources,
    note: v.note,
    requirements: REQUIREMENTS.filter((r) => inFrameworkVersion(r.id, v.id)).length,
    inForce: v.id === inForce,
  }));
}
