import { describe, expect, it } from "vitest";
import { num } from "~/modules/compliance/rules/helpers";
import { addDays } from "~/utils/today";

// The rules write numbers and dates into reasons whose text is hashed and stored: the fast paths
// must give exactly what Intl and Date give, or every stored outcome would change on the next run.

describe("num", () => {
  it("writes every number as toLocaleString('en-GB') does", () => {
    const values = [0, 1, 9, 10, 999, 1000, 1001, 9999, 10000, 12345, 99999, 100000, 351214, 999999, 1000000, 1234567, 12345678, 123456789];
    values.push(2 ** 31, 2 ** 32 + 7, Number.MAX_SAFE_INTEGER, Number.MAX_SAFE_INTEGER + 1, 1e21, 1e22);
    values.push(-0, -1, -1000, -1234567, 0.5, 1.25, 1234.5678, 1000.0004, NaN, Infinity, -Infinity);
    for (let i = 0; i < 2000; i++) values.push(Math.floor(Math.random() * 10 ** (1 + (i % 15))));
    for (const n of values) expect(num(n), String(n)).toBe(n.toLocaleString("en-GB"));
  });
});

describe("addDays", () => {
  /** What addDays always did: parse the text, move the day, print the date. */
  const byText = (iso: string, days: number) => {
    const d = new Date(`${iso}T00:00:00Z`);
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  };

  it("gives what parsing and printing the date gave, across month and year ends and leap days", () => {
    const dates = [
      "2024-02-28",
      "2024-02-29",
      "2023-02-28",
      "2025-12-31",
      "2026-01-01",
      "2026-12-07",
      "2000-02-28",
      "1900-02-28",
      "1000-01-01",
      "9999-12-28",
      "2026-03-29",
      "2026-10-25",
    ];
    for (let y = 1999; y <= 2031; y += 4)
      for (let m = 1; m <= 12; m++) dates.push(`${y}-${String(m).padStart(2, "0")}-${m === 2 ? "28" : "15"}`);
    const offsets = [0, 1, -1, 2, 27, 28, 29, 30, 31, 59, 60, 90, 180, 364, 365, 366, -365, -366, 730, 1461, -1461, 3650, 36500];
    for (const iso of dates) for (const days of offsets) expect(addDays(iso, days), `${iso} ${days}`).toBe(byText(iso, days));
  });

  it("takes the text way for anything else, and fails as it did on text that is not a date", () => {
    expect(addDays("9999-12-28", 10)).toBe(byText("9999-12-28", 10));
    expect(addDays("1000-01-01", -1)).toBe(byText("1000-01-01", -1));
    expect(addDays("2026-01-01", 1.5)).toBe(byText("2026-01-01", 1.5));
    expect(() => addDays("not a date", 1)).toThrow(RangeError);
    // Days past a month's end go the text way too, and come out as they always did.
    for (const iso of ["2026-02-29", "2026-02-30", "2026-04-31", "2024-02-29", "2026-01-31"])
      expect(addDays(iso, 1), iso).toBe(byText(iso, 1));
  });
});
