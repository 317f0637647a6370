import { describe, expect, it } from "vitest";
import * as estateDevices from "~/routes/estate.devices._index";
import { getDb } from "~/utils/db.server";
import { addDevices, desktopRow } from "../support/compliance-db";
import { seedSites } from "../support/estate-seed";
import { call, get } from "../support/requests";
import { ALL, defineMatrix, useRoleCookies, type MatrixRow, type RoleKey } from "../support/scoping";

// The device list across a whole scope: everyone who can read organisations may open it, and
// each sees only the devices of the practices in their own scope.
const cookies = useRoleCookies(async () => {
  const db = getDb();
  await seedSites(db);
  await addDevices(db, [
    desktopRow("F84003", { asset_tag: "SCOPE-F84003-1", warranty_end: "2020-01-01" }),
    desktopRow("F84003", { asset_tag: "SCOPE-F84003-2", device_type: "laptop" }),
    desktopRow("F84013", { asset_tag: "SCOPE-F84013-1" }),
    desktopRow("A81001", { asset_tag: "SCOPE-A81001-1" }),
    desktopRow("A81001", { asset_tag: "SCOPE-A81001-2", status: "disposed" }),
  ]);
});

const MATRIX: MatrixRow[] = [{ file: "estate.devices._index.tsx", module: estateDevices, path: "/estate/devices", expect: ALL(200) }];

describe("scoping: devices across a scope", () => {
  defineMatrix(MATRIX, cookies);

  const tagsFor = async (role: RoleKey, query = "") => {
    const r = await call(estateDevices.loader, get(`/estate/devices${query}`, cookies[role]));
    expect(r.status).toBe(200);
    return { tags: (r.data.page.rows as { asset_tag: string }[]).map((d) => d.asset_tag), total: r.data.page.total as number };
  };

  it("lists only the devices in each role's scope", async () => {
    expect((await tagsFor("admin")).tags).toEqual(["SCOPE-A81001-1", "SCOPE-F84003-1", "SCOPE-F84003-2", "SCOPE-F84013-1"]);
    expect((await tagsFor("icbLead")).tags).toEqual(["SCOPE-F84003-1", "SCOPE-F84003-2", "SCOPE-F84013-1"]);
    expect((await tagsFor("partnerIcb")).tags).toEqual(["SCOPE-F84003-1", "SCOPE-F84003-2", "SCOPE-F84013-1"]);
    expect((await tagsFor("partnerPractice")).tags).toEqual(["SCOPE-F84013-1"]);
    expect((await tagsFor("practiceManager")).tags).toEqual(["SCOPE-F84003-1", "SCOPE-F84003-2"]);
  });

  it("a filter naming another ICB or practice never widens the scope", async () => {
    expect(await tagsFor("icbLead", "?icb=QHM")).toEqual({ tags: [], total: 0 });
    expect(await tagsFor("practiceManager", "?practice=F84013")).toEqual({ tags: [], total: 0 });
    expect((await tagsFor("admin", "?icb=qhm")).tags).toEqual(["SCOPE-A81001-1"]);
  });

  it("filters by type, status and expired warranty, and sorts either way with blanks last", async () => {
    expect((await tagsFor("admin", "?type=laptop")).tags).toEqual(["SCOPE-F84003-2"]);
    expect((await tagsFor("admin", "?status=disposed")).tags).toEqual(["SCOPE-A81001-2"]);
    expect((await tagsFor("admin", "?warranty=expired")).tags).toEqual(["SCOPE-F84003-1"]);
    expect((await tagsFor("admin", "?sort=practice&dir=desc")).tags).toEqual([
      "SCOPE-F84013-1",
      "SCOPE-F84003-1",
      "SCOPE-F84003-2",
      "SCOPE-A81001-1",
    ]);
    expect((await tagsFor("admin", "?sort=warranty_end")).tags[0]).toBe("SCOPE-F84003-1");
  });

  it("pages past the end still say how many devices match", async () => {
    expect(await tagsFor("admin", "?page=5")).toEqual({ tags: [], total: 4 });
  });
});
