import { describe, expect, it } from "vitest";
import { retryAfterMs } from "~/modules/device-sync/client.server";
import { deviceCells, placeDevice, type Rule } from "~/modules/device-sync/map";
import { parseRules } from "~/modules/device-sync/schema";

const rules: Rule[] = [
  { kind: "prefix", value: "NEL-", practice_code: "F84013" },
  { kind: "prefix", value: "NEL-F84003-", practice_code: "F84003" },
  { kind: "group", value: "g1", practice_code: "F84003" },
  { kind: "group", value: "g2", practice_code: "F84013" },
];
const groups = new Map([
  ["g1", new Set(["e1", "e2"])],
  ["g2", new Set(["e2"])],
]);

describe("placing a device at a practice", () => {
  it("takes the longest matching name prefix, case-insensitively", () => {
    expect(placeDevice({ deviceName: "nel-f84003-pc1" }, rules, groups, null)).toMatchObject({ practice: "F84003" });
    expect(placeDevice({ deviceName: "NEL-PC9" }, rules, groups, null)).toMatchObject({ practice: "F84013" });
  });
  it("then an Entra group, leaving a device two practices' groups claim unmapped", () => {
    expect(placeDevice({ deviceName: "PC", azureADDeviceId: "E1" }, rules, groups, null)).toMatchObject({ practice: "F84003" });
    expect(placeDevice({ deviceName: "PC", azureADDeviceId: "e2" }, rules, groups, null)).toEqual({
      practice: null,
      reason: "In Entra groups for more than one practice (F84003, F84013)",
    });
  });
  it("then one ODS code in the chosen property, never a guess", () => {
    expect(placeDevice({ deviceName: "PC", notes: "Site: f84003 reception" }, [], groups, "notes")).toMatchObject({ practice: "F84003" });
    expect(placeDevice({ deviceName: "PC", notes: "F84003 or F84013" }, [], groups, "notes")).toMatchObject({ practice: null });
    expect(placeDevice({ deviceName: "PC", notes: "XF84003" }, [], groups, "notes")).toEqual({
      practice: null,
      reason: "No rule matches this device",
    });
    expect(placeDevice({ deviceName: "PC", notes: "F84003" }, [], groups, null)).toMatchObject({ practice: null });
  });
  it("reads Intune's placeholder serials as none", () => {
    expect(deviceCells({ serialNumber: "0" }, "F84003")[1]).toBe("");
    expect(deviceCells({ serialNumber: "To be filled by O.E.M." }, "F84003")[1]).toBe("");
    expect(deviceCells({ serialNumber: " ABC1 ", isEncrypted: false }, "F84003").slice(0, 2)).toEqual(["F84003", "ABC1"]);
  });
});

describe("rules as typed", () => {
  it("names each bad line and refuses duplicates", () => {
    const r = parseRules("F84003-, F84003\n\nnope\nf84003-=F84013\nX\tA81001", "prefix");
    expect(r.rules).toEqual([
      { kind: "prefix", value: "F84003-", practice_code: "F84003" },
      { kind: "prefix", value: "X", practice_code: "A81001" },
    ]);
    expect(r.problems).toEqual([expect.stringMatching(/^Line 3: write the prefix/), 'Line 4: "f84003-" is already on line 1']);
    expect(parseRules("not-a-guid, F84003", "group").problems).toEqual(['Line 1: "not-a-guid" is not a group object ID (a GUID)']);
  });
});

describe("Retry-After", () => {
  it("reads seconds and HTTP dates", () => {
    expect(retryAfterMs("7")).toBe(7000);
    expect(retryAfterMs("Wed, 21 Oct 2015 07:28:30 GMT", Date.parse("Wed, 21 Oct 2015 07:28:00 GMT"))).toBe(30_000);
    expect(retryAfterMs(null)).toBeNull();
    expect(retryAfterMs("soon")).toBeNull();
  });
});
