import { beforeAll, describe, expect, it } from "vitest";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { getIcbSummary } from "~/modules/compliance/service.server";
import { clearDashboardCache, getIcbDashboard } from "~/modules/dashboard/service.server";
import { clearEnglandCache, getEnglandSummary } from "~/modules/england/service.server";
import { forgetKeptFigures } from "~/modules/kept-figures/service.server";
import { loadCostedGaps } from "~/modules/gaps/costed.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addAnalogueTelephony, addDevices, desktopRow } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { seedSites } from "../support/estate-seed";
import { seedOrgs } from "../support/factories";

// The national view's figures, each against the per-ICB page that shows the same thing: the
// fixture's QMF (F84003, F84013) and QHM (A81001), with unsupported devices in both.
const today = todayIso();
const ALL = { all: true } as const;
const win10 = { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" };

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await prepareCompliance(db);
  await addDevices(db, [
    desktopRow("F84003"),
    desktopRow("F84003", win10),
    desktopRow("F84013", win10),
    desktopRow("A81001"),
    desktopRow("A81001", { ...win10, status: "spare" }),
  ]);
  await addAnalogueTelephony(db);
  await evaluateScope(db, ALL, today);
});

describe("all of England", () => {
  it("is refused to anyone whose scope is not national", async () => {
    await expect(getEnglandSummary(getDb(), { all: false, icbCodes: ["QMF"], practiceCodes: [] }, today)).rejects.toMatchObject({
      status: 403,
    });
  });

  it("shows each ICB's score, counts, gaps and device risk exactly as that ICB's own pages do", async () => {
    clearEnglandCache();
    clearDashboardCache();
    const e = await getEnglandSummary(getDb(), ALL, today);
    expect(e.icbs.map((r) => r.code).sort()).toEqual(["QHM", "QMF"]);
    for (const row of e.icbs) {
      const icb = await getIcbSummary(getDb(), row.code, today);
      expect(row.score, row.code).toBe(icb.overall.overall.score);
      expect(row.counts, row.code).toEqual(icb.overall.overall.counts);
      expect(row.practicesChecked, row.code).toBe(icb.practices.length);
      expect(row.openGaps, row.code).toBe((await loadCostedGaps(getDb(), { scope: ALL, icb: row.code }, today)).length);
      const d = await getIcbDashboard(getDb(), { code: row.code, name: row.name }, ALL, today);
      expect(row.devicesInUse, row.code).toBe(d.risk.total.devicesInUse);
      expect(row.unsupported, row.code).toBe(d.risk.total.unsupported);
      expect(row.analogueTelephony, row.code).toBe(d.risk.total.telephonyAnalogue);
      expect(row.practices, row.code).toBe(d.headline.practices);
    }
    const qmf = e.icbs.find((r) => r.code === "QMF")!;
    expect(qmf).toMatchObject({ practices: 2, devicesInUse: 3, unsupported: 2, analogueTelephony: 1 });
    // The spare Windows 10 device at A81001 is not in use, so QHM has none unsupported.
    expect(e.icbs.find((r) => r.code === "QHM")).toMatchObject({ practices: 1, devicesInUse: 1, unsupported: 0 });
    expect(qmf.openGaps).toBeGreaterThan(0);
  });

  it("totals equal the sum of the ICB rows, and domain counts add up to the overall counts", async () => {
    const e = await getEnglandSummary(getDb(), ALL, today);
    for (const k of ["practices", "practicesChecked", "openGaps", "devicesInUse", "unsupported", "analogueTelephony"] as const) {
      expect(e.total[k], k).toBe(e.icbs.reduce((a, r) => a + r[k], 0));
    }
    for (const s of ["met", "partial", "not_met", "unknown", "not_applicable"] as const) {
      expect(e.total.counts[s], s).toBe(e.icbs.reduce((a, r) => a + r.counts[s], 0));
      expect(e.total.counts[s], s).toBe(e.byDomain.reduce((a, r) => a + r.counts[s], 0));
    }
  });

  it("keeps each ICB's part between loads and recomputes only the ICB that changed", async () => {
    clearEnglandCache();
    await forgetKeptFigures(getDb());
    const first = await getEnglandSummary(getDb(), ALL, today);
    expect(first.cache).toEqual({ reused: 0, recomputed: 2 });
    expect((await getEnglandSummary(getDb(), ALL, today)).cache).toEqual({ reused: 2, recomputed: 0 });
    // A new server process (nothing in memory) reads the parts kept in the database.
    clearEnglandCache();
    const second = await getEnglandSummary(getDb(), ALL, today);
    expect(second.cache).toEqual({ reused: 2, recomputed: 0 });
    expect(second).toEqual({ ...first, cache: second.cache });
    await addDevices(getDb(), [desktopRow("A81001", { ...win10, asset_tag: "ENG-1" })]);
    clearEnglandCache();
    const after = await getEnglandSummary(getDb(), ALL, today);
    expect(after.cache).toEqual({ reused: 1, recomputed: 1 });
    expect(after.icbs.find((r) => r.code === "QHM")!.unsupported).toBe(1);
    // National reference data moves every ICB's part.
    await getDb().updateTable("os_lifecycle").set({ notes: "checked" }).where("family", "=", "Windows 10").execute();
    expect((await getEnglandSummary(getDb(), ALL, today)).cache).toEqual({ reused: 0, recomputed: 2 });
  });
});
