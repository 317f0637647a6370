import type { KyselyPlugin } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import { ESTATE_DEVICE_SORTS, parseEstateDeviceFilters } from "~/modules/devices/estate-list";
import { listEstateDevices } from "~/modules/devices/estate-list.server";
import { countEstateDevices, estateDevicePage } from "~/modules/devices/estate-list-repository.server";
import { getDb } from "~/utils/db.server";
import { PAGE_SIZE } from "~/utils/pagination";
import { addDevices, desktopRow } from "../support/compliance-db";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";

// The estate-wide device list reads a page in the second half from the other end when it knows
// how many devices match (estate-list-repository.server.ts). Every page, in every order, must
// hold exactly the rows reading from the start gives: blanks, ties and a short last page included.
const TODAY = "2026-06-01";
const PRACTICES = ["F84003", "F84013", "A81001"];
const WARRANTY = [null, "2027-03-31", "2025-01-01", "2027-03-31", "2029-12-31"];

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await addDevices(
    db,
    Array.from({ length: 83 }, (_, i) =>
      desktopRow(PRACTICES[i % 3], {
        asset_tag: i % 11 === 0 ? null : `PAGES-${String(i % 40).padStart(2, "0")}`,
        device_type: i % 4 === 0 ? "laptop" : "desktop",
        status: i % 9 === 0 ? "disposed" : "in_use",
        warranty_end: WARRANTY[i % WARRANTY.length],
        purchase_date: i % 7 === 0 ? null : `202${i % 5}-0${(i % 9) + 1}-15`,
      }),
    ),
  );
}, 60_000);

const ids = (rows: { id: number }[]) => rows.map((r) => r.id);

describe("device list pages read from either end", () => {
  const queries = Object.keys(ESTATE_DEVICE_SORTS).flatMap((sort) =>
    ["asc", "desc"].flatMap((dir) => [
      `sort=${sort}&dir=${dir}`,
      `sort=${sort}&dir=${dir}&type=desktop`,
      `sort=${sort}&dir=${dir}&status=all`,
    ]),
  );

  it.each(queries)("every page of ?%s holds the rows read from the start", async (query) => {
    const db = getDb();
    const f = parseEstateDeviceFilters(new URLSearchParams(query));
    const total = await countEstateDevices(db, { all: true }, f, TODAY);
    expect(total).toBeGreaterThan(2 * PAGE_SIZE);
    const pages = Math.ceil(total / PAGE_SIZE);
    const seen: number[] = [];
    for (let page = 1; page <= pages + 1; page++) {
      const forward = await estateDevicePage(db, { all: true }, f, TODAY, page);
      const either = await estateDevicePage(db, { all: true }, f, TODAY, page, total);
      expect(either, `page ${page}`).toEqual(forward);
      seen.push(...ids(either));
    }
    expect(new Set(seen).size).toBe(total);
  });

  it("the list's loader gives the same deep page as reading from the start", async () => {
    const db = getDb();
    const f = parseEstateDeviceFilters(new URLSearchParams("sort=warranty_end&dir=asc&type=desktop"));
    const total = await countEstateDevices(db, { all: true }, f, TODAY);
    const last = Math.ceil(total / PAGE_SIZE);
    const listed = await listEstateDevices(db, { all: true }, f, TODAY, last);
    expect(listed.total).toBe(total);
    expect(ids(listed.rows)).toEqual(ids(await estateDevicePage(db, { all: true }, f, TODAY, last)));
    expect(listed.rows.length).toBe(total - (last - 1) * PAGE_SIZE);
  });
});

describe("the device list's total", () => {
  /** The statements one load of the first page sends, and its total. */
  async function load(scope: Parameters<typeof listEstateDevices>[1]) {
    const counter = { n: 0 };
    const counting: KyselyPlugin = {
      transformQuery: (args) => (counter.n++, args.node),
      transformResult: async (args) => args.result,
    };
    const page = await listEstateDevices(getDb().withPlugin(counting), scope, parseEstateDeviceFilters(new URLSearchParams("")), TODAY, 1);
    return { statements: counter.n, total: page.total };
  }
  const scopes = [{ all: true as const }, { all: false as const, icbCodes: ["QMF"], practiceCodes: [] }];

  it.each(scopes)(
    "is kept across a change to a price list (no price decides it), and counted again after a change to a device: %o",
    async (scope) => {
      const db = getDb();
      await load(scope);
      const warm = await load(scope);
      // The stamp and the page: the total is kept.
      expect(warm.statements).toBe(2);
      await db.updateTable("price_list_entry").set({ source: "checked" }).where("icb_code", "is", null).execute();
      await db
        .insertInto("price_list_entry")
        .values({
          icb_code: "QMF",
          unit_kind: "desktop_replacement",
          basis: "each",
          unit_cost_pence: 70_000,
          effective_from: "2026-05-01",
          source: "kept total test",
          local_estimate: true,
          created_by: null,
        })
        .execute();
      expect(await load(scope)).toEqual(warm);
      await db.deleteFrom("price_list_entry").where("source", "=", "kept total test").execute();
      await addDevices(db, [desktopRow("F84003", { asset_tag: "KEPT-TOTAL", status: "in_use" })]);
      const counted = await load(scope);
      expect(counted).toEqual({ statements: 3, total: warm.total + 1 });
      await db.deleteFrom("device").where("asset_tag", "=", "KEPT-TOTAL").execute();
      expect((await load(scope)).total).toBe(warm.total);
    },
  );
});
