import { describe, expect, it } from "vitest";
import { costOnce } from "~/modules/compliance/remediation";
import type { Finding, Unit } from "~/modules/compliance/rules";

// costOnce runs for every practice of every evaluation, so it was made to build fewer strings
// (issue 12, session 12): claims per kind of work and thing, and items given away counted per
// owner before they are noted. What it stores must not change: these findings exercise the
// order of owners, replaced devices, several owners within one unit and units with no keys, and
// the exact units and reasons expected are those the first version gave.

const f = (units: Unit[]): Finding => ({ status: "not_met", reason: "Reason.", evidence: [], units });
const dev = (...ids: number[]) => ids.map((i) => `device:${i}`);

describe("costOnce", () => {
  it("gives each thing to its first owner, notes the rest per owner in the order met, and drops moot work", () => {
    const findings = new Map<string, Finding>([
      ["DEV-05", f([{ kind: "desktop_replacement", quantity: 2, items: dev(1, 2) }])],
      ["DEV-02", f([{ kind: "os_upgrade", quantity: 3, items: dev(2, 3, 4) }])],
      [
        "SEC-11",
        f([
          { kind: "os_upgrade", quantity: 4, items: dev(3, 5, 4, 6) },
          { kind: "device_encryption", quantity: 1 },
        ]),
      ],
      [
        "DEV-10",
        f([
          { kind: "os_upgrade", quantity: 5, items: dev(5, 2, 6, 3, 9) },
          { kind: "os_upgrade", quantity: 0, items: [] },
        ]),
      ],
      ["INF-06", f([{ kind: "laptop_purchase", quantity: 3, ref: "practice:remote-capacity" }])],
      ["DEV-12", f([{ kind: "laptop_purchase", quantity: 3, ref: "practice:remote-capacity" }])],
      ["CLN-01", f([])],
    ]);
    const out = costOnce(findings);
    expect([...out.keys()]).toEqual([...findings.keys()]);
    expect(out.get("DEV-05")).toEqual(f([{ kind: "desktop_replacement", quantity: 2 }]));
    expect(out.get("DEV-02")).toEqual({
      ...f([
        { kind: "os_upgrade", quantity: 2 },
        { kind: "os_upgrade", quantity: 0, replacedUnder: "DEV-05", covered: 1 },
      ]),
      reason: "Reason. 1 × operating system upgrade not needed: the device is replaced under DEV-05.",
    });
    expect(out.get("SEC-11")).toEqual({
      ...f([
        { kind: "os_upgrade", quantity: 2 },
        { kind: "device_encryption", quantity: 1 },
        { kind: "os_upgrade", quantity: 0, costedUnder: "DEV-02", covered: 2 },
      ]),
      reason: "Reason. 2 × operating system upgrade costed under DEV-02.",
    });
    // Items given to three owners, interleaved: one note each, in the order first met.
    expect(out.get("DEV-10")).toEqual({
      ...f([
        { kind: "os_upgrade", quantity: 1 },
        { kind: "os_upgrade", quantity: 0, costedUnder: "SEC-11", covered: 2 },
        { kind: "os_upgrade", quantity: 0, replacedUnder: "DEV-05", covered: 1 },
        { kind: "os_upgrade", quantity: 0, costedUnder: "DEV-02", covered: 1 },
      ]),
      reason:
        "Reason. 2 × operating system upgrade costed under SEC-11. 1 × operating system upgrade not needed: the device is replaced under DEV-05. 1 × operating system upgrade costed under DEV-02.",
    });
    // DEV-12 is an owner of remote capacity (OWNER_ORDER) ahead of INF-06, which is listed first.
    expect(out.get("DEV-12")).toEqual(f([{ kind: "laptop_purchase", quantity: 3 }]));
    expect(out.get("INF-06")).toEqual({
      ...f([{ kind: "laptop_purchase", quantity: 0, costedUnder: "DEV-12", covered: 3 }]),
      reason: "Reason. 3 × additional managed laptop costed under DEV-12.",
    });
    // A finding with nothing keyed is passed through as it is.
    expect(out.get("CLN-01")).toBe(findings.get("CLN-01"));
    // The JSON, so key order too, is what is hashed and stored.
    expect(JSON.stringify(out.get("DEV-10"))).toBe(
      '{"status":"not_met","reason":"Reason. 2 × operating system upgrade costed under SEC-11. 1 × operating system upgrade not needed: the device is replaced under DEV-05. 1 × operating system upgrade costed under DEV-02.","evidence":[],"units":[{"kind":"os_upgrade","quantity":1},{"kind":"os_upgrade","quantity":0,"costedUnder":"SEC-11","covered":2},{"kind":"os_upgrade","quantity":0,"replacedUnder":"DEV-05","covered":1},{"kind":"os_upgrade","quantity":0,"costedUnder":"DEV-02","covered":1}]}',
    );
  });

  it("writes counts of a thousand and more as en-GB does", () => {
    const many = Array.from({ length: 1200 }, (_, i) => i + 1);
    const out = costOnce(
      new Map([
        ["DEV-02", f([{ kind: "os_upgrade", quantity: 1200, items: dev(...many) }])],
        ["SEC-11", f([{ kind: "os_upgrade", quantity: 1200, items: dev(...many) }])],
      ]),
    );
    expect(out.get("SEC-11")!.reason).toBe("Reason. 1,200 × operating system upgrade costed under DEV-02.");
  });
});
