import { describe, expect, it } from "vitest";
import { scopeCoversIcb, scopeCoversPractice, scopeFor, scopeIsEmpty } from "~/utils/permissions";
import { safeRedirect } from "~/utils/redirect";

describe("scopeFor", () => {
  it("gives admins everything", () => {
    expect(scopeFor([{ role: "admin", icb_code: null, practice_code: null }], "user:manage")).toEqual({ all: true });
  });

  it("unions the scopes of every membership that grants the permission", () => {
    const s = scopeFor(
      [
        { role: "icb_lead", icb_code: "QMF", practice_code: null },
        { role: "practice_manager", icb_code: null, practice_code: "A81001" },
      ],
      "org:read",
    );
    expect(s).toEqual({ all: false, icbCodes: ["QMF"], practiceCodes: ["A81001"] });
  });

  it("ignores memberships whose role lacks the permission", () => {
    const s = scopeFor([{ role: "practice_manager", icb_code: null, practice_code: "F84003" }], "estate.icb:write");
    expect(scopeIsEmpty(s)).toBe(true);
    const dp = scopeFor([{ role: "delivery_partner", icb_code: "QMF", practice_code: null }], "funding:decide");
    expect(scopeIsEmpty(dp)).toBe(true);
  });

  it("decides practice and ICB coverage", () => {
    const s = scopeFor([{ role: "delivery_partner", icb_code: null, practice_code: "F84003" }], "org:read");
    expect(scopeCoversPractice(s, { ods_code: "F84003", icb_code: "QMF" })).toBe(true);
    expect(scopeCoversPractice(s, { ods_code: "F84013", icb_code: "QMF" })).toBe(false);
    expect(scopeCoversIcb(s, "QMF")).toBe(false);
  });
});

describe("safeRedirect", () => {
  it.each([
    ["/practices/F84003", "/practices/F84003"],
    ["//evil.example.com", "/"],
    ["https://evil.example.com", "/"],
    ["/\\evil.example.com", "/"],
    [undefined, "/"],
  ])("%s → %s", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });
});
