import { SERVER_BUILDS, WIN10_BUILDS, WIN11_BUILDS } from "~/modules/os-lifecycle/parse";

/**
 * Reads the "OS version" device management reports (Intune: `10.0.26100.3476`) as a Windows
 * release. The build → release tables are parse.ts's, which a unit test keeps in step with the
 * lifecycle reference (reference.ts, from feeds.md §5): 19045 → Windows 10 22H2, 22631 →
 * Windows 11 23H2, 26100 → Windows 11 24H2, 26200 → 25H2. A build in neither is refused, never
 * stored as "Other": its end of support could not be judged.
 */

/** `10.0.19045`, `10.0.19045.3803`, `6.3.9600.20778`. */
const DOTTED = /^(\d{1,2})\.(\d{1,2})\.(\d{3,5})(?:\.(\d{1,6}))?$/;
/** Releases as people write them: 22H2, 1809, 2004; Windows Server 2019, 2012 R2. */
const WINDOWS_RELEASE = /^(\d{2}H[12]|1[5-9]\d{2}|2004|20\d{2}(?: R2)?)$/i;
const NUMERIC_VERSION = /^\d{1,4}(\.\d{1,6}){0,3}$/;

export const isDottedBuild = (v: string) => DOTTED.test(v.trim());

export type BuildReading =
  { ok: true; family: "Windows 10" | "Windows 11" | "Windows Server"; version: string; build: string } | { ok: false; message: string };

const KNOWN =
  "for example 10.0.19045 (Windows 10 22H2), 10.0.22631 (Windows 11 23H2), 10.0.26100 (Windows 11 24H2) or 10.0.26200 (Windows 11 25H2)";

/**
 * A Windows build string as a family and release. `server` when the OS column says Windows
 * Server (Windows 10 and Server share builds 14393 and 17763; Windows 11 and Server 2025, 26100).
 * The build is stored with its update revision (26100.3476), as device management reports it.
 */
export function windowsFromBuild(raw: string, server: boolean): BuildReading {
  const m = DOTTED.exec(raw.trim());
  if (!m) return { ok: false, message: `OS version "${raw}" is not a Windows build (such as 10.0.26100.3476) or release (such as 24H2)` };
  const [, major, minor, build, revision] = m;
  const stored = revision ? `${build}.${revision}` : build;
  const kernel = `${major}.${minor}`;
  if (server && (kernel === "10.0" || kernel === "6.2" || kernel === "6.3") && SERVER_BUILDS[build]) {
    return { ok: true, family: "Windows Server", version: SERVER_BUILDS[build], build: stored };
  }
  if (kernel === "10.0" && !server) {
    if (WIN11_BUILDS[build]) return { ok: true, family: "Windows 11", version: WIN11_BUILDS[build], build: stored };
    if (WIN10_BUILDS[build]) return { ok: true, family: "Windows 10", version: WIN10_BUILDS[build], build: stored };
  }
  return {
    ok: false,
    message: `OS version ${raw.trim()}: build ${build} is not a ${server ? "Windows Server" : "Windows"} release in the OS lifecycle reference, so its end of support cannot be judged (${KNOWN})`,
  };
}

/** Why a version that is not a build string cannot be right for this family, or null. */
export function versionProblem(family: string, version: string): string | null {
  const v = version.trim();
  if (!v) return null;
  if (family.startsWith("Windows")) {
    return WINDOWS_RELEASE.test(v) ? null : `OS version "${v}" is not a Windows build (such as 10.0.26100.3476) or release (such as 24H2)`;
  }
  if (["macOS", "iOS", "iPadOS", "Android", "ChromeOS"].includes(family)) {
    return NUMERIC_VERSION.test(v) ? null : `OS version "${v}" is not a version number for ${family} (such as 17.4.1)`;
  }
  return null;
}
