import { CATEGORIES, DOMAINS, EVIDENCE_KINDS, FUNDERS, type Requirement } from "./catalogue";

/** What a page shows about a requirement (labels resolved, no server-only types). */
export function requirementView(r: Requirement) {
  return {
    id: r.id,
    title: r.title,
    description: r.description,
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
  };
}
export type RequirementView = ReturnType<typeof requirementView>;
