import { CLINICAL } from "./catalogue/clinical";
import { DEVICES } from "./catalogue/devices";
import { INFRASTRUCTURE } from "./catalogue/infrastructure";
import { PAPER, PREMISES } from "./catalogue/premises-paper";
import { SECURITY } from "./catalogue/security";
import { COMMISSIONING, CONTINUITY, SUPPORT, TRAINING } from "./catalogue/service-management";
import { SOURCES } from "./catalogue/sources";
import { TELEPHONY } from "./catalogue/telephony";
import { CATEGORY_WEIGHT, type Requirement, type RequirementInput } from "./catalogue/types";

export * from "./catalogue/types";

/**
 * The framework the catalogue implements. `version` is our catalogue's revision: bump it when
 * requirement content changes so the database copy and reports say which revision they used.
 */
export const FRAMEWORK = {
  id: "gp-dsom-2021-23",
  version: "2021-23.1",
  name: "GP digital services operating model 2021-23",
  description:
    "NHS England's Primary Care (GP) Digital Services Operating Model 2021-23, with the later GP contract, " +
    "ICB-practice agreement (2026) and national programme requirements, in our own words.",
} as const;

function build(input: RequirementInput): Requirement {
  const { sources, weight, ...rest } = input;
  return {
    ...rest,
    automatic: input.evidence !== "attestation",
    weight: weight ?? CATEGORY_WEIGHT[input.category],
    sources: sources.map((ref) => {
      const title = SOURCES[ref];
      if (!title) throw new Error(`${input.id}: source ${ref} is not in the source list`);
      return { ref, title };
    }),
  };
}

/** Every requirement, in catalogue order (domain by domain, then by id). */
export const REQUIREMENTS: readonly Requirement[] = [
  ...TELEPHONY,
  ...DEVICES,
  ...CLINICAL,
  ...INFRASTRUCTURE,
  ...SECURITY,
  ...PREMISES,
  ...PAPER,
  ...SUPPORT,
  ...TRAINING,
  ...CONTINUITY,
  ...COMMISSIONING,
].map(build);

const BY_ID = new Map(REQUIREMENTS.map((r) => [r.id, r]));

export const requirementById = (id: string): Requirement | undefined => BY_ID.get(id);

export const AUTOMATIC_REQUIREMENTS = REQUIREMENTS.filter((r) => r.automatic);
