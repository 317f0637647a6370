import { afterEach, describe, expect, it, vi } from "vitest";
import { forgetParsed, keepParsed, recallParsed } from "~/modules/devices/import/parsed-cache.server";
import type { ParsedTable } from "~/modules/devices/import/parse.server";

const tableOf = (rows: number): ParsedTable => ({
  format: "csv",
  headers: ["Asset tag"],
  rows: Array.from({ length: rows }, (_, i) => ({ row: i + 2, cells: [`A-${i}`] })),
});
const content = (n: number) => new Uint8Array(n);

describe("the kept parse of an upload", () => {
  afterEach(() => {
    for (const id of ["u1", "u2", "u3"]) forgetParsed(id);
    vi.useRealTimers();
  });

  it("is recalled for the same upload and content, and not once forgotten", () => {
    const t = tableOf(3);
    keepParsed("u1", content(100), t);
    expect(recallParsed("u1", content(100))).toBe(t);
    expect(recallParsed("u1", content(101))).toBeNull();
    expect(recallParsed("u2", content(100))).toBeNull();
    forgetParsed("u1");
    expect(recallParsed("u1", content(100))).toBeNull();
  });

  it("holds at most 100,000 rows, dropping the oldest, and forgets after ten minutes", () => {
    vi.useFakeTimers();
    keepParsed("u1", content(1), tableOf(60_000));
    keepParsed("u2", content(1), tableOf(30_000));
    expect(recallParsed("u1", content(1))).not.toBeNull();
    keepParsed("u3", content(1), tableOf(20_000));
    expect(recallParsed("u1", content(1))).toBeNull();
    expect(recallParsed("u2", content(1))).not.toBeNull();
    keepParsed("u1", content(1), tableOf(100_001));
    expect(recallParsed("u1", content(1))).toBeNull();
    vi.advanceTimersByTime(10 * 60_000 + 1);
    expect(recallParsed("u2", content(1))).toBeNull();
  });
});
