import { ageInYears, supportStatus, type LifecycleRow, type SupportStatus } from "~/modules/os-lifecycle/support";
import { OS_DEVICE_TYPES, type DeviceType } from "./device-types";

/** The device facts the derived values read (a full device row satisfies it). */
export interface DeviceFacts {
  device_type: string;
  os_family: string | null;
  os_edition: string | null;
  os_version: string | null;
  esu_years: number | null;
  purchase_date: string | null;
  warranty_end: string | null;
  tpm_version: string | null;
  cpu_model: string | null;
  cpu_generation: number | null;
  ram_gb: number | null;
}

export interface DeviceDerived {
  /** Whole years since purchase on the as-of date; null when the purchase date is not known. */
  ageYears: number | null;
  support: SupportStatus;
  /** Warranty ended before the as-of date; null when the end date is not known. */
  warrantyExpired: boolean | null;
  /** Meets Windows 11's hardware floor; null when a fact is missing or the question does not apply. */
  win11Ready: boolean | null;
}

/** Windows 11 minimums (Microsoft's processor lists): Intel Core 8th generation, AMD Ryzen 2000 series. */
export const WIN11_MIN_RAM_GB = 4;
const WIN11_MIN_GENERATION = { intel: 8, amd: 2 } as const;

function cpuVendor(model: string | null): "intel" | "amd" | "other" {
  const m = (model ?? "").toLowerCase();
  if (/\b(amd|ryzen|athlon|epyc)\b/.test(m)) return "amd";
  // The form asks for the Intel Core generation, so a generation with no model is read that way.
  if (!m || /\b(intel|core|xeon|pentium|celeron)\b|\bi[3579]-/.test(m)) return "intel";
  return "other";
}

/** One pass/fail/unknown check per Windows 11 hardware requirement. */
function win11Checks(d: DeviceFacts): (boolean | null)[] {
  const tpm = d.tpm_version === null ? null : d.tpm_version === "2.0";
  const ram = d.ram_gb === null ? null : d.ram_gb >= WIN11_MIN_RAM_GB;
  const vendor = cpuVendor(d.cpu_model);
  const cpu = d.cpu_generation === null || vendor === "other" ? null : d.cpu_generation >= WIN11_MIN_GENERATION[vendor];
  return [tpm, cpu, ram];
}

/**
 * Can this device run Windows 11? A device already on Windows 11 can. Any failed requirement
 * means no, even when other facts are missing; otherwise a missing fact means not known. Devices
 * with no Windows to upgrade (a monitor, a Mac, a server) give null.
 */
export function win11Ready(d: DeviceFacts): boolean | null {
  if (!OS_DEVICE_TYPES.includes(d.device_type as DeviceType)) return null;
  if (d.os_family === "Windows 11") return true;
  if (d.os_family !== null && d.os_family !== "Windows 10") return null;
  const checks = win11Checks(d);
  if (checks.includes(false)) return false;
  return checks.includes(null) ? null : true;
}

/** Values the pages and compliance rules derive from a device on an as-of date (YYYY-MM-DD). */
export function deviceDerived(device: DeviceFacts, lifecycleIndex: Map<string, LifecycleRow>, asOf: string): DeviceDerived {
  return {
    ageYears: ageInYears(device.purchase_date, asOf),
    support: supportStatus(device, lifecycleIndex, asOf),
    warrantyExpired: device.warranty_end === null ? null : device.warranty_end < asOf,
    win11Ready: win11Ready(device),
  };
}
