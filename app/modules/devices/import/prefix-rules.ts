import { z } from "zod";
import { OdsCodeSchema } from "~/modules/org/schema";
import type { MappedRecord } from "./map";

/**
 * Placing devices at practices by the start of their name ("LCP-" → F84003): the one matcher the
 * device import and the Intune sync (device-sync/map.ts) share. Pure.
 */
export interface PrefixRule {
  value: string;
  practice_code: string;
}

/** The rule with the longest prefix the name starts with (case-insensitive), or null. */
export function matchPrefix<R extends PrefixRule>(deviceName: string, rules: readonly R[]): R | null {
  const name = deviceName.trim().toLowerCase();
  if (!name) return null;
  const matching = rules.filter((r) => r.value && name.startsWith(r.value.toLowerCase()));
  return matching.sort((a, b) => b.value.length - a.value.length)[0] ?? null;
}

export const PREFIX_RULES_MAX = 500;

/**
 * Rules as the import page takes them: one a line, the prefix then the practice's ODS code
 * ("LCP- F84003", "LCP-, F84003" or "LCP- = F84003"). Blank lines are skipped; each bad line is
 * named by its number.
 */
export function parsePrefixRules(text: string): { ok: true; rules: PrefixRule[] } | { ok: false; message: string } {
  const rules: PrefixRule[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    const line = raw.trim();
    if (!line) continue;
    const m = /^(.+?)\s*(?:[=,;\t]|\s)\s*([A-Za-z0-9]+)$/.exec(line);
    const code = m ? OdsCodeSchema.safeParse(m[2].toUpperCase()) : null;
    if (!m || !code?.success)
      return {
        ok: false,
        message: `Line ${i + 1} ("${line.slice(0, 40)}"): write the start of the device name, then the practice's ODS code`,
      };
    const value = m[1].trim();
    if (value.length > 50) return { ok: false, message: `Line ${i + 1}: a device-name prefix can be at most 50 characters` };
    if (rules.some((r) => r.value.toLowerCase() === value.toLowerCase()))
      return { ok: false, message: `Line ${i + 1}: the prefix "${value}" is given twice` };
    rules.push({ value, practice_code: code.data });
  }
  if (rules.length > PREFIX_RULES_MAX) return { ok: false, message: `At most ${PREFIX_RULES_MAX} prefixes` };
  return { ok: true, rules };
}

/** Rules as stored with an upload (anything else is read as none). */
export const StoredPrefixRules = z.array(z.object({ value: z.string().min(1), practice_code: z.string().min(1) })).catch([]);

/**
 * Gives each row that names no practice the practice of the longest prefix its device name starts
 * with. A row that names a practice keeps it (and is checked as usual); one no rule matches is
 * left without, and is refused with the reason.
 */
export function placeByPrefix(records: MappedRecord[], rules: readonly PrefixRule[] | undefined): MappedRecord[] {
  if (!rules?.length) return records;
  return records.map((r) => {
    if (r.values.practice_ods_code?.trim()) return r;
    const rule = matchPrefix(r.values.device_name ?? "", rules);
    return rule ? { ...r, values: { ...r.values, practice_ods_code: rule.practice_code } } : r;
  });
}
