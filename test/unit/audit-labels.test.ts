import { describe, expect, it } from "vitest";
import { auditActionLabel, auditValueLabel } from "~/components/audit-labels";
import { formatDateTime, formatTime } from "~/utils/format";

describe("audit codes in words", () => {
  it("names actions, and spells out ones it does not know", () => {
    expect(auditActionLabel("funding_request.create_and_submit")).toBe("Funding request created and submitted");
    expect(auditActionLabel("device.update")).toBe("Device changed");
    expect(auditActionLabel("widget_thing.do_this")).toBe("Widget thing: do this");
    // Modules that already write a sentence keep it.
    expect(auditActionLabel("NHS App: messaging updated")).toBe("NHS App: messaging updated");
  });
  it("shows role ids, codes and empty values in words, and free text as it is", () => {
    expect(auditValueLabel("practice_manager:F82018")).toBe("Practice manager (F82018)");
    expect(auditValueLabel("icb_lead")).toBe("ICB digital lead");
    expect(auditValueLabel("in_use")).toBe("In use");
    expect(auditValueLabel(null)).toBe("—");
    expect(auditValueLabel(true)).toBe("Yes");
    expect(auditValueLabel("Dell OptiPlex 7010")).toBe("Dell OptiPlex 7010");
    expect(auditValueLabel("12")).toBe("12");
  });
});

describe("times in UK time", () => {
  it("shows a summer moment in BST and a winter one in GMT", () => {
    expect(formatDateTime("2026-07-01T13:05:00Z")).toBe("1 July 2026 at 14:05");
    expect(formatDateTime(new Date("2026-12-01T13:05:00Z"))).toBe("1 December 2026 at 13:05");
    // Just after midnight in London is still the previous day in UTC.
    expect(formatDateTime("2026-06-30T23:30:00Z")).toBe("1 July 2026 at 00:30");
    expect(formatTime("2026-07-01T13:05:00Z")).toBe("14:05");
    expect(formatDateTime(null)).toBe("");
  });
});
