import { describe, expect, it } from "vitest";
import { packRegisterRows, unpackRegisterRows } from "~/modules/gaps/register-rows-wire";
import type { RegisterRow } from "~/modules/gaps/register.server";

const row = (id: number, estimatePence: number | null): RegisterRow => ({
  id,
  requirementId: "DEV-02",
  title: "Supported operating systems",
  practiceCode: "F84003",
  practiceName: "LOWER CLAPTON GROUP PRACTICE",
  reason: "7 of 23 desktops run Windows 10",
  funder: "icb",
  estimatePence,
  knownPence: 12_000,
  missing: estimatePence === null ? "a price for laptop replacement" : "",
  vatPence: estimatePence === null ? null : 2_400,
  elsewhere: "",
  priority: "high",
  priorityScore: 82,
  status: "open",
  firstSeen: "2026-11-21",
  deadline: "2027-03-31",
  selectable: estimatePence !== null,
});

describe("the gap register's rows as its loader sends them", () => {
  it("are arrays, not objects, and unpack to the rows packed, nulls and false included", () => {
    const rows = [row(1, 48_000), row(2, null)];
    const sent = JSON.parse(JSON.stringify(packRegisterRows(rows)));
    expect(sent.every(Array.isArray)).toBe(true);
    expect(unpackRegisterRows(sent)).toEqual(rows);
  });
});
