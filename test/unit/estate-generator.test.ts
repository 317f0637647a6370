import { describe, expect, it } from "vitest";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { generatePracticeEstate } from "~/modules/seed/estate-generator";

const practice = (ods: string, list_size: number, branches = 0) => ({
  ods_code: ods,
  list_size,
  sites: [
    { code: ods, kind: "main" as const },
    ...Array.from({ length: branches }, (_, i) => ({ code: `${ods}00${i + 1}`, kind: "branch" as const })),
  ],
});

describe("generatePracticeEstate", () => {
  it("is reproducible: the same practice and seed give the same estate", () => {
    expect(generatePracticeEstate(practice("F84003", 11000))).toEqual(generatePracticeEstate(practice("F84003", 11000)));
    expect(generatePracticeEstate(practice("F84003", 11000), 1)).not.toEqual(generatePracticeEstate(practice("F84003", 11000), 2));
  });

  it("scales the device mix with list size", () => {
    const small = generatePracticeEstate(practice("F82018", 3000)).devices.length;
    const large = generatePracticeEstate(practice("F84039", 37000)).devices.length;
    expect(large).toBeGreaterThan(small * 4);
  });

  it("produces devices the register itself would accept, with unique tags", () => {
    const { devices } = generatePracticeEstate(practice("F84003", 11000, 1));
    const tags = new Set(devices.map((d) => d.asset_tag));
    expect(tags.size).toBe(devices.length);
    for (const d of devices) {
      const asForm = Object.fromEntries(
        Object.entries(d).map(([k, v]) => [
          k,
          v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v),
        ]),
      );
      const r = DeviceInputSchema.safeParse(asForm);
      expect(r.success, JSON.stringify(r.error?.issues)).toBe(true);
    }
  });

  it("gives a realistic share of Windows 10 and out-of-warranty kit across many practices", () => {
    const all = Array.from({ length: 60 }, (_, i) => generatePracticeEstate(practice(`F8${String(4000 + i)}`, 9000)).devices).flat();
    const pcs = all.filter((d) => d.os_family === "Windows 10" || d.os_family === "Windows 11");
    const win10 = pcs.filter((d) => d.os_family === "Windows 10").length / pcs.length;
    expect(win10).toBeGreaterThan(0.05);
    expect(win10).toBeLessThan(0.4);
    const expired = all.filter((d) => d.warranty_end! < "2026-11-01").length / all.length;
    expect(expired).toBeGreaterThan(0.2);
    expect(expired).toBeLessThan(0.8);
  });

  it("puts a few practices on analogue or ISDN telephony, with analogue lines at their sites", () => {
    const estates = Array.from({ length: 200 }, (_, i) => generatePracticeEstate(practice(`F8${String(5000 + i)}`, 8000)));
    const old = estates.filter((e) => ["analogue", "isdn"].includes(e.telephony[0].system_type as string));
    expect(old.length).toBeGreaterThan(4);
    expect(old.length).toBeLessThan(40);
    expect(old.every((e) => e.siteFacts.every((s) => s.analogue_lines >= 2))).toBe(true);
  });
});
