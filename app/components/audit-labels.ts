import type { Role } from "#db/types";
import { ROLES } from "~/utils/permissions";

/**
 * Words for the codes the audit trail stores, so that a history reads as English:
 * "funding_request.create_and_submit" is "Funding request created and submitted", "in_use" is
 * "In use", "practice_manager:F82018" is "Practice manager (F82018)". Actions not named here are
 * spelt out from their code rather than shown raw.
 */
const ACTIONS: Record<string, string> = {
  "api_token.create": "API token created",
  "api_token.revoke": "API token revoked",
  "assessment.answer": "Answer saved",
  "assessment.create": "Self-assessment started",
  "assessment.start": "Self-assessment started",
  "assessment.dispute": "Answer returned to the practice",
  "assessment.dispute_resolve": "Returned answer resolved",
  "assessment.verify_answer": "Answer verified",
  "assessment_cycle.open": "Assessment cycle opened",
  "assessment_cycle.close": "Assessment cycle closed",
  "budget.set": "Budget set",
  "budget.change": "Budget changed",
  "compliance.recheck": "Compliance re-checked",
  "contract.create": "Contract added",
  "contract.update": "Contract changed",
  "contract.end": "Contract ended",
  "contracts.import": "Contracts imported",
  "device.create": "Device added",
  "device.update": "Device changed",
  "device.delete": "Device deleted",
  "device.retire": "Device retired",
  "device.import": "Devices imported",
  "funding_request.create": "Funding request created",
  "funding_request.create_and_submit": "Funding request created and submitted",
  "funding_request.update": "Funding request changed",
  "funding_request.submit": "Funding request submitted",
  "funding_request.approve": "Funding request approved",
  "funding_request.reject": "Funding request rejected",
  "funding_request.fund": "Funding request marked funded",
  "funding_request.deliver": "Funding request marked delivered",
  "membership.add": "Role added",
  "membership.remove": "Role removed",
  "policy.set": "Local policy set",
  "policy.reset": "Local policy put back to the national default",
  "price.add": "Price added",
  "site.create": "Site added",
  "site.delete": "Site deleted",
  "site.connectivity.update": "Connectivity changed",
  "site.premises.update": "Premises changed",
  "telephony.create": "Telephone system added",
  "telephony.update": "Telephone system changed",
  "telephony.end": "Telephone system replaced",
  "telephony.delete": "Past telephone system deleted",
  "user.create": "User added",
  "user.password_change": "Password changed",
  "user.password_reset": "Password reset",
  "user.password_reset_issued": "Password reset link issued",
};

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

/** "device.update" → "Device changed"; an unknown "foo_bar.do_this" → "Foo bar: do this". */
export function auditActionLabel(action: string): string {
  if (ACTIONS[action]) return ACTIONS[action];
  const [thing, ...what] = action.split(".");
  const words = (s: string) => s.replace(/_/g, " ");
  return what.length ? `${sentence(words(thing))}: ${what.map(words).join(", ")}` : sentence(words(thing));
}

/**
 * A stored value as people should read it: yes/no, a dash for nothing, role ids and snake_case codes
 * in words. Free text and numbers are shown as they are.
 */
export function auditValueLabel(v: unknown): string {
  if (v === null || v === undefined || v === "") return "—";
  if (typeof v === "boolean") return v ? "Yes" : "No";
  if (Array.isArray(v)) return v.map(auditValueLabel).join(", ");
  if (typeof v === "object") return JSON.stringify(v);
  const s = String(v);
  const role = /^([a-z_]+):([A-Z0-9]{3,10})$/.exec(s);
  if (role && role[1] in ROLES) return `${ROLES[role[1] as Role].label} (${role[2]})`;
  if (s in ROLES) return ROLES[s as Role].label;
  // A code such as in_use or on_premises (lower case words joined by underscores).
  if (/^[a-z][a-z0-9]*(_[a-z0-9]+)+$/.test(s)) return sentence(s.replace(/_/g, " "));
  return s;
}
