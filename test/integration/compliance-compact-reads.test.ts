import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { loadDeviceRows, loadDeviceRowsPlain } from "~/modules/compliance/device-repository.server";
import * as repo from "~/modules/compliance/repository.server";
import { storedOutcomeEntries } from "~/modules/compliance/stored-outcomes";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { seedEstate } from "~/modules/seed/estate.server";
import { getDb } from "~/utils/db.server";
import { ensureLifecycleSeed } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";
import { addDevices, addMainSites, addPractices, desktopRow } from "../support/compliance-db";

// The national re-evaluation reads devices as one text per device and stored outcomes as one
// text per practice (issue 12, session 11). The rules must see exactly what the plain reads give:
// the same rows, in the same order, with the same keys in the same order and the same types.

let codes: string[] = [];
beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureLifecycleSeed(db);
  await addMainSites(db, ["F84003", "F84013"]);
  codes = [...(await addPractices(db, 12, "C")), "F84003", "F84013"];
  await seedEstate(db, codes, { seed: 11 });
  await ensureCatalogue(db);
});

/** Equal values and equal JSON: the key order shows in JSON, and the rules' evidence is hashed as JSON. */
function expectSame(a: unknown, b: unknown) {
  expect(a).toEqual(b);
  expect(JSON.stringify(a)).toBe(JSON.stringify(b));
}

describe("devices read as one text per device", () => {
  it("gives the plain read's rows, with nulls, dates, numbers and booleans alike", async () => {
    const db = getDb();
    // A device with every optional fact missing, and one with unusual but valid text.
    await addDevices(db, [
      {
        practice_code: codes[0],
        asset_tag: "BARE-1",
        device_type: "laptop",
        status: "spare",
      },
      desktopRow(codes[1], { make: 'Dell, Inc. | "Ünïcødé" \\ tab\there', model: "x\ny", managed: false, encrypted: null, esu_years: 3 }),
    ]);
    const plain = await loadDeviceRowsPlain(db, codes);
    expect(plain.length).toBeGreaterThan(100);
    expect(plain.some((d) => d.managed === false && d.encrypted === null)).toBe(true);
    expectSame(await loadDeviceRows(db, codes), plain);
    expectSame((await repo.loadEstateRows(db, codes)).devices, plain);
  });

  it("falls back to the plain read when a text could be mistaken: empty but not null, or holding the separator", async () => {
    const db = getDb();
    await addDevices(db, [desktopRow(codes[2], { make: "" }), desktopRow(codes[3], { model: "split\x1fhere", cpu_model: "" })]);
    const plain = await loadDeviceRowsPlain(db, codes);
    expect(plain.some((d) => d.make === "")).toBe(true);
    expect(plain.some((d) => d.model === "split\x1fhere")).toBe(true);
    expectSame(await loadDeviceRows(db, codes), plain);
    // One practice's devices alone, with the separator only.
    expectSame(await loadDeviceRows(db, [codes[3]]), await loadDeviceRowsPlain(db, [codes[3]]));
  });
});

describe("stored outcomes read as one text per practice", () => {
  it("gives the plain read's outcomes dated on and before each date", async () => {
    const db = getDb();
    // Stored dates must not be after today: three in the past.
    await evaluateScope(db, { practices: codes }, "2025-06-01", { threads: 0 });
    await evaluateScope(db, { practices: codes }, "2026-03-01", { threads: 0 });
    await evaluateScope(db, { practices: codes }, "2026-09-01", { threads: 0 });
    const sorted = (m: repo.StoredOutcomes) => storedOutcomeEntries(m).sort(([a], [b]) => (a < b ? -1 : 1));
    for (const asOf of ["2025-01-01", "2025-06-01", "2025-12-01", "2026-03-01", "2026-09-01", "2027-06-01"]) {
      const plain = await repo.loadStoredOutcomesPlain(db, codes, asOf);
      const compact = await repo.loadStoredOutcomes(db, codes, asOf);
      expectSame(sorted(compact.at), sorted(plain.at));
      expectSame(sorted(compact.before), sorted(plain.before));
      if (asOf === "2026-09-01")
        expect(storedOutcomeEntries(plain.at).length + storedOutcomeEntries(plain.before).length).toBeGreaterThan(codes.length * 40);
    }
  });
});

describe("estate reads bounded by the chunk's lowest and highest code", () => {
  it("finds the bounds of codes in any order, and gives none for codes PostgreSQL might order otherwise", () => {
    expect(repo.codeBounds(["C00003", "A81001", "F84013", "C00001"])).toEqual({ lo: "A81001", hi: "F84013" });
    expect(repo.codeBounds(["F84003"])).toEqual({ lo: "F84003", hi: "F84003" });
    expect(repo.codeBounds([])).toBeNull();
    // Lower case, spaces and accents sort differently under some collations: no bounds, the list alone.
    expect(repo.codeBounds(["C00001", "c00002"])).toBeNull();
    expect(repo.codeBounds(["C00001", "C 0002"])).toBeNull();
  });

  it("reads the practices listed and no other, in any order, as reading one practice at a time does", async () => {
    const db = getDb();
    // Out of order, with practices between the bounds left out (codes[0], [2], [4]…).
    const listed = [codes[9], codes[1], "F84013", codes[5], codes[3]];
    const bulk = await repo.loadEstateRows(db, listed);
    const alone = await Promise.all([...listed].sort().map((c) => repo.loadEstateRows(db, [c])));
    for (const key of ["sites", "services", "paper"] as const) {
      const oneByOne = alone.flatMap((r): unknown[] => r[key]);
      expect(oneByOne.length, key).toBeGreaterThanOrEqual(listed.length);
      expectSame(bulk[key], oneByOne);
    }
    // Telephony has no order of its own.
    const byPractice = <T extends { practice_code: string }>(rows: T[]) =>
      [...rows].sort((a, b) => (a.practice_code < b.practice_code ? -1 : 1));
    const telephony = alone.flatMap((r) => r.telephony);
    expect(telephony.length).toBeGreaterThan(0);
    expectSame(byPractice(bulk.telephony), telephony);
    // The practices left out have rows of their own, which a read by the bounds alone would have taken.
    const left = await repo.loadEstateRows(db, [codes[2], codes[4]]);
    expect(left.sites.length + left.telephony.length + left.services.length + left.paper.length).toBeGreaterThan(0);
    for (const key of ["sites", "telephony", "services", "paper"] as const)
      expect(
        bulk[key].filter((r) => r.practice_code === codes[2] || r.practice_code === codes[4]),
        key,
      ).toEqual([]);
  });
});
