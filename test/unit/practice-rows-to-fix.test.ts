import { describe, expect, it } from "vitest";
import { ownUnits, toFixText } from "~/modules/compliance/practice-rows";

describe("the practice page's 'To fix' line", () => {
  it("lists the units the requirement costs itself", () => {
    expect(
      toFixText([
        { quantity: 3, label: "Operating system upgrade" },
        { quantity: 1, label: "Replace a desktop or thin client" },
      ]),
    ).toBe("To fix: 3 × operating system upgrade; 1 × replace a desktop or thin client");
  });

  it("leaves out work costed under another requirement (quantity 0) instead of saying '0 × …'", () => {
    const units = [
      { quantity: 0, label: "Operating system upgrade" },
      { quantity: 2, label: "Replace a desktop or thin client" },
    ];
    expect(ownUnits(units)).toEqual([units[1]]);
    expect(toFixText(units)).toBe("To fix: 2 × replace a desktop or thin client");
  });

  it("says nothing when every unit is costed elsewhere", () => {
    expect(toFixText([{ quantity: 0, label: "Operating system upgrade" }])).toBe("");
  });
});
