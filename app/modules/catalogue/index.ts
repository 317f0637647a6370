import { CLINICAL } from "./clinical";
import { DEVICES } from "./devices";
import { INFRASTRUCTURE } from "./infrastructure";
import { PAPER, PREMISES } from "./premises-paper";
import { SECURITY } from "./security";
import { COMMISSIONING, CONTINUITY, SUPPORT, TRAINING } from "./service-management";
import { SOURCES } from "./sources";
import { TELEPHONY } from "./telephony";
import {
  CATEGORY_WEIGHT,
  FRAMEWORK_VERSION_IDS,
  type FrameworkVersion,
  type FrameworkVersionId,
  type Requirement,
  type RequirementInput,
  type RequirementVersion,
  type RequirementVersionInput,
  type SourceRef,
} from "./types";
import { DEFAULT_FRAMEWORK_VERSION, FRAMEWORK_VERSION_INPUTS } from "./versions";

export * from "./types";
export { DEFAULT_FRAMEWORK_VERSION };

/**
 * The framework the catalogue implements. `version` is our catalogue's revision: bump it when
 * requirement content changes so the database copy and reports say which revision they used.
 */
export const FRAMEWORK = {
  id: "gp-dsom-2021-23",
  version: "2026.1",
  name: "GP digital services operating model",
  description:
    "NHS England's Primary Care (GP) Digital Services Operating Model 2021-23 and the 2026 operating model and ICB-practice agreement, " +
    "with the GP contract, DSPT and national programme requirements that apply alongside them, in our own words.",
} as const;

const source = (ref: string, owner: string): SourceRef => {
  const title = SOURCES[ref];
  if (!title) throw new Error(`${owner}: source ${ref} is not in the source list`);
  return { ref, title };
};

/** The framework versions, oldest first, each with its effective date and source. */
export const FRAMEWORK_VERSIONS: readonly FrameworkVersion[] = FRAMEWORK_VERSION_INPUTS.map((v) => ({
  ...v,
  sources: v.sources.map((r) => source(r, v.id)),
}));

export const frameworkVersionById = (id: string): FrameworkVersion | undefined => FRAMEWORK_VERSIONS.find((v) => v.id === id);

/** The research note's source for the 2026 operating model and ICB-practice agreement. */
const SOURCE_2026 = "S16";

/**
 * Which versions hold a requirement, unless its catalogue entry says otherwise:
 * - 2021-23 when it has a source other than the 2026 report (S16), cited with those sources;
 * - 2026 always: named there when it cites S16, otherwise carried forward and marked
 *   unconfirmed, since the only report of the 2026 edition lists a handful of points.
 */
function versionsOf(input: RequirementInput): RequirementVersion[] {
  const earlier = input.sources.filter((s) => s !== SOURCE_2026);
  const defaults: Record<FrameworkVersionId, RequirementVersionInput | false> = {
    "2021-23": earlier.length ? { sources: earlier } : false,
    "2026": input.sources.includes(SOURCE_2026)
      ? { sources: input.sources, note: "Named in the reported 2026 ICB-practice agreement (S16, secondary)." }
      : {
          sources: input.sources,
          unconfirmed: true,
          note: "Carried forward from 2021-23: the report of the 2026 edition (S16) does not mention it.",
        },
  };
  return FRAMEWORK_VERSION_IDS.flatMap((version): RequirementVersion[] => {
    const override = input.versions?.[version];
    if (override === false) return [];
    const d = defaults[version];
    if (!override && !d) return [];
    const v = { ...(d || {}), ...(override || {}) };
    return [
      {
        version,
        title: v.title ?? input.title,
        description: v.description ?? input.description,
        sources: (v.sources ?? input.sources).map((r) => source(r, `${input.id} (${version})`)),
        unconfirmed: v.unconfirmed ?? false,
        note: v.note ?? null,
      },
    ];
  });
}

function build(input: RequirementInput): Requirement {
  const { sources, weight, versions: _versions, ...rest } = input;
  const versions = versionsOf(input);
  if (versions.length === 0) throw new Error(`${input.id}: in no framework version`);
  // Its own sources first, then any a version adds (e.g. DEV-09's 2021-23 heading).
  const refs = [...new Set([...sources, ...versions.flatMap((v) => v.sources.map((s) => s.ref))])];
  return {
    ...rest,
    answeredBy: input.answeredBy ?? "practice",
    automatic: input.evidence !== "attestation",
    weight: weight ?? CATEGORY_WEIGHT[input.category],
    sources: refs.map((ref) => source(ref, input.id)),
    introducedIn: versions[0].version,
    versions,
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

const IN_VERSION = new Map<string, ReadonlySet<string>>(
  FRAMEWORK_VERSION_IDS.map((v) => [v, new Set(REQUIREMENTS.filter((r) => r.versions.some((x) => x.version === v)).map((r) => r.id))]),
);

/** Whether a framework version holds a requirement. An unknown version id holds nothing. */
export const inFrameworkVersion = (requirementId: string, version: string): boolean => IN_VERSION.get(version)?.has(requirementId) ?? false;

/** The requirement as it stands in one version (wording and sources), or null when the version does not hold it. */
export const requirementInVersion = (r: Requirement, version: string): RequirementVersion | null =>
  r.versions.find((v) => v.version === version) ?? null;
