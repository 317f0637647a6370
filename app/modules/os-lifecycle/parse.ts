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

export const OS_FAMILIES = [
  "Windows 10",
  "Windows 11",
  "Windows Server",
  "macOS",
  "ChromeOS",
  "iOS",
  "iPadOS",
  "Android",
  "Linux",
  "Other",
] as const;

// Builds → release names (Microsoft release information; the same builds, with their sources, are
// rows of reference.ts, and a unit test keeps the two in step). Windows 10 and Windows Server share
// builds 14393 and 17763; Windows 11, LTSC 2024 and Server 2025 share 26100: the family and
// edition decide which lifecycle row applies (see lifecycleEditions).
export const WIN10_BUILDS: Record<string, string> = {
  "10240": "1507",
  "10586": "1511",
  "14393": "1607",
  "15063": "1703",
  "16299": "1709",
  "17134": "1803",
  "17763": "1809",
  "18362": "1903",
  "18363": "1909",
  "19041": "2004",
  "19042": "20H2",
  "19043": "21H1",
  "19044": "21H2",
  "19045": "22H2",
};
export const WIN11_BUILDS: Record<string, string> = {
  "22000": "21H2",
  "22621": "22H2",
  "22631": "23H2",
  "26100": "24H2",
  "26200": "25H2",
  "28000": "26H1",
};
export const SERVER_BUILDS: Record<string, string> = {
  "9200": "2012",
  "9600": "2012 R2",
  "14393": "2016",
  "17763": "2019",
  "20348": "2022",
  "26100": "2025",
};

/** A long-term servicing edition's release, when the caption names the edition but not the version. */
const LTS_RELEASES: [RegExp, string][] = [
  [/2015/, "1507"],
  [/2016/, "1607"],
  [/2019/, "1809"],
  [/2021/, "21H2"],
  [/2024/, "24H2"],
];

// Longest first: the first match wins.
const EDITIONS = [
  "IoT Enterprise LTSC 2024",
  "IoT Enterprise LTSC 2021",
  "IoT Enterprise LTSC 2019",
  "Enterprise LTSC 2024",
  "Enterprise LTSC 2021",
  "Enterprise LTSC 2019",
  "Enterprise LTSB 2016",
  "Enterprise 2016 LTSB",
  "Enterprise LTSB 2015",
  "Enterprise 2015 LTSB",
  "LTSC 2024",
  "LTSC 2021",
  "LTSC 2019",
  "LTSB 2016",
  "LTSB 2015",
  "IoT Enterprise LTSC",
  "Enterprise LTSC",
  "Enterprise LTSB",
  "IoT Enterprise",
  "Pro for Workstations",
  "Pro Education",
  "Enterprise",
  "Education",
  "Professional",
  "Pro",
  "Home",
  "Datacenter",
  "Standard",
  "Essentials",
];

export function parseOsName(raw: string | null | undefined): OsIdentity | null {
  if (!raw) return null;
  const s = raw
    .replace(/\s+/g, " ")
    .replace(/®|™|\(R\)|\(TM\)/gi, "")
    .trim();
  if (!s) return null;
  const lower = s.toLowerCase();

  if (lower.includes("windows")) {
    // 10.0.26200.1234 (Windows 10 and later, Server 2016 and later); 6.2.9200 / 6.3.9600 (Server 2012 / 2012 R2).
    const buildMatch =
      /\b10\.0\.(\d{5})(?:\.\d+)?\b/.exec(s) ?? /\b6\.[23]\.(9[26]00)(?:\.\d+)?\b/.exec(s) ?? /\bbuild (\d{4,5})\b/i.exec(s);
    const build = buildMatch ? buildMatch[1] : null;
    const versionMatch = /\b(\d{2}H[12]|1[5-9]\d{2}|2004)\b/.exec(s.replace(/\b(?:10\.0|6\.[23])\.\d+(\.\d+)?\b/, ""));
    if (lower.includes("server")) {
      const year = /server (\d{4})(?: r2)?/i.exec(s);
      const version = year ? year[0].slice(7).toUpperCase() : (build && SERVER_BUILDS[build]) || null;
      return { family: "Windows Server", edition: findEdition(s), version, build };
    }
    let family = /windows 11/i.test(s) ? "Windows 11" : /windows 10/i.test(s) ? "Windows 10" : null;
    // Some tools report Windows 11 with a "Windows 10" caption; the build number decides.
    if (build && Number(build) >= 22000) family = "Windows 11";
    if (!family) return { family: "Other", edition: null, version: null, build };
    const builds = family === "Windows 11" ? WIN11_BUILDS : WIN10_BUILDS;
    let edition = findEdition(s);
    if (edition === "Professional") edition = "Pro";
    let version = (build && builds[build]) || (versionMatch ? versionMatch[1].toUpperCase() : null);
    if (!version && edition && /lts[bc]/i.test(edition)) version = LTS_RELEASES.find(([re]) => re.test(edition))?.[1] ?? null;
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
  if (/ubuntu|debian|linux|red hat|rhel/i.test(s))
    return { family: "Linux", edition: null, version: /(\d+(?:\.\d+)?)/.exec(s)?.[1] ?? null, build: null };
  return { family: "Other", edition: s.slice(0, 60), version: null, build: null };
}

function findEdition(s: string): string | null {
  for (const e of EDITIONS) if (new RegExp(`\\b${e.replace(/ /g, "\\s+")}\\b`, "i").test(s)) return e;
  return null;
}

/** Windows 10 releases whose editions all share one date are stored under this combined group. */
export const WIN10_ALL_EDITIONS = "Home/Pro/Enterprise/Education";

/**
 * The lifecycle rows' edition groups a device's edition falls in, most specific first: a device
 * takes the first that has a row for its version. Enterprise and Education get longer support
 * than Home and Pro; an unknown edition is read as Home/Pro (the shorter, so never overstated).
 * Long-term servicing editions have their own rows: LTSC 2024 is not the 24H2 release.
 */
export function lifecycleEditions(family: string, edition: string | null, version: string | null): string[] {
  const e = (edition ?? "").toLowerCase();
  const lts = e.includes("ltsc") || e.includes("ltsb");
  const enterprise = e.includes("enterprise") || e.includes("education");
  if (family === "Windows 10") {
    if (lts) {
      if (e.includes("iot") && (e.includes("2021") || version === "21H2")) return ["IoT Enterprise LTSC 2021"];
      if (e.includes("2015") || version === "1507") return ["LTSB 2015"];
      if (e.includes("2016") || version === "1607") return ["LTSB 2016"];
      if (e.includes("2019") || version === "1809") return ["LTSC 2019"];
      if (e.includes("2021") || version === "21H2") return ["LTSC 2021"];
      return [];
    }
    return [enterprise ? "Enterprise/Education" : "Home/Pro", WIN10_ALL_EDITIONS];
  }
  if (family === "Windows 11") {
    if (lts)
      return e.includes("2024") || version === "24H2" ? [e.includes("iot") ? "IoT Enterprise LTSC 2024" : "Enterprise LTSC 2024"] : [];
    return [enterprise ? "Enterprise/Education" : "Home/Pro"];
  }
  if (family === "Windows Server") return ["All editions"];
  return edition ? [edition] : [];
}

/** The lifecycle row's edition group that a device's edition falls in (the most specific). */
export function lifecycleEdition(family: string, edition: string | null, version: string | null): string | null {
  return lifecycleEditions(family, edition, version)[0] ?? null;
}
