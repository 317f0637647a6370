import { describe, expect, it } from "vitest";
import { contractEndNote, todayInEngland } from "~/modules/telephony/contract";
import { isPremiumNumber, isUkNumberLength, normaliseUkNumber } from "~/modules/catalogue/phone-number";
import { TelephonyEditSchema, TelephonyReplaceSchema, TelephonySchema } from "~/modules/telephony/schema";

describe("isPremiumNumber", () => {
  it.each([
    "0844 477 3333",
    "08704567890",
    "0870 456 7890",
    "09001234567",
    "0906 123 4567",
    "070 1234 5678",
    "+44 844 477 3333",
    "+44 (0)844 477 3333",
    "0044 870 456 7890",
    "+449001234567",
  ])("flags %s", (n) => expect(isPremiumNumber(n)).toBe(true));

  it.each([
    "020 7946 0000",
    "+44 20 7946 0000",
    "0300 123 4567",
    "0800 123 456",
    "0808 123 4567",
    "07700 900123", // a mobile, not a 070 personal number
    "0114 496 0000",
    "",
    null,
    undefined,
  ])("does not flag %s", (n) => expect(isPremiumNumber(n)).toBe(false));
});

describe("normaliseUkNumber and length", () => {
  it("turns international forms into national digits", () => {
    expect(normaliseUkNumber("+44 20 7946 0000")).toBe("02079460000");
    expect(normaliseUkNumber("+44 (0)20 7946 0000")).toBe("02079460000");
    expect(normaliseUkNumber("0044 20 7946 0000")).toBe("02079460000");
    expect(normaliseUkNumber(" 020 7946 0000 ")).toBe("02079460000");
  });
  it("accepts 10 and 11 digit national numbers only", () => {
    expect(isUkNumberLength("020 7946 0000")).toBe(true);
    expect(isUkNumberLength("0800 123 456")).toBe(true);
    expect(isUkNumberLength("020 7946")).toBe(false);
    expect(isUkNumberLength("020 7946 00000")).toBe(false);
    expect(isUkNumberLength("+1 212 555 0100")).toBe(false);
  });
});

describe("contractEndNote", () => {
  it("counts the days left, or says it has ended", () => {
    expect(contractEndNote("2026-12-31", "2026-11-21")).toBe("ends in 40 days");
    expect(contractEndNote("2026-11-22", "2026-11-21")).toBe("ends tomorrow");
    expect(contractEndNote("2026-11-21", "2026-11-21")).toBe("ends today");
    expect(contractEndNote("2026-11-20", "2026-11-21")).toBe("ended");
    expect(contractEndNote(null, "2026-11-21")).toBeNull();
  });
  it("is not thrown by the clock change (BST ends on 25 October 2026)", () => {
    expect(contractEndNote("2026-10-26", "2026-10-24")).toBe("ends in 2 days");
  });
});

const valid = {
  system_type: "cloud",
  supplier: "X-on",
  product: "Surgery Connect",
  contract_start: "01/04/2024",
  contract_end: "31/03/2027",
};
const errorsOf = (r: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) =>
  Object.fromEntries((r.error?.issues ?? []).map((i) => [i.path.join("."), i.message]));

describe("telephony schema", () => {
  it("accepts UK and ISO dates and stores ISO", () => {
    const r = TelephonySchema.parse({ ...valid, contract_start: "31/03/2024", contract_end: "2027-03-31" });
    expect(r.contract_start).toBe("2024-03-31");
    expect(r.contract_end).toBe("2027-03-31");
  });

  it("refuses a contract that ends before it starts", () => {
    const r = TelephonySchema.safeParse({ ...valid, contract_start: "01/04/2025", contract_end: "31/03/2025" });
    expect(errorsOf(r)).toEqual({ contract_end: "Contract end date must be on or after the contract start date" });
  });

  it("allows a contract that starts and ends on the same day", () => {
    expect(TelephonySchema.safeParse({ ...valid, contract_start: "01/04/2025", contract_end: "2025-04-01" }).success).toBe(true);
  });

  it("turns blanks into null and yes/no into booleans", () => {
    const r = TelephonySchema.parse({
      system_type: "analogue",
      call_back: "yes",
      call_queuing: "no",
      ivr_routing: "",
      lines: "",
      main_number: "",
    });
    expect(r).toMatchObject({ call_back: true, call_queuing: false, ivr_routing: null, lines: null, main_number: null, supplier: null });
  });

  it("checks the main number's characters and UK length", () => {
    expect(errorsOf(TelephonySchema.safeParse({ ...valid, main_number: "020-7946-0000" }))).toEqual({
      main_number: "Main telephone number must contain only numbers, spaces and a + at the start",
    });
    expect(errorsOf(TelephonySchema.safeParse({ ...valid, main_number: "020 794" }))).toEqual({
      main_number: "Main telephone number must be a UK number, like 020 7946 0000",
    });
    expect(TelephonySchema.parse({ ...valid, main_number: "+44 20 7946 0000" }).main_number).toBe("+44 20 7946 0000");
    // A premium number is a fact to record (and flag), not a typing mistake.
    expect(TelephonySchema.parse({ ...valid, main_number: "0844 477 3333" }).main_number).toBe("0844 477 3333");
  });

  it("wants whole numbers of lines and concurrent calls", () => {
    expect(errorsOf(TelephonySchema.safeParse({ ...valid, lines: "2.5", concurrent_calls: "-1" }))).toEqual({
      lines: "Number of lines must be a whole number from 0 to 10,000",
      concurrent_calls: "Concurrent-call capacity must be a whole number from 0 to 10,000",
    });
  });

  it("needs a type of system", () => {
    expect(errorsOf(TelephonySchema.safeParse({ ...valid, system_type: "" }))).toEqual({
      system_type: "Select the type of telephone system",
    });
    expect(errorsOf(TelephonySchema.safeParse({ ...valid, system_type: "carrier pigeon" }))).toEqual({
      system_type: "Select the type of telephone system",
    });
  });

  it("needs the version when editing, and the end date when replacing", () => {
    expect(Object.keys(errorsOf(TelephonyEditSchema.safeParse(valid)))).toEqual(["version"]);
    expect(errorsOf(TelephonyReplaceSchema.safeParse({ ...valid, version: "3", ended_on: "" }))).toEqual({
      ended_on: "Enter the date the old system stopped being used",
    });
    expect(TelephonyReplaceSchema.parse({ ...valid, version: "3", ended_on: "31/03/2024" }).ended_on).toBe("2024-03-31");
  });
});

describe("todayInEngland", () => {
  it("uses the date in London, not UTC", () => {
    expect(todayInEngland(new Date("2026-07-01T23:30:00Z"))).toBe("2026-07-02"); // 00:30 BST
    expect(todayInEngland(new Date("2026-12-01T23:30:00Z"))).toBe("2026-12-01"); // GMT
  });
});
