import { describe, expect, it } from "vitest";
import { formatDate, plural, titleCase } from "~/utils/format";

describe("titleCase", () => {
  it.each([
    ["LOWER CLAPTON GENERAL PRACTICE", "Lower Clapton General Practice"],
    ["NHS NORTH EAST LONDON ICB - A3A8R", "NHS North East London ICB - A3A8R"],
    ["BARKING & DAGENHAM EAST PCN", "Barking & Dagenham East PCN"],
    ["THE PORTICO, 34 LINSCOTT ROAD", "The Portico, 34 Linscott Road"],
    // Names from epraccur.csv that the old rule got wrong or that sit at its edges.
    ["GOODMAN'S FIELD HEALTH CENTRE", "Goodman's Field Health Centre"],
    ["ST MARY'S SURGERY", "St Mary's Surgery"],
    ["DR O'NEILL'S PRACTICE", "Dr O'Neill's Practice"],
    ["STOKE-ON-TRENT", "Stoke-on-Trent"],
    ["ASHTON-UNDER-LYNE", "Ashton-under-Lyne"],
    ["WESTON-SUPER-MARE", "Weston-super-Mare"],
    ["CITY AND HACKNEY", "City and Hackney"],
    ["THE DENSHAM SURGERY", "The Densham Surgery"],
    ["(THE) GROVE PRACTICE", "(The) Grove Practice"],
    ["N'HOOD HEALTH P'SHIP", "N'hood Health P'ship"],
    ["HACKNEY MARSHES PCN", "Hackney Marshes PCN"],
    ["GP IT", "GP IT"],
    ["E84061", "E84061"],
  ])("%s → %s", (input, expected) => expect(titleCase(input)).toBe(expected));

  it("gives the same answer from its kept names, before and after they are let go", () => {
    const names = Array.from({ length: 21_000 }, (_, i) => `DR O'NEILL'S PRACTICE ${i} STOKE-ON-TRENT`);
    names.forEach((name, i) => expect(titleCase(name)).toBe(`Dr O'Neill's Practice ${i} Stoke-on-Trent`));
    expect(titleCase(names[0])).toBe("Dr O'Neill's Practice 0 Stoke-on-Trent");
    expect(titleCase(names[20_999])).toBe("Dr O'Neill's Practice 20999 Stoke-on-Trent");
    expect(titleCase("ST MARY'S SURGERY")).toBe("St Mary's Surgery");
    expect([titleCase(null), titleCase(undefined), titleCase("")]).toEqual(["", "", ""]);
  });
});

describe("formatDate", () => {
  it("writes dates the NHS.UK way", () => expect(formatDate("2025-10-14")).toBe("14 October 2025"));
});

describe("plural", () => {
  it("puts the noun in the right number, with the count formatted", () => {
    expect(plural(1, "practice")).toBe("1 practice");
    expect(plural(0, "practice")).toBe("0 practices");
    expect(plural(2, "practice")).toBe("2 practices");
    expect(plural(1204, "device")).toBe("1,204 devices");
    expect(plural(1, "duty", "duties")).toBe("1 duty");
    expect(plural(3, "duty", "duties")).toBe("3 duties");
    expect(plural(1, "assessment is", "assessments are")).toBe("1 assessment is");
    expect(plural(null, "gap")).toBe("0 gaps");
  });
});
