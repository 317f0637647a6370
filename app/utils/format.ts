const dateFmt = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "UTC" });

/** `2024-03-31` → `31 March 2024` (the NHS.UK date style). */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return "";
  const d = new Date(`${iso.slice(0, 10)}T00:00:00Z`);
  return Number.isNaN(d.getTime()) ? iso : dateFmt.format(d);
}

const londonDay = new Intl.DateTimeFormat("en-GB", { day: "numeric", month: "long", year: "numeric", timeZone: "Europe/London" });
const londonTime = new Intl.DateTimeFormat("en-GB", { hour: "2-digit", minute: "2-digit", timeZone: "Europe/London" });
const asDate = (d: Date | string) => (typeof d === "string" ? new Date(d) : d);

/**
 * The one way a moment (a timestamp, not a calendar date) is shown: in UK time (Europe/London, so
 * GMT or BST as the day was), "22 November 2026 at 14:03". Timestamps are stored in UTC.
 */
export function formatDateTime(d: Date | string | null | undefined): string {
  if (!d) return "";
  const date = asDate(d);
  return Number.isNaN(date.getTime()) ? String(d) : `${londonDay.format(date)} at ${londonTime.format(date)}`;
}

/** The time of day in UK time, "14:03" (for "started at …" on the same day). */
export function formatTime(d: Date | string): string {
  return londonTime.format(asDate(d));
}

export const formatNumber = (n: number | null | undefined) => (n === null || n === undefined ? "" : Number(n).toLocaleString("en-GB"));

const STATUS: Record<string, string> = { A: "Open", C: "Closed", D: "Dormant", P: "Proposed" };
export const practiceStatus = (code: string) => STATUS[code] ?? code;

const ACRONYMS = new Set(["nhs", "icb", "pcn", "gp", "uk", "ii", "iii", "iv", "hscn", "it"]);
/** Small words stay lower case inside a name ("Hackney and City", "Isle of Dogs"). */
const SMALL_WORDS = new Set(["and", "of", "the", "at", "in", "on", "upon", "for"]);
/** Inside hyphenated place names too ("Stoke-on-Trent", "Ashton-under-Lyne", "Weston-super-Mare"). */
const HYPHEN_SMALL_WORDS = new Set([...SMALL_WORDS, "under", "super", "by", "le", "en", "sur"]);

/** One word without spaces or hyphens, already lower case. */
function caseWord(w: string, first: boolean, inHyphen: boolean): string {
  // Codes such as A3A8R or U05451 keep their case (they came in upper case).
  if (/\d/.test(w)) return w.toUpperCase();
  const bare = w.replace(/[^a-z']/g, "");
  if (ACRONYMS.has(bare)) return w.toUpperCase();
  if (!first && (inHyphen ? HYPHEN_SMALL_WORDS : SMALL_WORDS).has(bare)) return w;
  // Capitalise the first letter, wherever it is after leading punctuation such as "(" or "&".
  let out = w.replace(/[a-z]/, (c) => c.toUpperCase());
  // O'Neill, O'Riordan: the Irish "O'" takes a capital after it; "Goodman's", "St Mary's", "P'ship" do not.
  out = out.replace(/^([^a-z]*o')([a-z])/i, (_m, pre: string, c: string) => pre + c.toUpperCase());
  return out;
}

/**
 * ODS names are upper case; title case reads better in tables. Codes and acronyms (NHS, ICB, PCN)
 * stay upper case; an apostrophe does not start a word ("Goodman's Field", not "Goodman'S"), except
 * the Irish "O'" ("O'Neill"); small words stay lower case inside a name.
 */
export function titleCase(name: string | null | undefined): string {
  if (!name) return "";
  // The same few thousand ODS names are cased on every page (a practice's name in every row of
  // an ICB's pages): keep the answers, which depend on the name alone (session 15, allocation).
  let cased = titleCased.get(name);
  if (cased === undefined) {
    cased = titleCaseOf(name);
    if (titleCased.size >= TITLE_CASED_KEPT) titleCased.clear();
    titleCased.set(name, cased);
  }
  return cased;
}

/** Names kept by titleCase: England has about 6,300 practices, 1,250 PCNs and 42 ICBs. */
const TITLE_CASED_KEPT = 20_000;
const titleCased = new Map<string, string>();

function titleCaseOf(name: string): string {
  let firstWord = true;
  return name
    .split(/(\s+)/)
    .map((token) => {
      if (/^\s+$/.test(token) || token === "") return token;
      const lower = /\d/.test(token) ? token : token.toLowerCase();
      const parts = lower.split("-");
      const cased = parts
        .map((part, i) => (part === "" ? part : caseWord(part, firstWord && i === 0, parts.length > 1 && i > 0)))
        .join("-");
      if (/[a-z0-9]/i.test(token)) firstWord = false;
      return cased;
    })
    .join("");
}

/**
 * A count with its noun in the right number: "1 practice", "2 practices", "1,204 devices".
 * `many` defaults to `one` + "s"; give it for irregular plurals ("duty", "duties").
 */
export function plural(n: number | null | undefined, one: string, many = `${one}s`): string {
  const count = Number(n ?? 0);
  return `${formatNumber(count)} ${count === 1 ? one : many}`;
}
