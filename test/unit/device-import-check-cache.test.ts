import { afterEach, describe, expect, it, vi } from "vitest";
import { checkKey, forgetCheck, keepCheck, keptChecks, keptPracticeCodes, recallCheck } from "~/modules/devices/import/check-cache.server";
import type { Preview } from "~/modules/devices/import/validate";

const previewOf = (rowsRead: number): Preview => ({
  rowsRead,
  counts: { create: rowsRead, update: 0, unchanged: 0, rejected: 0 },
  valid: [],
  issues: [],
  warnings: [],
  notes: [],
  groups: [],
  assumptions: [],
});
const key = (over: Partial<Parameters<typeof checkKey>[0]> = {}) =>
  checkKey({
    content: new TextEncoder().encode("a,b\n1,2\n"),
    mapping: [{ header: "a", target: "asset_tag" }],
    scope: { all: true },
    fixedPractice: null,
    asOf: "2026-11-22",
    ...over,
  });

describe("the kept check of an upload", () => {
  afterEach(() => {
    for (const id of ["u1", "u2", "u3"]) forgetCheck(id);
    vi.useRealTimers();
  });

  it("is recalled only for the same file, mapping, scope, practice, date and register rows", () => {
    const p = previewOf(10);
    keepCheck("u1", key(), "inputs-1", ["F84003"], p);
    expect(keptPracticeCodes("u1", key())).toEqual(["F84003"]);
    expect(recallCheck("u1", key(), "inputs-1")).toBe(p);
    // Any input differing means the rows are checked again.
    expect(recallCheck("u1", key(), "inputs-2")).toBeNull();
    expect(recallCheck("u2", key(), "inputs-1")).toBeNull();
    for (const other of [
      key({ content: new TextEncoder().encode("a,b\n1,3\n") }),
      key({ mapping: [{ header: "a", target: "serial_number" }] }),
      key({ scope: { all: false, icbCodes: ["QMF"], practiceCodes: [] } }),
      key({ fixedPractice: "F84003" }),
      key({ asOf: "2026-11-23" }),
    ]) {
      expect(other).not.toBe(key());
      expect(keptPracticeCodes("u1", other)).toBeNull();
      expect(recallCheck("u1", other, "inputs-1")).toBeNull();
    }
  });

  it("is forgotten once imported, and expires after half an hour", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-11-22T09:00:00Z"));
    keepCheck("u1", key(), "i", [], previewOf(1));
    forgetCheck("u1");
    expect(recallCheck("u1", key(), "i")).toBeNull();
    keepCheck("u2", key(), "i", [], previewOf(1));
    vi.setSystemTime(new Date("2026-11-22T09:29:00Z"));
    expect(keptPracticeCodes("u2", key())).toEqual([]);
    vi.setSystemTime(new Date("2026-11-22T09:31:00Z"));
    expect(keptPracticeCodes("u2", key())).toBeNull();
  });

  it("holds at most 150,000 rows, dropping the oldest checks first", () => {
    keepCheck("u1", key(), "i", [], previewOf(100_000));
    keepCheck("u2", key(), "i", [], previewOf(40_000));
    expect(keptChecks()).toBe(2);
    keepCheck("u3", key(), "i", [], previewOf(20_000));
    expect(recallCheck("u1", key(), "i")).toBeNull();
    expect(recallCheck("u2", key(), "i")).not.toBeNull();
    expect(recallCheck("u3", key(), "i")).not.toBeNull();
    // A single file larger than the cap is never kept.
    keepCheck("u1", key(), "i", [], previewOf(150_001));
    expect(recallCheck("u1", key(), "i")).toBeNull();
  });
});
