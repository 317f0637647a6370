import { describe, expect, it } from "vitest";
import {
  AUTOMATIC_REQUIREMENTS,
  CATEGORIES,
  CATEGORY_WEIGHT,
  DOMAINS,
  EVIDENCE_KINDS,
  FRAMEWORK,
  FUNDERS,
  REQUIREMENTS,
  requirementById,
} from "~/modules/catalogue";
import { RULES } from "~/modules/compliance/rules";
import { DIGITAL_SERVICES } from "~/modules/catalogue/digital-services";

describe("requirement catalogue", () => {
  it("covers the research catalogue: at least 60 requirements, at least 35 checked automatically", () => {
    expect(REQUIREMENTS.length).toBeGreaterThanOrEqual(60);
    expect(AUTOMATIC_REQUIREMENTS.length).toBeGreaterThanOrEqual(35);
    expect(FRAMEWORK).toMatchObject({ id: "gp-dsom-2021-23", name: "GP digital services operating model" });
  });

  it("has unique ids in the research's style", () => {
    const ids = REQUIREMENTS.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const id of ids) expect(id).toMatch(/^(TEL|DEV|CLN|INF|SEC|PREM|PAP|SUP|TRN|BCP|FUN)-\d{2}$/);
    expect(requirementById("TEL-04")?.title).toBe("Call-back");
  });

  it("gives every automatic requirement a rule, and every rule a requirement", () => {
    const automatic = AUTOMATIC_REQUIREMENTS.map((r) => r.id).sort();
    expect([...RULES.keys()].sort()).toEqual(automatic);
  });

  it("classifies every requirement with known values, a weight from its category, a source and its own wording", () => {
    for (const r of REQUIREMENTS) {
      expect(Object.keys(DOMAINS), r.id).toContain(r.domain);
      expect(Object.keys(CATEGORIES), r.id).toContain(r.category);
      expect(Object.keys(FUNDERS), r.id).toContain(r.funder);
      expect(Object.keys(EVIDENCE_KINDS), r.id).toContain(r.evidence);
      expect(r.automatic, r.id).toBe(r.evidence !== "attestation");
      expect(r.weight, r.id).toBe(CATEGORY_WEIGHT[r.category]);
      expect(r.sources.length, r.id).toBeGreaterThan(0);
      for (const s of r.sources) expect(s.title.length, `${r.id} ${s.ref}`).toBeGreaterThan(10);
      expect(r.title.length, r.id).toBeGreaterThan(3);
      expect(r.description.length, r.id).toBeGreaterThan(30);
      if (r.automatic) expect(r.check, `${r.id} says what the rule checks`).toBeTruthy();
      if (r.appliesFrom) expect(r.appliesFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    }
  });

  it("uses every domain and category of the issue", () => {
    expect(new Set(REQUIREMENTS.map((r) => r.domain))).toEqual(new Set(Object.keys(DOMAINS)));
    expect(new Set(REQUIREMENTS.map((r) => r.category))).toEqual(new Set(Object.keys(CATEGORIES)));
    expect(new Set(REQUIREMENTS.map((r) => r.funder))).toEqual(new Set(Object.keys(FUNDERS)));
  });

  it("knows every requirement the digital services register links to", () => {
    for (const s of DIGITAL_SERVICES) for (const id of s.requirementIds) expect(requirementById(id), `${s.key} → ${id}`).toBeDefined();
  });

  it("keeps the research's confirmed dates", () => {
    expect(requirementById("TEL-10")?.appliesFrom).toBe("2024-10-01");
    expect(requirementById("CLN-10")?.appliesFrom).toBe("2025-10-01");
    expect(requirementById("CLN-09")?.appliesFrom).toBe("2023-10-31");
  });
});
