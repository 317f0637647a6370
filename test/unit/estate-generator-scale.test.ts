import { describe, expect, it } from "vitest";
import { generatePracticeEstate, type PracticeSeedInput } from "~/modules/seed/estate-generator";
import { NATIONAL_DEVICE_SCALE } from "~/modules/seed/national.server";

const practice = (ods: string, list: number, sites = 1): PracticeSeedInput => ({
  ods_code: ods,
  list_size: list,
  sites: Array.from({ length: sites }, (_, i) => ({
    code: i === 0 ? ods : `${ods}B${i}`,
    kind: i === 0 ? ("main" as const) : ("branch" as const),
  })),
});
const count = (devices: { device_type: string }[], type: string) => devices.filter((d) => d.device_type === type).length;

describe("generatePracticeEstate deviceScale", () => {
  it("changes nothing at scale 1", () => {
    expect(generatePracticeEstate(practice("F84003", 11000), 7, { deviceScale: 1 })).toEqual(
      generatePracticeEstate(practice("F84003", 11000), 7),
    );
  });

  it("scales staff kit with the list size and keeps one set of network kit per site", () => {
    const full = generatePracticeEstate(practice("A81001", 20000, 2)).devices;
    const national = generatePracticeEstate(practice("A81001", 20000, 2), undefined, { deviceScale: NATIONAL_DEVICE_SCALE }).devices;
    expect(count(full, "desktop")).toBe(50);
    expect(count(national, "desktop")).toBe(20);
    expect(count(national, "firewall")).toBe(2);
    expect(count(national, "network_switch")).toBe(2);
    expect(national.length / full.length).toBeGreaterThan(0.35);
    expect(national.length / full.length).toBeLessThan(0.5);
  });

  it("is reproducible from the seed and never gives a practice no desktops", () => {
    const a = generatePracticeEstate(practice("B82001", 1500), 42, { deviceScale: 0.4 });
    expect(generatePracticeEstate(practice("B82001", 1500), 42, { deviceScale: 0.4 })).toEqual(a);
    expect(count(a.devices, "desktop")).toBeGreaterThanOrEqual(2);
  });

  it("refuses a scale that is zero, negative or absurd", () => {
    expect(() => generatePracticeEstate(practice("B82001", 1500), 1, { deviceScale: 0 })).toThrow(/deviceScale/);
    expect(() => generatePracticeEstate(practice("B82001", 1500), 1, { deviceScale: 50 })).toThrow(/deviceScale/);
  });
});
