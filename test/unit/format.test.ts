import { describe, expect, it } from "vitest";
import { formatDate, titleCase } from "~/components/format";

describe("titleCase", () => {
  it.each([
    ["LOWER CLAPTON GENERAL PRACTICE", "Lower Clapton General Practice"],
    ["NHS NORTH EAST LONDON ICB - A3A8R", "NHS North East London ICB - A3A8R"],
    ["BARKING & DAGENHAM EAST PCN", "Barking & Dagenham East PCN"],
    ["THE PORTICO, 34 LINSCOTT ROAD", "The Portico, 34 Linscott Road"],
  ])("%s → %s", (input, expected) => expect(titleCase(input)).toBe(expected));
});

describe("formatDate", () => {
  it("writes dates the NHS.UK way", () => expect(formatDate("2025-10-14")).toBe("14 October 2025"));
});
