import type { Role } from "#db/types";

/**
 * Permissions as data (shared by server and client). The server is the only place they are
 * enforced; the client uses the same map only to hide controls a user cannot use.
 */
export const ROLES: Record<Role, { label: string; scope: "all" | "icb" | "icb-or-practice" | "practice" }> = {
  admin: { label: "Admin", scope: "all" },
  icb_lead: { label: "ICB digital lead", scope: "icb" },
  delivery_partner: { label: "GP IT delivery partner", scope: "icb-or-practice" },
  practice_manager: { label: "Practice manager", scope: "practice" },
};

export type Permission =
  | "org:read"
  | "user:manage"
  | "estate.icb:write"
  | "estate.practice:write"
  | "assessment:attest"
  | "assessment:verify"
  | "assessment:partner"
  | "funding:request"
  | "funding:decide"
  | "policy:manage"
  | "report:export"
  /** The supplier contracts register: ICB leads for their ICBs, delivery partners for the practices they serve. */
  | "contract:manage";

export const ROLE_PERMISSIONS: Record<Role, readonly Permission[]> = {
  admin: [
    "org:read",
    "user:manage",
    "estate.icb:write",
    "estate.practice:write",
    "assessment:attest",
    "assessment:verify",
    "assessment:partner",
    "funding:request",
    "funding:decide",
    "policy:manage",
    "report:export",
    "contract:manage",
  ],
  icb_lead: ["org:read", "assessment:verify", "funding:request", "funding:decide", "policy:manage", "report:export", "contract:manage"],
  // assessment:partner: answers the self-assessment duties the operating model puts on the delivery partner (SUP-01, SUP-05).
  delivery_partner: ["org:read", "estate.icb:write", "assessment:partner", "funding:request", "report:export", "contract:manage"],
  practice_manager: ["org:read", "estate.practice:write", "assessment:attest"],
};

export interface MembershipLike {
  role: Role;
  icb_code: string | null;
  practice_code: string | null;
}

/** Where a permission applies: everywhere, or the union of some ICBs and some practices. */
export type Scope = { all: true } | { all: false; icbCodes: string[]; practiceCodes: string[] };

export function scopeFor(memberships: readonly MembershipLike[], permission: Permission): Scope {
  const icbCodes = new Set<string>();
  const practiceCodes = new Set<string>();
  for (const m of memberships) {
    if (!ROLE_PERMISSIONS[m.role].includes(permission)) continue;
    if (m.role === "admin") return { all: true };
    if (m.icb_code) icbCodes.add(m.icb_code);
    if (m.practice_code) practiceCodes.add(m.practice_code);
  }
  return { all: false, icbCodes: [...icbCodes].sort(), practiceCodes: [...practiceCodes].sort() };
}

export const scopeIsEmpty = (s: Scope) => !s.all && s.icbCodes.length === 0 && s.practiceCodes.length === 0;

/** Does the scope cover a practice, given the ICB that practice belongs to? */
export function scopeCoversPractice(s: Scope, practice: { ods_code: string; icb_code: string | null }) {
  if (s.all) return true;
  return s.practiceCodes.includes(practice.ods_code) || (!!practice.icb_code && s.icbCodes.includes(practice.icb_code));
}

/** ICB-level pages (ICB, sub-ICB, PCN) need ICB-wide scope, not a single practice. */
export function scopeCoversIcb(s: Scope, icbCode: string | null) {
  if (s.all) return true;
  return !!icbCode && s.icbCodes.includes(icbCode);
}

export function hasPermission(memberships: readonly MembershipLike[], permission: Permission) {
  return !scopeIsEmpty(scopeFor(memberships, permission));
}

/** Who may change an ICB's local policy, prices and budgets: its digital lead and admins (policy:manage for that ICB). */
export const canManagePolicy = (memberships: readonly MembershipLike[], icbCode: string) =>
  scopeCoversIcb(scopeFor(memberships, "policy:manage"), icbCode);
