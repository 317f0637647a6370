import { beforeAll, describe, expect, it } from "vitest";
import { evidenceHref } from "~/components/Compliance";
import { AUTOMATIC_REQUIREMENTS, REQUIREMENTS } from "~/modules/catalogue";
import { evaluatePractice } from "~/modules/compliance/evaluate.server";
import { STATUSES, type EvidenceRef } from "~/modules/catalogue/rule-types";
import * as compliance from "~/routes/practices.$ods.compliance._index";
import * as history from "~/routes/practices.$ods.compliance.$requirementId";
import * as forecast from "~/routes/practices.$ods.compliance.forecast";
import * as devicePage from "~/routes/practices.$ods.devices.$id._index";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { addDevices, addMainSites, desktopRow } from "../support/compliance-db";
import { prepareCompliance, resultsInForce, tally } from "../support/compliance-pages";
import { call, get, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";
import { unpackRows } from "~/modules/compliance/practice-rows-wire";

const PAST = "2025-06-01";
const F = { ods: "F84003" };
let win10Ids: number[] = [];

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  win10Ids = await addDevices(
    db,
    Array.from({ length: 3 }, () => desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" })),
  );
  await addDevices(
    db,
    Array.from({ length: 5 }, () => desktopRow("F84003")),
  );
});

const page = (qs = "", cookie = cookies.practiceManager) => call(compliance.loader, get(`/practices/F84003/compliance${qs}`, cookie), F);
const recheck = (cookie: string | undefined, fields: Record<string, string> = {}) =>
  call(compliance.action, post("/practices/F84003/compliance", fields, { cookie }), F);
// The loader sends rows packed as arrays (practice-rows-wire.ts); the page unpacks them as here.
const rowsOf = (data: any) => unpackRows(data.rows);
const row = (data: any, id: string) => rowsOf(data).find((r) => r.requirement.id === id) as any;
const stored = async (ods = "F84003") =>
  (await getDb().selectFrom("evaluation_result").select("id").where("practice_code", "=", ods).execute()).length;

beforeAll(() => {
  expect(win10Ids).toHaveLength(3);
});

// Each test starts with no stored results (its own transaction, rolled back after it); these
// store what a test reads, as the practice would.
/** F84003 evaluated on PAST, when Windows 10 22H2 was still supported (DEV-02 met). */
const checkedInPast = () => evaluatePractice(getDb(), "F84003", PAST);
/** Evaluated on PAST, then re-checked today by the practice manager (DEV-02 partial from today). */
async function recheckedToday() {
  await checkedInPast();
  expect((await recheck(cookies.practiceManager)).status).toBe(302);
}

describe("a practice's compliance page before any check", () => {
  it("says Not checked yet, offers the button only to people who keep the registers, and stores nothing", async () => {
    const pm = await page();
    expect(pm.status).toBe(200);
    expect(pm.data).toMatchObject({ evaluated: false, canRecheck: true, isToday: true, outOfDate: null, lastEvaluatedAt: null });
    expect(rowsOf(pm.data)).toHaveLength(REQUIREMENTS.length);
    expect(rowsOf(pm.data).every((r) => r.result === null)).toBe(true);
    expect((await page("", cookies.icbLead)).data.canRecheck).toBe(false);
    expect((await page("", cookies.partnerIcb)).data.canRecheck).toBe(true);
    expect(await stored()).toBe(0);
  });
});

describe("stale results", () => {
  it("show when they were computed and which requirements the registers now answer differently", async () => {
    await evaluatePractice(getDb(), "F84003", PAST);
    const res = await page();
    expect(res.data.evaluated).toBe(true);
    expect(res.data.lastEvaluatedAt).toBeInstanceOf(Date);
    // Windows 10 22H2 was supported on the earlier date, not now.
    expect(row(res.data, "DEV-02").result).toMatchObject({ status: "met", since: PAST });
    expect(res.data.outOfDate.map((c: any) => c.id)).toContain("DEV-02");
    expect(res.data.outOfDate.find((c: any) => c.id === "DEV-02")).toMatchObject({
      status: "partial",
      title: "Supported operating systems",
    });
  });

  it("Re-check now stores today's results and redirects back with the filters", async () => {
    await checkedInPast();
    const before = await stored();
    const res = await recheck(cookies.practiceManager, { domain: "devices", status: "" });
    expect(res.status).toBe(302);
    const written = (await stored()) - before;
    expect(written).toBeGreaterThan(0);
    expect(written).toBeLessThan(AUTOMATIC_REQUIREMENTS.length);
    expect(res.location).toBe(`/practices/F84003/compliance?domain=devices&rechecked=${written}`);
    const after = await page(`?domain=devices&rechecked=${written}`);
    expect(after.data.rechecked).toBe(written);
    expect(after.data.outOfDate).toEqual([]);
    expect(row(after.data, "DEV-02").result).toMatchObject({ status: "partial", since: todayIso() });
    expect(row(after.data, "DEV-02").result.reason).toBe("3 of 8 desktops run Windows 10 22H2, unsupported since 14 October 2025.");
  });

  it("is refused to people who cannot change the practice's registers", async () => {
    expect((await recheck(cookies.icbLead)).status).toBe(403);
    expect((await recheck(cookies.partnerPractice)).status).toBe(404);
    expect((await recheck(cookies.partnerIcb)).status).toBe(302);
    expect((await recheck(cookies.admin)).status).toBe(302);
  });
});

describe("scores and results on the page", () => {
  it("equal the stored results, overall and per domain", async () => {
    await recheckedToday();
    const today = todayIso();
    const { data } = await page();
    const inForce = await resultsInForce(getDb(), today, ["F84003"]);
    expect(inForce).toHaveLength(AUTOMATIC_REQUIREMENTS.length);
    const all = tally(inForce);
    expect(data.score.counts).toEqual(all.counts);
    expect(data.score.score).toBe(all.score);
    for (const d of data.domains) {
      const mine = inForce.filter((r) => r.domain === d.key);
      if (mine.length === 0) expect(d.summary).toBeNull();
      else expect({ counts: d.summary.counts, score: d.summary.score }).toEqual(tally(mine));
    }
    for (const r of inForce) expect(row(data, r.requirement_id).result.status).toBe(r.status);
    expect(data.selfAssessed).toBe(REQUIREMENTS.length - AUTOMATIC_REQUIREMENTS.length);
  });

  it("lists exactly the requirements each count in the domain table counts", async () => {
    await recheckedToday();
    const { data } = await page();
    for (const d of data.domains) {
      for (const s of [...STATUSES, "attestation"] as const) {
        const expected = s === "attestation" ? d.selfAssessed : (d.summary?.counts[s] ?? 0);
        const res = await page(`?domain=${d.key}&status=${s}`);
        expect(rowsOf(res.data).length, `${d.key} ${s}`).toBe(expected);
        for (const r of rowsOf(res.data) as any[]) {
          expect(r.requirement.domain).toBe(d.key);
          if (s === "attestation") expect(r.result).toBeNull();
          else expect(r.result.status).toBe(s);
        }
      }
    }
    for (const s of STATUSES) expect(rowsOf((await page(`?status=${s}`)).data).length).toBe(data.score.counts[s]);
  });

  it("shows the records relied on, linking each device to its register entry", async () => {
    await recheckedToday();
    const { data } = await page("?domain=devices");
    const evidence: EvidenceRef[] = row(data, "DEV-02").result.evidence;
    const failing = evidence.filter((e) => e.outcome === "fail");
    expect(failing.map((e) => Number(e.id)).sort((a, b) => a - b)).toEqual(win10Ids);
    const href = evidenceHref("F84003", failing[0])!;
    expect(href).toBe(`/practices/F84003/devices/${failing[0].id}`);
    const device = await call(devicePage.loader, get(href, cookies.practiceManager), { ods: "F84003", id: failing[0].id });
    expect(device.status).toBe(200);
    expect(row(data, "DEV-02").result.toFix).toBe("To fix: 3 × operating system upgrade");
    expect(row(data, "DEV-02").requirement.meta).toBe("Core and mandated · funded by the ICB · weight 3 · sources S26, S27, S32");
  });

  it("shows the results in force on an earlier date, typed as people write dates", async () => {
    await recheckedToday();
    const res = await page("?as_of=01/06/2025");
    expect(res.data).toMatchObject({ asOf: PAST, isToday: false, evaluated: true, outOfDate: null });
    expect(row(res.data, "DEV-02").result.status).toBe("met");
    const before = await page("?as_of=2020-01-01");
    expect(before.data.evaluated).toBe(false);
    // A date that is not a date means today.
    expect((await page("?as_of=31/02/2026")).data.isToday).toBe(true);
  });
});

describe("a requirement's history at a practice", () => {
  it("shows the requirement's text and sources and each change of result, newest first", async () => {
    await recheckedToday();
    const res = await call(history.loader, get("/practices/F84003/compliance/DEV-02", cookies.practiceManager), {
      ...F,
      requirementId: "DEV-02",
    });
    expect(res.status).toBe(200);
    expect(res.data.requirement).toMatchObject({ id: "DEV-02", title: "Supported operating systems", automatic: true });
    expect(res.data.requirement.sources[0]).toMatchObject({ ref: "S26" });
    expect(res.data.current).toMatchObject({ status: "partial", since: todayIso() });
    expect(res.data.history.map((h: any) => [h.from, h.until, h.status])).toEqual([
      [todayIso(), null, "partial"],
      [PAST, todayIso(), "met"],
    ]);
  });

  it("explains a self-assessed requirement and 404s an unknown one", async () => {
    const attested = REQUIREMENTS.find((r) => !r.automatic)!;
    const res = await call(history.loader, get(`/practices/F84003/compliance/${attested.id}`, cookies.practiceManager), {
      ...F,
      requirementId: attested.id,
    });
    expect(res.data).toMatchObject({ current: null, history: [] });
    expect(res.data.requirement.automatic).toBe(false);
    const missing = await call(history.loader, get("/practices/F84003/compliance/NOPE-1", cookies.practiceManager), {
      ...F,
      requirementId: "NOPE-1",
    });
    expect(missing.status).toBe(404);
  });
});

describe("forecast", () => {
  it("lists when Windows 11 24H2 support ends within 12 months, from today's result, without storing anything", async () => {
    await recheckedToday();
    const before = await stored();
    const res = await call(forecast.loader, get("/practices/F84003/compliance/forecast", cookies.practiceManager), F);
    expect(res.status).toBe(200);
    const { end_of_support } = await getDb()
      .selectFrom("os_lifecycle")
      .select("end_of_support")
      .where("family", "=", "Windows 11")
      .where("edition", "=", "Enterprise/Education")
      .where("version", "=", "24H2")
      .executeTakeFirstOrThrow();
    const dayAfter = new Date(Date.parse(`${end_of_support}T00:00:00Z`) + 86_400_000).toISOString().slice(0, 10);
    const [first, second] = res.data.periods;
    expect(first.key).toBe("12");
    const dev02 = [...first.rows, ...second.rows].find((r: any) => r.requirementId === "DEV-02");
    expect(dev02).toMatchObject({ date: dayAfter, from: "partial", to: "not_met" });
    expect(dev02.reason).toMatch(/Windows 11/);
    expect(first.rows.every((r: any) => r.date > res.data.asOf && r.date <= first.until)).toBe(true);
    expect(second.rows.every((r: any) => r.date > first.until && r.date <= second.until)).toBe(true);
    expect(await stored()).toBe(before);
  });
});

describe("results follow the registers", () => {
  it("flag a register change that was not re-checked, and match again after Re-check now", async () => {
    await recheckedToday();
    const db = getDb();
    await db
      .updateTable("device")
      .set({ os_family: "Windows 11", os_edition: "Enterprise", os_version: "24H2" })
      .where("id", "in", win10Ids)
      .execute();
    const stale = await page();
    expect(row(stale.data, "DEV-02").result.status).toBe("partial");
    expect(stale.data.outOfDate.map((c: any) => c.id)).toContain("DEV-02");
    expect((await recheck(cookies.partnerIcb)).status).toBe(302);
    const fresh = await page();
    expect(fresh.data.outOfDate).toEqual([]);
    expect(row(fresh.data, "DEV-02").result.status).toBe("met");
  });
});
