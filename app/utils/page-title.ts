/** The service's name, as the header and every page title carry it. */
export const SERVICE_NAME = "GP digital estate";

/**
 * A page title in the NHS.UK pattern: the page's own name first, then what it belongs to, then the
 * service ("Devices – Lower Clapton Group Practice – GP digital estate"). Empty parts (data not
 * loaded, say) are left out. A page showing an error summary gets "Error: " in front of this, on
 * the client (see ErrorSummary).
 */
export function pageTitle(...parts: (string | null | undefined | false)[]): string {
  return [...parts.filter((p): p is string => typeof p === "string" && p.trim() !== ""), SERVICE_NAME].join(" – ");
}
