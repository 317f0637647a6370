import { z } from "zod";
import type { AssessmentStatus, AttestedAnswer, DisputeStatus, ReviewStatus } from "#db/types";
import {
  DOMAINS,
  FRAMEWORK_VERSIONS,
  REQUIREMENTS,
  inFrameworkVersion,
  requirementInVersion,
  type Domain,
  type Requirement,
} from "~/modules/catalogue";
import { DEFAULT_FRAMEWORK_VERSION } from "~/modules/catalogue/versions";
import { nestDotted } from "~/modules/digital-services/schema";
import { todayIso } from "~/utils/today";
import { optionalDate, optionalText, versionField } from "~/utils/zod-fields";

export const ANSWERS: Record<AttestedAnswer, string> = {
  met: "Met",
  partial: "Partly met",
  not_met: "Not met",
  not_applicable: "Not applicable",
};
export const ANSWER_OPTIONS = Object.entries(ANSWERS).map(([value, label]) => ({ value, label }));

export const ASSESSMENT_STATUSES: Record<AssessmentStatus, string> = {
  not_started: "Not started",
  in_progress: "In progress",
  submitted: "Submitted",
  returned: "Returned for changes",
  verified: "Verified",
};
export const REVIEW_STATUSES: Record<ReviewStatus, string> = { pending: "Waiting for review", verified: "Verified", returned: "Returned" };
export const DISPUTE_STATUSES: Record<DisputeStatus, string> = { open: "Open", accepted: "Accepted", rejected: "Result stands" };

export const EVIDENCE_NOTE_MAX = 2000;
export const EVIDENCE_LINK_MAX = 500;
export const COMMENT_MAX = 1000;
export const CYCLE_NAME_MAX = 120;

/** Every requirement evidenced by attestation, alone or with register data, in any framework version. */
export const ATTESTED_REQUIREMENTS: readonly Requirement[] = REQUIREMENTS.filter((r) => r.evidence !== "automatic");

/** What the practice itself answers: attested requirements that are the practice's to vouch for. */
export const PRACTICE_REQUIREMENTS: readonly Requirement[] = ATTESTED_REQUIREMENTS.filter((r) => r.answeredBy === "practice");

/**
 * Duties the operating model puts on the ICB or its delivery partner (SUP-01 to SUP-06, the
 * commissioning rules): answered for each practice by the ICB's digital lead or the delivery
 * partner serving it, never by the practice.
 */
export const DUTY_REQUIREMENTS: readonly Requirement[] = ATTESTED_REQUIREMENTS.filter((r) => r.answeredBy !== "practice");
export type DutyOwner = Exclude<Requirement["answeredBy"], "practice">;

type AssessmentDomain = { key: Domain; label: string; requirements: readonly Requirement[] };
const domainsOf = (attested: readonly Requirement[]): AssessmentDomain[] =>
  (Object.keys(DOMAINS) as Domain[])
    .map((key) => ({ key, label: DOMAINS[key], requirements: attested.filter((r) => r.domain === key) }))
    .filter((d) => d.requirements.length > 0);

const worded = (r: Requirement, version: string): Requirement => {
  const v = requirementInVersion(r, version);
  return v ? { ...r, title: v.title ?? r.title, description: v.description ?? r.description } : r;
};
const byVersion = (set: readonly Requirement[]) =>
  new Map<string, readonly Requirement[]>(
    FRAMEWORK_VERSIONS.map(({ id: version }) => [
      version,
      set.filter((r) => inFrameworkVersion(r.id, version)).map((r) => worded(r, version)),
    ]),
  );
const PRACTICE_BY_VERSION = byVersion(PRACTICE_REQUIREMENTS);
const DUTIES_BY_VERSION = byVersion(DUTY_REQUIREMENTS);

/**
 * What a practice answers itself: the practice's own self-assessed requirements in the framework
 * version its ICB has in force (docs/framework-versions.md), worded as that version words them.
 * An ICB on 2021-23 is not asked SEC-09 or CLN-03, which only the 2026 model has.
 */
export function attestedIn(version: string): readonly Requirement[] {
  return (PRACTICE_BY_VERSION.get(version) ?? PRACTICE_BY_VERSION.get(DEFAULT_FRAMEWORK_VERSION))!;
}

/** The ICB's and delivery partner's duties in a framework version, worded as that version words them. */
export function dutiesIn(version: string): readonly Requirement[] {
  return (DUTIES_BY_VERSION.get(version) ?? DUTIES_BY_VERSION.get(DEFAULT_FRAMEWORK_VERSION))!;
}

/** The assessment's sections for a framework version: each domain that has something to attest, in catalogue order. */
export const assessmentDomainsIn = (version: string): AssessmentDomain[] => domainsOf(attestedIn(version));

/** The practice's sections in every version (for tests and pages that list them all). */
export const ASSESSMENT_DOMAINS: AssessmentDomain[] = domainsOf(PRACTICE_REQUIREMENTS);

/** Where one section of an assessment stands, for the task list. */
export type DomainState = "not_started" | "in_progress" | "completed" | "submitted" | "returned" | "verified";

export const assessmentDomain = (key: string | undefined, version: string = DEFAULT_FRAMEWORK_VERSION) =>
  assessmentDomainsIn(version).find((d) => d.key === key);

/** The section after this one, or null after the last (then the practice checks its answers). */
export const nextDomainKey = (key: string, version: string = DEFAULT_FRAMEWORK_VERSION) => {
  const domains = assessmentDomainsIn(version);
  return domains[domains.findIndex((d) => d.key === key) + 1]?.key ?? null;
};

const blankToUndefined = (v: unknown) => (typeof v === "string" && v.trim() === "" ? undefined : v);

/** A link to evidence held elsewhere (an intranet page, a shared document): https only. */
export const httpsLink = (label: string) =>
  z.preprocess(
    blankToUndefined,
    z
      .string()
      .trim()
      .max(EVIDENCE_LINK_MAX, `${label} must be ${EVIDENCE_LINK_MAX} characters or fewer`)
      .optional()
      .transform((v, ctx) => {
        if (v === undefined) return null;
        let url: URL | null = null;
        try {
          url = new URL(v);
        } catch {
          url = null;
        }
        if (!url || url.protocol !== "https:" || !url.hostname || /\s/.test(v)) {
          ctx.addIssue({ code: "custom", message: `${label} must be a web address starting with https://` });
          return z.NEVER;
        }
        return v;
      }),
  );

const ANSWER_KEYS = Object.keys(ANSWERS) as [AttestedAnswer, ...AttestedAnswer[]];

/** One requirement's answer. Blank is allowed: the practice can save and come back later. */
const answerFields = (r: { id: string }) =>
  z.object({
    answer: z.preprocess(
      blankToUndefined,
      z
        .enum(ANSWER_KEYS, { message: `Select met, partly met, not met or not applicable for ${r.id}` })
        .optional()
        .transform((v) => v ?? null),
    ),
    evidence_note: optionalText(`The evidence note for ${r.id}`, EVIDENCE_NOTE_MAX),
    evidence_link: httpsLink(`The evidence link for ${r.id}`),
    // 0 means the requirement had no saved answer when the page was opened.
    version: z.coerce.number({ message: "This page is out of date. Reload it and try again." }).int().min(0),
  });
export type AnswerInput = z.infer<ReturnType<typeof answerFields>>;

const idField = (what: string) =>
  z.coerce
    .number({ message: `This page is out of date. Reload it and try again (${what}).` })
    .int()
    .positive();

/**
 * A domain's answers as posted (`SEC-04.answer`, `SEC-04.evidence_note`, ...) with the
 * assessment they belong to; the server also checks that assessment is the practice's own.
 */
export function domainAnswersSchema(requirements: readonly { id: string }[]) {
  const shape = Object.fromEntries(requirements.map((r) => [r.id, answerFields(r).optional()]));
  return z
    .preprocess(nestDotted, z.object({ assessment_id: idField("assessment"), ...shape }))
    .transform(({ assessment_id, ...answers }) => ({ assessment_id, answers: answers as Record<string, AnswerInput | undefined> }));
}
export type DomainAnswersInput = z.infer<ReturnType<typeof domainAnswersSchema>>;

/** How long a practice gives itself to finish a self-assessment it starts (the ICB can close it sooner). */
export const PRACTICE_STARTED_DAYS = 91;

/** The practice starts a self-assessment itself (no fields beyond the intent: the server decides everything else). */
export const StartAssessmentSchema = z.object({ intent: z.literal("start") });

/** A duty's answers as posted by the ICB or delivery partner (`SUP-02.answer`, ...), for one assessment. */
export const DutyAnswersSchema = domainAnswersSchema(DUTY_REQUIREMENTS);

export const SubmitSchema = z.object({ assessment_id: idField("assessment"), version: versionField });

/** Exactly one keyed entry of a form whose fields are named `<key>.<field>` (one form per item on a page). */
function onlyEntry<T>(rest: Record<string, unknown>, ctx: z.RefinementCtx, keyPattern: RegExp) {
  const entries = Object.entries(rest).filter(([k]) => keyPattern.test(k));
  if (entries.length !== 1) {
    ctx.addIssue({ code: "custom", path: [], message: "This page is out of date. Reload it and try again." });
    return z.NEVER;
  }
  return entries[0] as [string, T];
}

const requiredComment = (message: string) =>
  z.string({ message }).trim().min(1, message).max(COMMENT_MAX, `The comment must be ${COMMENT_MAX} characters or fewer`);

/** A practice disputes one automatic result: fields `<requirement id>.comment`, one form per result. */
export const DisputeSchema = z
  .preprocess(
    nestDotted,
    z
      .object({ intent: z.string().optional(), assessment_id: idField("assessment") })
      .catchall(z.object({ comment: requiredComment("Say why you think this result is wrong") })),
  )
  .transform(({ intent: _intent, assessment_id, ...rest }, ctx) => {
    const [requirement_id, v] = onlyEntry<{ comment: string }>(rest, ctx, /^[A-Z]{2,5}-\d{2,3}$/);
    return { assessment_id, requirement_id, comment: v.comment };
  });
export type DisputeInput = z.infer<typeof DisputeSchema>;

const decisionEntry = z
  .object({
    decision: z.preprocess(
      blankToUndefined,
      z.enum(["verify", "return"], { message: "Select verify or return to the practice" }).optional(),
    ),
    comment: optionalText("The comment", COMMENT_MAX),
    version: z.coerce.number({ message: "This page is out of date. Reload it and try again." }).int().positive(),
  })
  .superRefine((v, ctx) => {
    if (v.decision === "return" && !v.comment)
      ctx.addIssue({ code: "custom", path: ["comment"], message: "Say what the practice needs to change" });
  });

/**
 * The ICB's decisions on a submitted assessment's answers, in one form: `a<answer id>.decision`
 * (verify, return or blank for not yet), `.comment` (required to return) and `.version`.
 */
export const ReviewDecisionsSchema = z
  .preprocess(nestDotted, z.object({ intent: z.string().optional() }).catchall(decisionEntry))
  .transform(({ intent: _intent, ...rest }) =>
    Object.entries(rest)
      .filter(([k, v]) => /^a\d+$/.test(k) && v.decision)
      .map(([k, v]) => ({
        answer_id: Number(k.slice(1)),
        decision: v.decision as "verify" | "return",
        comment: v.comment,
        version: v.version,
      })),
  );
export type ReviewDecisionsInput = z.infer<typeof ReviewDecisionsSchema>;

export const VerifyAllSchema = z.object({
  intent: z.string().optional(),
  version: versionField,
  comment: optionalText("The comment", COMMENT_MAX),
});
export type VerifyAllInput = z.infer<typeof VerifyAllSchema>;

/** The ICB answers one dispute: fields `d<dispute id>.outcome`, `.resolution_comment`, `.version`. */
export const ResolveDisputeSchema = z
  .preprocess(
    nestDotted,
    z.object({ intent: z.string().optional() }).catchall(
      z.object({
        outcome: z.enum(["accepted", "rejected"], { message: "Select whether the practice is right or the result stands" }),
        resolution_comment: requiredComment("Explain your decision to the practice"),
        version: z.coerce.number({ message: "This page is out of date. Reload it and try again." }).int().positive(),
      }),
    ),
  )
  .transform(({ intent: _intent, ...rest }, ctx) => {
    const [key, v] = onlyEntry<{ outcome: "accepted" | "rejected"; resolution_comment: string; version: number }>(rest, ctx, /^d\d+$/);
    return { dispute_id: Number(key.slice(1)), ...v };
  });
export type ResolveDisputeInput = z.infer<typeof ResolveDisputeSchema>;

export const CYCLE_SCOPES = {
  all: "Every open practice in the ICB",
  pcn: "The practices in one PCN",
  list: "A list of practices",
} as const;

/** ODS codes typed or pasted in any mix of spaces, commas, semicolons and new lines. */
export const splitCodes = (text: string | null) => [
  ...new Set(
    (text ?? "")
      .toUpperCase()
      .split(/[\s,;]+/)
      .filter(Boolean),
  ),
];

export const OpenCycleSchema = z
  .object({
    name: z
      .string({ message: "Enter a name for the cycle, like Annual review 2026/27" })
      .trim()
      .min(1, "Enter a name for the cycle, like Annual review 2026/27")
      .max(CYCLE_NAME_MAX, `The name must be ${CYCLE_NAME_MAX} characters or fewer`),
    due_date: optionalDate("The due date"),
    scope: z.enum(["all", "pcn", "list"], { message: "Select which practices take part" }),
    pcn_code: optionalText("The PCN", 10),
    practice_codes: optionalText("The practice codes", 5000),
  })
  .superRefine((v, ctx) => {
    if (!v.due_date) ctx.addIssue({ code: "custom", path: ["due_date"], message: "Enter the due date, like 31/03/2027" });
    else if (v.due_date < todayIso()) ctx.addIssue({ code: "custom", path: ["due_date"], message: "The due date must be today or later" });
    if (v.scope === "pcn" && !v.pcn_code) ctx.addIssue({ code: "custom", path: ["pcn_code"], message: "Select the PCN" });
    if (v.scope === "list") {
      const codes = splitCodes(v.practice_codes);
      if (codes.length === 0)
        ctx.addIssue({ code: "custom", path: ["practice_codes"], message: "Enter the ODS codes of the practices, like F84003" });
      const bad = codes.filter((c) => !/^[A-Z0-9]{3,10}$/.test(c));
      if (bad.length)
        ctx.addIssue({ code: "custom", path: ["practice_codes"], message: `These are not ODS codes: ${bad.slice(0, 5).join(", ")}` });
    }
  })
  .transform((v) => ({
    name: v.name,
    due_date: v.due_date as string,
    selection:
      v.scope === "all"
        ? ({ all: true } as const)
        : v.scope === "pcn"
          ? { pcn: (v.pcn_code ?? "").toUpperCase() }
          : { practices: splitCodes(v.practice_codes) },
  }));
export type OpenCycleInput = z.infer<typeof OpenCycleSchema>;
export type CycleSelection = OpenCycleInput["selection"];

export const CloseCycleSchema = z.object({ version: versionField });

/** The cycle page's filters, from the URL; bad values are dropped. */
export const CYCLE_FILTERS = { ...ASSESSMENT_STATUSES, overdue: "Overdue" } as const;
export type CycleFilter = keyof typeof CYCLE_FILTERS;
export const CycleFiltersSchema = z.object({
  status: z
    .enum(Object.keys(CYCLE_FILTERS) as [CycleFilter, ...CycleFilter[]])
    .optional()
    .catch(undefined),
  q: z.preprocess((v) => (typeof v === "string" && v.trim() ? v.trim().slice(0, 100) : undefined), z.string().optional()),
});
export type CycleFilters = z.infer<typeof CycleFiltersSchema>;
