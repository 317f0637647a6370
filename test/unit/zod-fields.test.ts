import { describe, expect, it } from "vitest";
import { z } from "zod";
import { optionalDate, optionalInt, parseUkDate, triState } from "~/utils/zod-fields";

describe("parseUkDate", () => {
  it.each([
    ["31/03/2024", "2024-03-31"],
    ["1/4/2024", "2024-04-01"],
    ["31-03-2024", "2024-03-31"],
    ["31.03.24", "2024-03-31"],
    ["2024-03-31", "2024-03-31"],
    ["2024-03-31T10:00:00Z", "2024-03-31"],
    ["14 Oct 2025", "2025-10-14"],
    ["14 October 2025", "2025-10-14"],
  ])("%s → %s", (input, expected) => expect(parseUkDate(input)).toBe(expected));

  it.each(["31/02/2024", "13/13/2024", "2024-02-30", "03/31/2024", "yesterday", "", "32 Jan 2024"])("rejects %s", (input) =>
    expect(parseUkDate(input)).toBeNull(),
  );
});

describe("form field schemas", () => {
  const schema = z.object({ d: optionalDate("Purchase date"), b: triState("Encrypted"), n: optionalInt("RAM", 0, 1024) });
  it("turns blanks into null", () => {
    expect(schema.parse({ d: "", b: "", n: " " })).toEqual({ d: null, b: null, n: null });
  });
  it("names the field in its message", () => {
    const r = schema.safeParse({ d: "31/02/2024", b: "maybe", n: "4.5" });
    expect(r.success).toBe(false);
    const messages = r.error!.issues.map((i) => i.message);
    expect(messages).toContain("Purchase date must be a real date, like 31/03/2024");
    expect(messages).toContain("Encrypted must be yes, no or blank");
    expect(messages).toContain("RAM must be a whole number from 0 to 1,024");
  });
  it("reads spreadsheet booleans", () => {
    expect(schema.parse({ b: "Y" }).b).toBe(true);
    expect(schema.parse({ b: "FALSE" }).b).toBe(false);
  });
});
