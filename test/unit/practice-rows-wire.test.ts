import { describe, expect, it } from "vitest";
import type { PracticeRow } from "~/modules/compliance/practice-rows";
import { packRow, unpackRows } from "~/modules/compliance/practice-rows-wire";

// Every shape practiceRow makes (practice-rows.ts), each as the page must get it back.
const ROWS: PracticeRow[] = [
  // Folded: self-assessed, and met with its date.
  {
    requirement: { id: "TEL-01", title: "The practice owns its phone system", domain: "telephony" },
    inForce: true,
    attested: true,
    result: null,
  },
  {
    requirement: { id: "DEV-06", title: "Complete equipment register", domain: "devices" },
    inForce: true,
    result: { status: "met", since: "2025-12-05" },
  },
  // Its own row: reason, records (one without an outcome), what is coming up, the rest counted, to fix and the gap's estimate.
  {
    requirement: { id: "TEL-15", title: "Ready for the PSTN switch-off", domain: "telephony", meta: "Practice business · weight 1" },
    inForce: true,
    fix: { gapId: 1876, pence: 30_000, vatPence: 6_000, missing: "", elsewhere: "" },
    result: {
      status: "partial",
      since: "2026-09-05",
      reason: "1 analogue line at 1 site.",
      upcoming: [{ date: "2027-01-31", message: "The PSTN switch-off is on 31 January 2027." }],
      evidence: [
        { type: "site", id: "F84039001", label: "Branch", outcome: "fail" },
        { type: "telephony_system", id: "87", label: "Local PBX maintainer" },
      ],
      more: { total: 3, failing: 1 },
      toFix: "To fix: 1 × move an analogue line to digital",
    },
  },
  // No estimate, and a result with nothing but its reason.
  {
    requirement: { id: "TEL-03", title: "Supplier on the framework", domain: "telephony", meta: "GP contract" },
    inForce: true,
    fix: { gapId: 1868, pence: null, vatPence: null, missing: "No priced remedy", elsewhere: "a site survey" },
    result: { status: "not_met", since: "2025-12-05", reason: "" },
  },
  // Outside the framework version in force; not checked yet.
  {
    requirement: { id: "SEC-09", title: "Old requirement", domain: "cyber_ig", meta: "Enhanced" },
    inForce: false,
    result: { status: "not_applicable", since: "2025-01-01", reason: "No." },
  },
  {
    requirement: { id: "BCP-01", title: "Practice continuity plan", domain: "business_continuity", meta: "Core" },
    inForce: true,
    result: null,
  },
];

describe("practice rows as the compliance page's loader sends them", () => {
  it("unpack to exactly the rows packed", () => {
    const sent = JSON.parse(JSON.stringify(ROWS.map(packRow)));
    expect(unpackRows(sent)).toEqual(ROWS);
  });

  it("are arrays, not objects with a property name for each field", () => {
    const packed = ROWS.map(packRow);
    expect(packed.every(Array.isArray)).toBe(true);
    expect(JSON.stringify(packed).length).toBeLessThan(JSON.stringify(ROWS).length * 0.7);
  });
});
