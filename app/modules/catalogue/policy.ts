import { z } from "zod";
import { DEFAULT_FRAMEWORK_VERSION, FRAMEWORK_VERSION_INPUTS } from "./versions";

/**
 * Local policy: values an ICB may set, each with a national default shown beside it. Figures the
 * research could not confirm are marked `unconfirmed`, so pages show them as defaults to check
 * rather than as national rules. Pure (no server imports): rules, pages and forms share it.
 */
interface Base {
  label: string;
  group:
    | "Framework"
    | "Device refresh"
    | "Security"
    | "Connectivity"
    | "Remote working"
    | "Telephony"
    | "Warnings"
    | "National dates"
    | "Paper and carbon"
    | "Funding";
  /** Where the default comes from (S-numbers refer to the research note's source register). */
  source: string;
  unconfirmed: boolean;
  hint?: string;
}
interface NumberDef extends Base {
  kind: "number";
  unit: string;
  default: number;
  min: number;
  max: number;
  step?: number;
}
interface DateDef extends Base {
  kind: "date";
  default: string;
}
interface ChoiceDef extends Base {
  kind: "choice";
  default: string;
  choices: Record<string, string>;
}
export type PolicyDefinition = NumberDef | DateDef | ChoiceDef;

const NO_NATIONAL_AGE = "No national age limit found; industry guidance 3-5 years (S29, S75)";

export const POLICY = {
  // Which edition of the operating model the ICB's practices are judged against. Changing it
  // queues a re-check of the ICB (policy.server.ts), since every practice's results change.
  framework_version: {
    kind: "choice",
    group: "Framework",
    label: "Framework version in force",
    default: DEFAULT_FRAMEWORK_VERSION,
    unconfirmed: false,
    choices: Object.fromEntries(FRAMEWORK_VERSION_INPUTS.map((v) => [v.id, v.name])) as Record<string, string>,
    source:
      "The 2021-23 model (S1) unless the ICB chooses the 2026 one (S16, secondary): the 2026 content is known only from trade press so far",
    hint: "Only requirements in this version are judged for the ICB's practices. Changing it re-checks every practice in the ICB in the background.",
  },
  // What a device import assumes for a Windows 10 or 11 device whose file gives no edition (an
  // Intune export often has none). Home and Pro end support years before Enterprise and Education,
  // so the choice moves DEV-02 and the estimate a lot: the import preview names it as an assumption.
  default_os_edition: {
    kind: "choice",
    group: "Device refresh",
    label: "Windows edition assumed when an import file does not give one",
    default: "not_known",
    unconfirmed: false,
    choices: {
      not_known: "Not known: judged on the Home and Pro dates, the shorter ones",
      Enterprise: "Enterprise",
      Education: "Education",
      Pro: "Pro",
    },
    source: "Local knowledge of the ICB's licensing; no national reference says which edition practices run",
    hint: "Used by device imports for Windows 10 and 11 devices when neither the file nor the register gives an edition.",
  },
  max_age_desktop: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of a desktop",
    unit: "years",
    default: 5,
    min: 1,
    max: 15,
    unconfirmed: true,
    source: NO_NATIONAL_AGE,
  },
  max_age_laptop: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of a laptop",
    unit: "years",
    default: 4,
    min: 1,
    max: 15,
    unconfirmed: true,
    source: NO_NATIONAL_AGE,
  },
  max_age_thin_client: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of a thin client",
    unit: "years",
    default: 6,
    min: 1,
    max: 15,
    unconfirmed: true,
    source: NO_NATIONAL_AGE,
  },
  max_age_tablet: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of a tablet",
    unit: "years",
    default: 4,
    min: 1,
    max: 15,
    unconfirmed: true,
    source: NO_NATIONAL_AGE,
  },
  max_age_server: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of a server",
    unit: "years",
    default: 5,
    min: 1,
    max: 15,
    unconfirmed: true,
    source: NO_NATIONAL_AGE,
  },
  max_age_network: {
    kind: "number",
    group: "Device refresh",
    label: "Maximum age of network kit (switches, firewalls, Wi-Fi access points)",
    unit: "years",
    default: 7,
    min: 1,
    max: 20,
    unconfirmed: true,
    source: "No national figure found; local choice",
  },
  patch_window_days: {
    kind: "number",
    group: "Security",
    label: "Patch window",
    unit: "days",
    default: 14,
    min: 1,
    max: 180,
    unconfirmed: true,
    source: "ICB patch-management rules (S16); 14 days for critical patches is a suggestion, not a confirmed figure",
  },
  min_bandwidth_per_user_mbps: {
    kind: "number",
    group: "Connectivity",
    label: "Minimum bandwidth per user",
    unit: "Mbps",
    default: 2,
    min: 0.1,
    max: 1000,
    step: 0.1,
    unconfirmed: true,
    source: "Internet First sizing by model office class (S68); class values not found",
  },
  user_count_basis: {
    kind: "choice",
    group: "Connectivity",
    label: "How users are counted",
    default: "devices",
    unconfirmed: false,
    choices: {
      devices: "Computers in use (desktops, laptops, thin clients, tablets)",
      list_size: "Registered patients divided by patients per user",
    },
    source: "Local choice",
    hint: "Used for bandwidth per user and remote working capacity.",
  },
  patients_per_user: {
    kind: "number",
    group: "Connectivity",
    label: "Registered patients per user",
    unit: "patients",
    default: 400,
    min: 50,
    max: 5000,
    unconfirmed: true,
    source: "Estimate (about one member of staff per 400 patients); used only when users are counted from list size",
  },
  remote_capacity_share: {
    kind: "number",
    group: "Remote working",
    label: "Remote access capacity",
    unit: "share of users",
    default: 0.6,
    min: 0.05,
    max: 1,
    step: 0.05,
    unconfirmed: false,
    source: "Operating model 2021-23: at least 60% of normal operational capacity (S1)",
  },
  min_concurrent_calls_per_1000: {
    kind: "number",
    group: "Telephony",
    label: "Simultaneous calls per 1,000 patients",
    unit: "calls",
    default: 1,
    min: 0.1,
    max: 20,
    step: 0.1,
    unconfirmed: true,
    source: "No national figure found (S17 asks for many simultaneous calls)",
  },
  eos_warning_days: {
    kind: "number",
    group: "Warnings",
    label: "Warn before end of support",
    unit: "days",
    default: 180,
    min: 0,
    max: 1095,
    unconfirmed: false,
    source: "Local choice",
  },
  contract_warning_days: {
    kind: "number",
    group: "Warnings",
    label: "Warn before a contract ends",
    unit: "days",
    default: 180,
    min: 0,
    max: 1095,
    unconfirmed: false,
    source: "Local choice",
  },
  warranty_warning_days: {
    kind: "number",
    group: "Warnings",
    label: "Warn before a warranty ends",
    unit: "days",
    default: 90,
    min: 0,
    max: 1095,
    unconfirmed: false,
    source: "Local choice",
  },
  pstn_switch_off_date: {
    kind: "date",
    group: "National dates",
    label: "PSTN (analogue line) switch-off",
    default: "2027-01-31",
    unconfirmed: false,
    source: "BT's revised migration deadline, reported in the trade press (S25, secondary)",
  },
  smartcard_client_change_date: {
    kind: "date",
    group: "National dates",
    label: "Last day the legacy Identity Agent works (Smartcard Connect replaces it)",
    default: "2027-02-28",
    unconfirmed: true,
    source:
      "The Identity Agent works until 28 February 2027 (issue #13 item 6); the research note says only February 2027 (S34), so the day is not confirmed there",
  },
  wifi_access_points_per_site: {
    kind: "number",
    group: "Connectivity",
    label: "Wi-Fi access points for a site without Wi-Fi",
    unit: "access points",
    default: 2,
    min: 1,
    max: 50,
    unconfirmed: true,
    source: "Estimate for costing; survey each site",
  },
  digital_message_share_target: {
    kind: "number",
    group: "Paper and carbon",
    label: "Share of patient messages sent digitally",
    unit: "share of messages",
    default: 0.8,
    min: 0.05,
    max: 1,
    step: 0.05,
    unconfirmed: true,
    source: "No national figure found; letters stay available for patients who need them (S42)",
    hint: "Used for PAP-04 and for the savings from moving letters to NHS App messages, text or email.",
  },
  recycled_paper_share_target: {
    kind: "number",
    group: "Paper and carbon",
    label: "Share of copier paper that is recycled",
    unit: "share of sheets",
    default: 1,
    min: 0.05,
    max: 1,
    step: 0.05,
    unconfirmed: false,
    source: "NHS procurement ambition of 100% recycled copier paper by 2025 (S45, secondary)",
  },
  // Separation of duties (issue #17 item 7): by default the person who raised a funding request
  // cannot approve it. A small ICB with one lead may allow it, with a reason recorded each time.
  funding_self_approval: {
    kind: "choice",
    group: "Funding",
    label: "Approving a funding request you raised yourself",
    default: "not_allowed",
    unconfirmed: false,
    choices: {
      not_allowed: "Not allowed: someone else at the ICB must approve it",
      with_reason: "Allowed, with a reason recorded each time",
    },
    source: "Local choice; separation of duties is the usual financial control",
    hint: "Applies to approving only: anyone who may decide can still reject a request.",
  },
} as const satisfies Record<string, PolicyDefinition>;

export type PolicyKey = keyof typeof POLICY;
export const POLICY_KEYS = Object.keys(POLICY) as PolicyKey[];
export type PolicyValues = { [K in PolicyKey]: (typeof POLICY)[K]["kind"] extends "number" ? number : string };

export const DEFAULT_POLICY = Object.fromEntries(POLICY_KEYS.map((k) => [k, POLICY[k].default])) as PolicyValues;

/** The policy a practice is checked against: its ICB's, or the national defaults. */
export const policyFor = (policies: Map<string, PolicyValues>, icbCode: string | null) =>
  (icbCode && policies.get(icbCode)) || DEFAULT_POLICY;

export const isPolicyKey = (k: string): k is PolicyKey => Object.prototype.hasOwnProperty.call(POLICY, k);

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Enter a date as YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Enter a real date");

/** The zod schema that validates one policy value, shared by the form and the service. */
export function policyValueSchema(key: PolicyKey) {
  const def: PolicyDefinition = POLICY[key];
  if (def.kind === "number") {
    return z.coerce
      .number({ message: `${def.label} must be a number` })
      .min(def.min, `${def.label} must be at least ${def.min}`)
      .max(def.max, `${def.label} must be at most ${def.max}`);
  }
  if (def.kind === "date") return isoDate;
  const choices = Object.keys(def.choices) as [string, ...string[]];
  return z.enum(choices, { message: `Choose one of: ${Object.values(def.choices).join("; ")}` });
}

export interface PolicyEntry {
  key: PolicyKey;
  definition: PolicyDefinition;
  value: number | string;
  default: number | string;
  overridden: boolean;
  source: string;
  unconfirmed: boolean;
  /** The override's version (for optimistic locking); null when the default applies. */
  version: number | null;
  updatedAt: Date | null;
  setBy: number | null;
}

export interface StoredOverride {
  key: string;
  value: unknown;
  version: number;
  updated_at: Date | null;
  set_by: number | null;
}

/** ICB overrides over the national defaults. Stored values that no longer validate are ignored. */
export function resolvePolicy(overrides: readonly StoredOverride[]): { values: PolicyValues; entries: PolicyEntry[] } {
  const byKey = new Map(overrides.map((o) => [o.key, o]));
  const values = { ...DEFAULT_POLICY } as Record<PolicyKey, number | string>;
  const entries = POLICY_KEYS.map((key): PolicyEntry => {
    const def: PolicyDefinition = POLICY[key];
    const o = byKey.get(key);
    const parsed = o ? policyValueSchema(key).safeParse(o.value) : null;
    const overridden = !!parsed?.success;
    if (parsed?.success) values[key] = parsed.data;
    return {
      key,
      definition: def,
      value: values[key],
      default: def.default,
      overridden,
      source: def.source,
      unconfirmed: def.unconfirmed,
      version: o?.version ?? null,
      updatedAt: o?.updated_at ?? null,
      setBy: o?.set_by ?? null,
    };
  });
  return { values: values as PolicyValues, entries };
}

/** The maximum age in years for a device type, or null when policy sets no limit for it. */
export function maxAgeFor(deviceType: string, policy: PolicyValues): number | null {
  switch (deviceType) {
    case "desktop":
      return policy.max_age_desktop;
    case "laptop":
      return policy.max_age_laptop;
    case "thin_client":
      return policy.max_age_thin_client;
    case "tablet":
      return policy.max_age_tablet;
    case "server":
      return policy.max_age_server;
    case "network_switch":
    case "firewall":
    case "wifi_access_point":
      return policy.max_age_network;
    default:
      return null;
  }
}

/** Plain description of a value with its unit, e.g. "5 years", "60%", "31 January 2027". */
export function describePolicyValue(key: PolicyKey, value: number | string): string {
  const def: PolicyDefinition = POLICY[key];
  if (def.kind === "choice") return def.choices[String(value)] ?? String(value);
  if (def.kind === "date") {
    const d = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(d.getTime())
      ? String(value)
      : d.toLocaleDateString("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });
  }
  if (def.unit === "share of users") return `${Math.round(Number(value) * 100)}%`;
  const n = Number(value);
  // "1 year", "1 access point": the units are written in the plural.
  return `${n.toLocaleString("en-GB")} ${n === 1 ? def.unit.replace(/s$/, "") : def.unit}`;
}
