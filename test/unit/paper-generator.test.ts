import { describe, expect, it } from "vitest";
import { generatePracticeEstate, paperMonths } from "~/modules/seed/estate-generator";

const practice = (ods: string, list: number | null) => ({ ods_code: ods, list_size: list, sites: [{ code: ods, kind: "main" as const }] });
const many = Array.from({ length: 300 }, (_, i) => generatePracticeEstate(practice(`Z${String(10000 + i)}`, 4000 + i * 37)));

describe("synthetic paper records", () => {
  it("is reproducible from the seed", () => {
    const a = generatePracticeEstate(practice("F84003", 11000));
    expect(generatePracticeEstate(practice("F84003", 11000)).paperActivity).toEqual(a.paperActivity);
    expect(generatePracticeEstate(practice("F84003", 11000), 99).lloydGeorge).not.toEqual(a.lloydGeorge);
  });

  it("covers January of last year to the month before the reference date, in whole months", () => {
    const months = paperMonths("2026-11-01");
    expect(months[0]).toBe("2025-01");
    expect(months.at(-1)).toBe("2026-10");
    expect(months).toHaveLength(22);
    for (const e of many)
      for (const a of e.paperActivity) {
        expect(a.period_start).toMatch(/-01$/);
        expect(a.period_end.slice(0, 7)).toBe(a.period_start.slice(0, 7));
      }
  });

  it("gives 70-100% of the list size as records, some practices fully digitised and some not started", () => {
    let done = 0;
    let none = 0;
    for (const [i, e] of many.entries()) {
      const lg = e.lloydGeorge;
      const total = lg.envelopes_on_site! + lg.envelopes_elsewhere! + lg.destroyed!;
      const list = 4000 + i * 37;
      expect(total).toBeGreaterThanOrEqual(Math.floor(list * 0.7));
      expect(total).toBeLessThanOrEqual(list);
      expect(lg.destroyed!).toBeLessThanOrEqual(lg.digitised!);
      if (lg.digitised === total) done++;
      if (lg.digitised === 0) none++;
      if (lg.envelopes_on_site === 0) expect(e.siteFacts.every((s) => s.records_storage_m2 === 0)).toBe(true);
    }
    expect(done).toBeGreaterThan(20);
    expect(none).toBeGreaterThan(100);
  });

  it("leaves some months missing for some practices, and most complete", () => {
    const counts = many.map((e) => e.paperActivity.length);
    expect(counts.filter((n) => n === 22).length).toBeGreaterThan(150);
    expect(counts.filter((n) => n > 0 && n < 22).length).toBeGreaterThan(30);
    expect(counts.some((n) => n === 0)).toBe(true);
  });
});
