/**
 * Reads an operating system as inventory tools and people write it, e.g.
 * `Microsoft Windows 10 Pro 10.0.19045`, `Windows 11 Enterprise 23H2`, `Windows 10 Enterprise LTSC 2019`.
 * Pure and table-free, so the importer, the form and the rules share it.
 */
export interface OsIdentity {
  family: string;
  edition: string | null;
  version: string | null;
  build: string | null;
}

export const OS_FAMILIES = ["Windows 10", "Windows 11", "Windows Server", "macOS", "ChromeOS", "iOS", "iPadOS", "Android", "Linux", "Other"] as const;

// Windows 10/11 builds → feature-update names (Microsoft release information).
const WIN10_BUILDS: Record<string, string> = { "17763": "1809", "19041": "2004", "19042": "20H2", "19043": "21H1", "19044": "21H2", "19045": "22H2" };
const WIN11_BUILDS: Record<string, string> = { "22000": "21H2", "22621": "22H2", "22631": "23H2", "26100": "24H2", "26200": "25H2" };

const EDITIONS = [
  "IoT Enterprise LTSC 2021", "Enterprise LTSC 2021", "Enterprise LTSC 2019", "Enterprise LTSB 2016", "LTSC 2021", "LTSC 2019",
  "Pro for Workstations", "Pro Education", "Enterprise", "Education", "Professional", "Pro", "Home", "Datacenter", "Standard", "Essentials",
];

export function parseOsName(raw: string | null | undefined): OsIdentity | null {
  if (!raw) return null;
  const s = raw.replace(/\s+/g, " ").replace(/®|™|\(R\)|\(TM\)/gi, "").trim();
  if (!s) return null;
  const lower = s.toLowerCase();

  if (lower.includes("windows")) {
    const buildMatch = /\b10\.0\.(\d{5})(?:\.\d+)?\b/.exec(s) ?? /\bbuild (\d{5})\b/i.exec(s);
    const build = buildMatch ? buildMatch[1] : null;
    const versionMatch = /\b(\d{2}H[12]|1[5-9]\d{2}|2004)\b/.exec(s.replace(/\b10\.0\.\d+(\.\d+)?\b/, ""));
    if (lower.includes("server")) {
      const year = /server (\d{4})(?: r2)?/i.exec(s);
      return { family: "Windows Server", edition: findEdition(s), version: year ? year[0].slice(7).toUpperCase() : null, build };
    }
    let family = /windows 11/i.test(s) ? "Windows 11" : /windows 10/i.test(s) ? "Windows 10" : null;
    // Some tools report Windows 11 with a "Windows 10" caption; the build number decides.
    if (build && Number(build) >= 22000) family = "Windows 11";
    if (!family) return { family: "Other", edition: null, version: null, build };
    const builds = family === "Windows 11" ? WIN11_BUILDS : WIN10_BUILDS;
    let edition = findEdition(s);
    if (edition === "Professional") edition = "Pro";
    const version = (build && builds[build]) || (versionMatch ? versionMatch[1].toUpperCase() : null);
    return { family, edition, version, build };
  }
  const mac = /^(?:mac ?os(?: x)?|os x)\s*(\d+)(?:\.(\d+))?/i.exec(s);
  if (mac) return { family: "macOS", edition: null, version: mac[1], build: null };
  const chrome = /^chrome ?os(?: flex)?\s*(\d+)?/i.exec(s);
  if (chrome) return { family: "ChromeOS", edition: /flex/i.test(s) ? "Flex" : null, version: chrome[1] ?? null, build: null };
  const ipad = /^ipados\s*(\d+)?/i.exec(s);
  if (ipad) return { family: "iPadOS", edition: null, version: ipad[1] ?? null, build: null };
  const ios = /^ios\s*(\d+)?/i.exec(s);
  if (ios) return { family: "iOS", edition: null, version: ios[1] ?? null, build: null };
  const android = /^android\s*(\d+)?/i.exec(s);
  if (android) return { family: "Android", edition: null, version: android[1] ?? null, build: null };
  if (/ubuntu|debian|linux|red hat|rhel/i.test(s)) return { family: "Linux", edition: null, version: /(\d+(?:\.\d+)?)/.exec(s)?.[1] ?? null, build: null };
  return { family: "Other", edition: s.slice(0, 60), version: null, build: null };
}

function findEdition(s: string): string | null {
  for (const e of EDITIONS) if (new RegExp(`\\b${e.replace(/ /g, "\\s+")}\\b`, "i").test(s)) return e;
  return null;
}

/** The lifecycle row's edition group that a device's edition falls in. */
export function lifecycleEdition(family: string, edition: string | null, version: string | null): string | null {
  const e = (edition ?? "").toLowerCase();
  if (family === "Windows 10") {
    if (e.includes("iot") && e.includes("ltsc")) return "IoT Enterprise LTSC 2021";
    if (e.includes("ltsc") || e.includes("ltsb")) {
      if (e.includes("2019") || version === "1809") return "LTSC 2019";
      if (e.includes("2021") || version === "21H2") return "LTSC 2021";
      return null;
    }
    return "Home/Pro/Enterprise/Education";
  }
  if (family === "Windows 11") return e.includes("enterprise") || e.includes("education") ? "Enterprise/Education" : "Home/Pro";
  return edition;
}
