import { describe, expect, it } from "vitest";
import { REQUIREMENTS } from "~/modules/catalogue";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { STATUSES, type Status } from "~/modules/catalogue/rule-types";
import { getIcbCompliancePage } from "~/modules/compliance/icb-view.server";
import { listHref } from "~/modules/compliance/display";
import { compactHeatRow, type IcbHeatRow } from "~/components/compliance/types";
import { unpackIcbHeatRows, unpackIcbPracticeRows } from "~/modules/compliance/icb-rows-wire";
import { IcbComplianceFiltersSchema } from "~/modules/compliance/schema";
import { unpackOrgs } from "~/modules/gaps/options-wire";
import { getIcbSummary } from "~/modules/compliance/service.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import "~/modules/jobs/recheck.server";
import * as icbPage from "~/routes/icbs.$code_.compliance._index";
import * as jobPage from "~/routes/jobs.$id";
import * as requirementPage from "~/routes/icbs.$code_.compliance.$requirementId";
import { getDb } from "~/utils/db.server";
import { PAGE_SIZE } from "~/utils/pagination";
import { todayIso } from "~/utils/today";
import { addDevices, addMainSites, addPractices, desktopRow, pcnRow } from "../support/compliance-db";
import { prepareCompliance, resultsInForce, tally } from "../support/compliance-pages";
import { call, get, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";

const Q = { code: "QMF" };

// QMF: F84003 and F84013 plus 30 test practices; T00001-T00010 in a second PCN, T00011 in none;
// some with Windows 10, an old fleet or no HSCN so scores differ. Two more are added after the
// ICB was checked, so they have no results.
const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  const codes = await addPractices(db, 30, "T");
  await db.insertInto("pcn").values(pcnRow("U99999", "RIVERSIDE PCN")).execute();
  await db.updateTable("practice").set({ pcn_code: "U99999" }).where("ods_code", "in", codes.slice(0, 10)).execute();
  await db.updateTable("practice").set({ pcn_code: null }).where("ods_code", "=", codes[10]).execute();
  await db.updateTable("practice").set({ list_size: 2500 }).where("ods_code", "in", codes.slice(20, 25)).execute();
  await addDevices(
    db,
    codes
      .slice(0, 5)
      .flatMap((c) => [
        desktopRow(c, { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
        desktopRow(c, { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
      ]),
  );
  await db.updateTable("device").set({ purchase_date: "2015-03-01" }).where("practice_code", "in", codes.slice(11, 15)).execute();
  await db
    .updateTable("site")
    .set({ hscn_connected: false, resilient_line: null })
    .where("practice_code", "in", [codes[5], codes[16]])
    .execute();
  await evaluateScope(db, { icb: "QMF" }, todayIso());
  await addPractices(db, 2, "N");
});

/** The page's data with its heat map, PCNs and practices as objects again, as the page unpacks them. */
const unpacked = (r: Awaited<ReturnType<typeof call>>) =>
  r.status !== 200
    ? r
    : {
        ...r,
        data: {
          ...r.data,
          heatmap: unpackIcbHeatRows(r.data.heatmap),
          pcns: unpackOrgs(r.data.pcns),
          page: { ...r.data.page, rows: unpackIcbPracticeRows(r.data.page.rows) },
        },
      };
const loadPacked = (qs = "", cookie = cookies.icbLead) => call(icbPage.loader, get(`/icbs/QMF/compliance${qs}`, cookie), Q);
const load = async (qs = "", cookie = cookies.icbLead) => unpacked(await loadPacked(qs, cookie));
const loadHref = async (href: string, cookie = cookies.icbLead) => unpacked(await call(icbPage.loader, get(href, cookie), Q));

/** Every row a link leads to, across its pages. */
async function allRows(href: string) {
  const first = await loadHref(href);
  const rows = [...first.data.page.rows];
  for (let p = 2; p <= first.data.page.pageCount; p++)
    rows.push(...(await loadHref(`${href}${href.includes("?") ? "&" : "?"}page=${p}`)).data.page.rows);
  expect(rows).toHaveLength(first.data.page.total);
  return { total: first.data.page.total, rows };
}

const sumCounts = (rows: { counts: Record<Status, number> | null }[]) => {
  const out: Record<Status, number> = { met: 0, partial: 0, not_met: 0, unknown: 0, not_applicable: 0 };
  for (const r of rows) for (const s of STATUSES) out[s] += r.counts?.[s] ?? 0;
  return out;
};

describe("an ICB's compliance page", () => {
  it("lists every open practice, checked or not, with scores and counts equal to the stored results", async () => {
    const today = todayIso();
    const { rows, total } = await allRows("/icbs/QMF/compliance?sort=ods");
    expect(total).toBe(34);
    expect(rows.map((r: any) => r.ods_code)).toEqual([...rows.map((r: any) => r.ods_code)].sort());
    const inForce = await resultsInForce(getDb(), today);
    for (const r of rows) {
      const mine = inForce.filter((x) => x.practice_code === r.ods_code);
      if (r.ods_code.startsWith("N")) {
        expect(r).toMatchObject({ checked: false, score: null, counts: null });
        continue;
      }
      const t = tally(mine);
      expect({ ods: r.ods_code, counts: r.counts, score: r.score }).toEqual({ ods: r.ods_code, counts: t.counts, score: t.score });
    }
    const scores = new Set(rows.filter((r: any) => r.checked).map((r: any) => r.score));
    expect(scores.size).toBeGreaterThan(2);
    expect(rows.find((r: any) => r.ods_code === "T00021")).toMatchObject({ list_size: 2500, pcn_name: "HACKNEY MARSHES PCN" });
  });

  it("heat map: each cell's practices and counts are exactly the practices its link lists, and its score comes from their results", async () => {
    const today = todayIso();
    const { data } = await load();
    const inForce = await resultsInForce(getDb(), today);
    const service = await getIcbSummary(getDb(), "QMF", today);
    // The page's data leaves out each cell's counts by status (not shown); the service's cell has them.
    const full = await getIcbCompliancePage(getDb(), { code: "QMF", name: null }, IcbComplianceFiltersSchema.parse({}), 1, today);
    // Each cell as [practices, score, unknown] in the order of the page's domains, and no links.
    expect(data.heatmap).toEqual(full.heatmap.map(compactHeatRow));
    // Sent as arrays, not objects: the rows of the map and of the list, and the PCNs to filter by.
    const sent = (await loadPacked()).data;
    expect([...sent.heatmap, ...sent.page.rows].every(Array.isArray)).toBe(true);
    expect(sent.pcns).toEqual([full.pcns.map((p) => p.code), full.pcns.map((p) => p.name)]);
    expect(data.pcns).toEqual(full.pcns);
    expect(data.page.rows).toEqual(full.page.rows);
    expect(full.heatmap.every((r) => r.cells.every((c, i) => c.domain === data.domains[i].key))).toBe(true);
    // The page draws each row's and cell's link with the same helper as the service.
    for (const r of full.heatmap) {
      expect(listHref("/icbs/QMF/compliance", { pcn: r.pcn, checked: "yes" }, null)).toBe(r.href);
      for (const c of r.cells) expect(listHref("/icbs/QMF/compliance", { pcn: r.pcn, domain: c.domain }, null)).toBe(c.href);
    }
    expect(data.heatmap.map((r: any) => r.pcn_name)).toEqual(["HACKNEY MARSHES PCN", "RIVERSIDE PCN", "No PCN"]);
    for (const row of full.heatmap) {
      const listed = await allRows(row.href);
      expect(listed.total, row.pcn).toBe(row.practices);
      const codes = new Set(listed.rows.map((r: any) => r.ods_code));
      expect(row.score).toBe(tally(inForce.filter((x) => codes.has(x.practice_code))).score);
      expect(row.score).toBe(service.heatmap.find((h) => (h.pcn_code ?? "none") === row.pcn)!.overall);
      for (const cell of row.cells) {
        const list = await allRows(cell.href);
        expect(list.total, `${row.pcn} × ${cell.domain}`).toBe(cell.practices);
        expect(sumCounts(list.rows)).toEqual(cell.counts);
        const mine = inForce.filter((x) => x.domain === cell.domain && list.rows.some((r: any) => r.ods_code === x.practice_code));
        expect(cell.score).toBe(tally(mine).score);
        expect(cell.unknown).toBe(tally(mine).counts.unknown);
        expect(cell.score).toBe(service.heatmap.find((h) => (h.pcn_code ?? "none") === row.pcn)!.cells[cell.domain].score);
      }
    }
    const riverside = data.heatmap.find((r: IcbHeatRow) => r.pcn === "U99999")!;
    expect(riverside.practices).toBe(10);
    expect(full.heatmap.find((r) => r.pcn === "U99999")!.cells.find((c) => c.domain === "devices")!.href).toBe(
      "/icbs/QMF/compliance?pcn=U99999&domain=devices",
    );
  });

  it("headline counts (checked, not checked, score bands) equal the practices their links list", async () => {
    const { data } = await load();
    expect(data.openPractices).toBe(34);
    expect(data.checked.practices).toBe(32);
    expect(data.notChecked.practices).toBe(2);
    expect((await loadHref(data.checked.href)).data.page.total).toBe(32);
    const notChecked = await loadHref(data.notChecked.href);
    expect(notChecked.data.page.rows.map((r: any) => r.ods_code)).toEqual(["N00001", "N00002"]);
    let banded = 0;
    for (const b of data.bands) {
      const list = await allRows(b.href);
      expect(list.total, b.key).toBe(b.practices);
      for (const r of list.rows) expect(r.score >= b.min && r.score <= b.max).toBe(true);
      banded += b.practices;
    }
    expect(banded).toBe(32);
  });

  it("filters by name or code, PCN, domain and score, and sorts with missing scores last", async () => {
    expect((await load("?q=t00003")).data.page.rows.map((r: any) => r.ods_code)).toEqual(["T00003"]);
    expect((await load("?q=stamford")).data.page.rows.map((r: any) => r.ods_code)).toEqual(["F84013"]);
    expect((await load("?pcn=none")).data.page.rows.map((r: any) => r.ods_code)).toEqual(["T00011"]);
    const devices = await load("?domain=devices&pcn=U99999&sort=ods");
    expect(devices.data.page.total).toBe(10);
    const { data: whole } = await load("?sort=ods&pcn=U99999");
    // With a domain the score is that domain's, not the practice's overall score.
    expect(devices.data.page.rows[0].score).not.toBe(whole.page.rows[0].score);
    const asc = await allRows("/icbs/QMF/compliance?sort=score&dir=asc");
    const scores = asc.rows.map((r: any) => r.score);
    expect(scores.slice(-2)).toEqual([null, null]);
    const known = scores.filter((s: number | null) => s !== null) as number[];
    expect(known).toEqual([...known].sort((a, b) => a - b));
    const [min, max] = [known[3], known[20]];
    expect(min).toBeLessThan(max);
    const ranged = await allRows(`/icbs/QMF/compliance?min=${min}&max=${max}`);
    expect(ranged.total).toBe(known.filter((s) => s >= min && s <= max).length);
    const desc = await allRows("/icbs/QMF/compliance?sort=name&dir=desc");
    const names = desc.rows.map((r: any) => r.name);
    expect(names).toEqual([...names].sort((a: string, b: string) => b.localeCompare(a, "en-GB")));
    // Bad values are dropped rather than failing the page.
    expect((await load("?min=lots&sort=colour&domain=nope")).data.filters).toMatchObject({
      min: undefined,
      sort: "score",
      domain: undefined,
    });
  });

  it("pages the list in a stable order", async () => {
    const one = await load("?sort=score");
    const two = await load("?sort=score&page=2");
    expect(one.data.page.rows).toHaveLength(PAGE_SIZE);
    expect(two.data.page.rows).toHaveLength(34 - PAGE_SIZE);
    const codes = [...one.data.page.rows, ...two.data.page.rows].map((r: any) => r.ods_code);
    expect(new Set(codes).size).toBe(34);
  });
});

describe("one requirement across the ICB", () => {
  it("counts practices by result, and each count lists exactly those practices", async () => {
    const today = todayIso();
    const res = await call(requirementPage.loader, get("/icbs/QMF/compliance/DEV-02", cookies.partnerIcb), {
      ...Q,
      requirementId: "DEV-02",
    });
    expect(res.status).toBe(200);
    const { data } = res;
    expect(data.checked).toBe(32);
    expect(data.notChecked).toBe(2);
    const inForce = (await resultsInForce(getDb(), today)).filter((r) => r.requirement_id === "DEV-02");
    for (const c of data.counts) {
      expect(c.practices).toBe(inForce.filter((r) => r.status === c.status).length);
      const list = await call(requirementPage.loader, get(c.href, cookies.partnerIcb), { ...Q, requirementId: "DEV-02" });
      expect(list.data.page.total, c.status).toBe(c.practices);
      for (const r of list.data.page.rows) expect(r.result.status).toBe(c.status);
    }
    expect(data.counts.find((c: any) => c.status === "partial").practices).toBe(5);
    // Least compliant first.
    expect(data.page.rows[0].result.status).toBe("partial");
  });

  it("explains a self-assessed requirement and 404s an unknown one", async () => {
    const attested = REQUIREMENTS.find((r) => !r.automatic)!;
    const res = await call(requirementPage.loader, get(`/icbs/QMF/compliance/${attested.id}`, cookies.icbLead), {
      ...Q,
      requirementId: attested.id,
    });
    expect(res.data).toMatchObject({ checked: 0 });
    expect(res.data.requirement.automatic).toBe(false);
    expect(
      (await call(requirementPage.loader, get("/icbs/QMF/compliance/XYZ-9", cookies.icbLead), { ...Q, requirementId: "XYZ-9" })).status,
    ).toBe(404);
  });
});

describe("re-checking every practice in the ICB", () => {
  it("is for the ICB's digital lead and admins", async () => {
    const recheck = (cookie?: string) => call(icbPage.action, post("/icbs/QMF/compliance", { intent: "recheck" }, { cookie }), Q);
    expect((await recheck(cookies.partnerIcb)).status).toBe(403);
    expect((await recheck(cookies.practiceManager)).status).toBe(404);
    expect((await recheck(cookies.nobody)).status).toBe(403);
    expect((await load("", cookies.icbLead)).data.canRecheck).toBe(true);
    expect((await load("", cookies.partnerIcb)).data.canRecheck).toBe(false);
    const qhm = await call(icbPage.action, post("/icbs/QHM/compliance", { intent: "recheck" }, { cookie: cookies.icbLead }), {
      code: "QHM",
    });
    expect(qhm.status).toBe(404);
  });

  it("evaluates every open practice and shows the counts", async () => {
    // The re-check is queued as a background job (issue 12): the button leads to its page, and
    // the job's outcome carries the counts the button used to show.
    const res = await call(icbPage.action, post("/icbs/QMF/compliance", { intent: "recheck" }, { cookie: cookies.icbLead }), Q);
    expect(res.status).toBe(302);
    const jobId = Number(res.location!.replace("/jobs/", ""));
    expect(await runPendingJobs(getDb())).toEqual([jobId]);
    const job = await call(jobPage.loader, get(`/jobs/${jobId}`, cookies.icbLead), { id: String(jobId) });
    expect(job.data.job).toMatchObject({ status: "done", done: 34, total: 34 });
    expect(job.data.job.result).toMatchObject({ asOf: todayIso(), practices: 34 });
    // The two new practices got every result; the others were unchanged.
    expect(job.data.job.result.written).toBeGreaterThan(0);
    const { data } = await load();
    expect(data.notChecked.practices).toBe(0);
    expect(data.lastRun.asOf).toBe(todayIso());
    expect(data.lastRun.finishedAt).toBeInstanceOf(Date);
  });
});
