import type { TelephonyType } from "#db/types";
import { supportStatus, type LifecycleRow } from "~/modules/os-lifecycle/support";

/**
 * Unsupported operating systems and analogue telephony, PCN by PCN. The database groups in-use
 * devices by practice and operating system (a few rows per practice whatever the number of
 * devices); each group's support is decided here by the same function the device pages and the
 * rules use (os-lifecycle/support.ts), so the counts agree with DEV-02 and the device list.
 */
export interface DeviceOsGroup {
  practice_code: string;
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  esu_years: number | null;
  n: number;
}

export interface PracticeFacts {
  ods_code: string;
  pcn_code: string | null;
  pcn_name: string | null;
  /** Current telephony system's type; null when none is recorded. */
  system_type: TelephonyType | null;
  /** Open sites with at least one analogue line, and the lines across them. */
  analogue_sites: number;
  analogue_lines: number;
}

export interface PcnRiskRow {
  pcn_code: string | null;
  pcn_name: string;
  practices: number;
  devicesInUse: number;
  unsupported: number;
  esu: number;
  osUnknown: number;
  /** Practices with at least one unsupported in-use device. */
  practicesUnsupported: number;
  /** Current system analogue or ISDN. */
  telephonyAnalogue: number;
  telephonyOnPremises: number;
  telephonyCloud: number;
  telephonyNotRecorded: number;
  analogueSites: number;
  analogueLines: number;
}

export type RiskTotals = Omit<PcnRiskRow, "pcn_code" | "pcn_name">;

export const ANALOGUE_TYPES: readonly TelephonyType[] = ["analogue", "isdn"];

const zero = (): RiskTotals => ({
  practices: 0,
  devicesInUse: 0,
  unsupported: 0,
  esu: 0,
  osUnknown: 0,
  practicesUnsupported: 0,
  telephonyAnalogue: 0,
  telephonyOnPremises: 0,
  telephonyCloud: 0,
  telephonyNotRecorded: 0,
  analogueSites: 0,
  analogueLines: 0,
});

export function riskByPcn(
  practices: readonly PracticeFacts[],
  groups: readonly DeviceOsGroup[],
  lifecycle: Map<string, LifecycleRow>,
  asOf: string,
) {
  const perPractice = new Map<string, { inUse: number; unsupported: number; esu: number; unknown: number }>();
  for (const g of groups) {
    const p = perPractice.get(g.practice_code) ?? { inUse: 0, unsupported: 0, esu: 0, unknown: 0 };
    perPractice.set(g.practice_code, p);
    p.inUse += g.n;
    const state = supportStatus(g, lifecycle, asOf).state;
    if (state === "unsupported") p.unsupported += g.n;
    else if (state === "esu") p.esu += g.n;
    else if (state === "unknown") p.unknown += g.n;
  }
  const rows = new Map<string, PcnRiskRow>();
  for (const p of practices) {
    const key = p.pcn_code ?? "";
    const row = rows.get(key) ?? { pcn_code: p.pcn_code, pcn_name: p.pcn_code ? (p.pcn_name ?? p.pcn_code) : "No PCN", ...zero() };
    rows.set(key, row);
    const d = perPractice.get(p.ods_code);
    row.practices++;
    row.devicesInUse += d?.inUse ?? 0;
    row.unsupported += d?.unsupported ?? 0;
    row.esu += d?.esu ?? 0;
    row.osUnknown += d?.unknown ?? 0;
    if (d && d.unsupported > 0) row.practicesUnsupported++;
    if (p.system_type === null) row.telephonyNotRecorded++;
    else if (ANALOGUE_TYPES.includes(p.system_type)) row.telephonyAnalogue++;
    else if (p.system_type === "on_premises_digital") row.telephonyOnPremises++;
    else row.telephonyCloud++;
    row.analogueSites += p.analogue_sites;
    row.analogueLines += p.analogue_lines;
  }
  const list = [...rows.values()].sort((a, b) => (!a.pcn_code ? 1 : !b.pcn_code ? -1 : a.pcn_name.localeCompare(b.pcn_name, "en-GB")));
  const total = zero();
  for (const r of list) for (const k of Object.keys(total) as (keyof RiskTotals)[]) total[k] += r[k];
  return { rows: list, total };
}
