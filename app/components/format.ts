const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** `2024-03-31` → `31 March 2024` (the NHS.UK date style). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en-GB"));

const STATUS: Record<string, string> = { A: "Open", C: "Closed", D: "Dormant", P: "Proposed" };
export const practiceStatus = (code: string) => STATUS[code] ?? code;

/** ODS names are upper case; title case reads better in tables but codes and NHS stay as they are. */
export function titleCase(name: string | null | undefined): string {
  if (!name) return "";
  return name
    .split(/(\s+)/)
    // Codes such as A3A8R or U05451 keep their case; only words are recased.
    .map((w) => (/\d/.test(w) ? w : w.toLowerCase()))
    .join("")
    .replace(/\b([a-z])/g, (c) => c.toUpperCase())
    .replace(/\b(Nhs|Icb|Pcn|Gp|Uk|Ii|Iii)\b/g, (w) => w.toUpperCase())
    .replace(/\b(And|Of|The|At|In|On)\b/g, (w, _m, offset) => (offset === 0 ? w : w.toLowerCase()));
}
