import { supportStatus } from "~/modules/os-lifecycle/support";
import type { Finding, PracticeEstate } from "~/modules/catalogue/rule-types";
import { EXTERNAL_DATE_LIST } from "~/modules/catalogue/external-dates";
import type { Due } from "./deadline";

/** Requirements about the operating systems of the devices they name. */
const OS_REQUIREMENTS: ReadonlySet<string> = new Set(["DEV-02", "DEV-04", "SEC-03", "SEC-05"]);

/**
 * The device's own date for an operating-system gap: the earliest end of support among the
 * devices the finding names as failing (from the OS lifecycle table, through os-lifecycle's
 * supportStatus, so new lifecycle data flows in). Named after the national date it matches
 * ("Windows 10 end of support"), else after the OS. Null for other requirements, or when no
 * failing device has a known end date.
 */
export function dueFromEstate(requirementId: string, finding: Finding, estate: PracticeEstate, asOf: string): Due | null {
  if (!OS_REQUIREMENTS.has(requirementId)) return null;
  const failing = new Set(finding.evidence.filter((r) => r.type === "device" && r.outcome === "fail").map((r) => r.id));
  if (failing.size === 0) return null;
  let best: { date: string; os: string } | null = null;
  for (const d of estate.devices) {
    if (!failing.has(String(d.id))) continue;
    const s = supportStatus(d, estate.lifecycle, asOf);
    if (!s.endOfSupport) continue;
    if (!best || s.endOfSupport < best.date)
      best = { date: s.endOfSupport, os: [d.os_family, d.os_edition, d.os_version].filter(Boolean).join(" ") };
  }
  if (!best) return null;
  const family = best.os.split(" ").slice(0, 2).join(" ");
  const named = EXTERNAL_DATE_LIST.find((x) => x.date === best!.date && x.label.startsWith(family));
  return { date: best.date, label: named ? named.label : `${best.os} end of support` };
}
