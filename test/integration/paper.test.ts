import { monthLong } from "~/modules/paper/format";
import { beforeAll, describe, expect, it } from "vitest";
import * as factorNew from "~/routes/admin.emission-factors.new";
import * as factorList from "~/routes/admin.emission-factors._index";
import * as sustainability from "~/routes/icbs.$code_.sustainability";
import * as sustainabilityExport from "~/routes/icbs.$code_.sustainability.export";
import * as page from "~/routes/practices.$ods.paper._index";
import * as activity from "~/routes/practices.$ods.paper.activity";
import * as exporter from "~/routes/practices.$ods.paper.export";
import * as importer from "~/routes/practices.$ods.paper.import";
import * as lloydGeorge from "~/routes/practices.$ods.paper.lloyd-george";
import * as jobPage from "~/routes/jobs.$id";
import { runPendingJobs } from "~/modules/queue/worker.server";
import { addMonthsYm, last12Months, lastCompleteMonth } from "~/modules/paper/carbon";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";
import { seedAndSignIn } from "../support/scoping";
import { BASE, call, get, post, flashFor } from "../support/requests";

const c: Record<string, string> = {};
const P = { ods: "F84003" };
const URL_ = "/practices/F84003/paper";
const today = todayIso();
const last = lastCompleteMonth(today);
const mm = (ym: string) => `${ym.slice(5, 7)}/${ym.slice(0, 4)}`;

beforeAll(async () => {
  const db = getDb();
  await seedAndSignIn(c, ["pm", "dp", "lead", "admin"]);
  const base = { address: null, postcode: null, phone: null, open_date: null, close_date: null };
  await db
    .insertInto("site")
    .values([
      { ...base, code: "F84003", practice_code: "F84003", kind: "main", name: "LOWER CLAPTON GENERAL PRACTICE", records_storage_m2: 2 },
      { ...base, code: "Y01234", practice_code: "F84003", kind: "branch", name: "CLAPTON BRANCH" },
      { ...base, code: "F84013", practice_code: "F84013", kind: "main", name: "STAMFORD HILL GROUP PRACTICE" },
    ])
    .execute();
});

const month = (ym: string, over: Record<string, string> = {}) => ({
  period_start: mm(ym),
  sheets_printed: "20,000",
  recycled_share_pct: "100",
  letters_posted: "1000",
  sms_sent: "3000",
  nhs_app_messages: "900",
  emails_sent: "100",
  version: "0",
  ...over,
});
const record = (cookie: string, fields: Record<string, string>, ods = "F84003") =>
  call(activity.action, post(`/practices/${ods}/paper/activity`, fields, { cookie }), { ods });
const rows = () => getDb().selectFrom("paper_activity").selectAll().where("practice_code", "=", "F84003").orderBy("period_start").execute();
const audits = (action?: string) => {
  let q = getDb().selectFrom("audit_event").selectAll().where("entity_type", "=", "paper").where("entity_id", "=", "F84003");
  if (action) q = q.where("action", "=", action);
  return q.orderBy("id").execute();
};
const result = (req: string) =>
  getDb()
    .selectFrom("evaluation_result")
    .select(["status", "reason", "units"])
    .where("practice_code", "=", "F84003")
    .where("requirement_id", "=", req)
    .orderBy("as_of", "desc")
    .executeTakeFirst();

describe("recording a month of paper activity", () => {
  it("saves the month, audits it and re-checks the practice's compliance in the same transaction", async () => {
    const res = await record(c.pm, month(last));
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${URL_}#month-${last}`);
    expect(await flashFor(c.pm)).toBe(`Saved the figures for ${monthLong(last)}.`);
    const [row] = await rows();
    expect(row).toMatchObject({ period_start: `${last}-01`, site_code: null, sheets_printed: 20_000, letters_posted: 1000, version: 1 });
    const [event] = await audits("paper_activity.create");
    expect(event.after).toMatchObject({ sheets_printed: 20_000, letters_posted: 1000 });
    // One month of 12: carbon is partly reported; the shares need six months.
    expect((await result("PAP-06"))?.status).toBe("partial");
    expect((await result("PAP-04"))?.status).toBe("unknown");

    const view = await call(page.loader, get(URL_, c.pm), P);
    const fig = view.data.monthly.find((m: any) => m.month === last);
    expect(fig.status).toBe("ok");
    // 19,000 recycled sheets (the 1,000 letters' sheets are in the letter factor) × 4.9896 g ×
    // 1,050.08 kg/t (DESNZ 2026 closed-loop, in force from 1 January 2026) + 19 kg printing + 25 kg post + 0.4 kg email
    expect(last >= "2026-01").toBe(true);
    expect(fig.kg).toBeCloseTo(0.0948024 * 1050.08 + 19 + 25 + 0.4, 3);
    expect(view.data.rolling.kg).toBeNull();
    expect(view.data.rolling.missingMonths).toHaveLength(11);
  });

  it("opens an existing month to change it, with optimistic locking", async () => {
    await recordLastMonth();
    const form = await call(activity.loader, get(`${URL_}/activity?month=${last}`, c.pm), P);
    expect(form.data.existing).toMatchObject({ letters_posted: 1000, version: 1 });
    const res = await record(c.pm, month(last, { letters_posted: "600", version: "1" }));
    expect(res.status).toBe(302);
    expect((await rows())[0]).toMatchObject({ letters_posted: 600, version: 2 });
    const stale = await record(c.pm, month(last, { letters_posted: "700", version: "1" }));
    expect(stale.data.formError).toMatch(/Someone else changed this month's paper figures/);
    const again = await record(c.pm, month(last, { version: "0" }));
    expect(again.data.formError).toMatch(/already recorded\. Open that month to change them/);
    expect((await rows())[0].letters_posted).toBe(600);
  });

  it("puts each problem next to its field and saves nothing", async () => {
    await recordLastMonth();
    const before = (await rows()).length;
    const bad = await record(
      c.pm,
      month(addMonthsYm(last, -1), { period_start: "13/2026", sheets_printed: "-5", recycled_share_pct: "120" }),
    );
    expect(bad.status).toBe(400);
    expect(bad.data.fieldErrors).toMatchObject({
      period_start: "Month must be a real month, like 10/2026 or October 2026",
      sheets_printed: "Sheets of paper printed must be a whole number from 0 to 10,000,000",
      recycled_share_pct: "Recycled paper share (%) must be a number from 0 to 100",
    });
    const site = await record(c.pm, month(addMonthsYm(last, -1), { site_code: "F84013" }));
    expect(site.data.fieldErrors).toEqual({ site_code: "Site F84013 is not one of this practice's sites" });
    const overlap = await record(c.pm, month(addMonthsYm(last, -1), { period_end: mm(last) }));
    expect(overlap.data.fieldErrors.period_start).toMatch(/overlaps the figures already recorded/);
    const backwards = await record(c.pm, month(last, { period_end: mm(addMonthsYm(last, -2)) }));
    expect(backwards.data.fieldErrors.period_end).toBe("The last month must be the same as or after the first month");
    expect((await rows()).length).toBe(before);
  });

  it("records a site separately from the whole practice", async () => {
    await recordLastMonth();
    const res = await record(c.pm, month(last, { site_code: "Y01234", sheets_printed: "1000" }));
    expect(res.status).toBe(302);
    const view = await call(page.loader, get(URL_, c.pm), P);
    expect(view.data.monthly.find((m: any) => m.month === last).inputs.sheets).toBe(21_000);
  });

  it("refuses other people and other practices", async () => {
    expect((await record(c.dp, month(last))).status).toBe(403);
    expect((await record(c.lead, month(last))).status).toBe(403);
    expect((await record(c.pm, month(last), "F84013")).status).toBe(404);
    expect((await record(c.pm, month(last), "A81001")).status).toBe(404);
    expect(await getDb().selectFrom("paper_activity").select("id").where("practice_code", "!=", "F84003").execute()).toEqual([]);
  });
});

describe("Lloyd George records", () => {
  const lg = (over: Record<string, string> = {}) => ({
    envelopes_on_site: "8,000",
    envelopes_elsewhere: "1000",
    digitised: "3000",
    destroyed: "1000",
    new_envelopes_since_2021: "0",
    version: "0",
    ...over,
  });
  const save = (cookie: string, fields: Record<string, string>) =>
    call(lloydGeorge.action, post(`${URL_}/lloyd-george`, fields, { cookie }), P);

  it("checks the counts against each other", async () => {
    const res = await save(c.pm, lg({ destroyed: "4000" }));
    expect(res.data.fieldErrors).toEqual({ destroyed: "Envelopes destroyed cannot be more than the records scanned" });
    const more = await save(c.pm, lg({ digitised: "20000", destroyed: "0" }));
    expect(more.data.fieldErrors).toEqual({ digitised: "Records scanned cannot be more than the 9,000 records held and destroyed" });
  });

  it("records them, audited, and PAP-01/PAP-02 give remediation units", async () => {
    expect((await save(c.pm, lg())).status).toBe(302);
    expect((await audits("lloyd_george.create")).length).toBe(1);
    const pap01 = await result("PAP-01");
    expect(pap01?.status).toBe("partial");
    expect(pap01?.units).toEqual([{ kind: "lloyd_george_digitisation", quantity: 7000 }]);
    // The destruction is one piece of work shared with PREM-03 (the floor space it frees): costed there once, listed here at £0.
    expect((await result("PAP-02"))?.units).toEqual([
      { kind: "lloyd_george_destruction", quantity: 0, covered: 2000, costedUnder: "PREM-03" },
    ]);
    expect(await save(c.pm, lg())).toMatchObject({ data: { formError: expect.stringMatching(/Someone else changed/) } });
    expect((await save(c.pm, lg({ digitised: "10000", destroyed: "1000", envelopes_on_site: "8000", version: "1" }))).status).toBe(302);
    expect((await result("PAP-01"))?.status).toBe("met");
    const view = await call(page.loader, get(URL_, c.dp), P);
    expect(view.data.counts).toEqual({ total: 10_000, notDigitised: 0, awaitingDestruction: 9000, held: 9000 });
    expect(view.data.savings.lloydGeorge).toMatchObject({ status: "ok", floorM2: 2, floorFromSites: true });
  });
});

// Each test starts from the beforeAll state (its own transaction, rolled back after it): these
// record what a test needs first, through the page as the practice manager would.
/** The last complete month for the whole practice: 20,000 sheets, 1,000 letters (version 1). */
const recordLastMonth = async () => expect((await record(c.pm, month(last))).status).toBe(302);
/** Every one of the last 12 months for the whole practice. */
async function recordYear() {
  for (const m of last12Months(today)) expect((await record(c.pm, month(m))).status).toBe(302);
}

const csvFile = (lines: string[]) => new File([lines.join("\r\n")], "paper.csv", { type: "text/csv" });
function upload(cookie: string, file: File) {
  const fd = new FormData();
  fd.append("file", file);
  return call(
    importer.action,
    new Request(`${BASE}${URL_}/import`, { method: "POST", body: fd, headers: { Cookie: cookie, Origin: BASE } }),
    P,
  );
}
const preview = async (cookie: string, location: string) => (await call(importer.loader, get(location, cookie), P)).data.preview;
/** Confirms an import: the page queues a job and moves to its page; the worker runs it; its page shows what it did. */
async function commit(cookie: string, id: string) {
  const res = await call(importer.action, post(`${URL_}/import`, { intent: "commit", upload: id }, { cookie }), P);
  expect(res.status).toBe(302);
  const jobId = /^\/jobs\/(\d+)$/.exec(res.location ?? "")![1];
  await runPendingJobs(getDb());
  const job = (await call(jobPage.loader, get(`/jobs/${jobId}`, cookie), { id: jobId })).data.job;
  expect(job).toMatchObject({ kind: "import", status: "done", error: null });
  return { data: { ok: true, counts: job.import.result.counts } };
}

describe("importing paper activity", () => {
  const months = last12Months(today).slice(0, 6); // six months before any recorded by hand
  const header = "Month;Site;Sheets printed;Recycled;Letters;SMS;NHS App;Emails;Colour";
  const good = months.map((m) => `${mm(m)};;10000;100;500;2000;600;0;blue`);
  /** The six good rows, imported. */
  async function importGood() {
    const res = await upload(c.pm, csvFile([header, ...good]));
    expect((await commit(c.pm, (await preview(c.pm, res.location!)).id)).data.counts).toMatchObject({ created: 6 });
  }

  it("previews every row with its problems, then imports the valid rows in one go", async () => {
    const res = await upload(
      c.pm,
      csvFile([header, ...good, "13/2026;;1;1;1;1;1;1;x", `${mm(months[0])};ZZZ;1;1;1;1;1;1;x`, `${mm(months[1])};;-1;;;;;;`]),
    );
    expect(res.status).toBe(302);
    const p = await preview(c.pm, res.location!);
    expect(p.counts).toMatchObject({ rows: 9, create: 6, update: 0, unchanged: 0, rejected: 3 });
    expect(p.ignored).toEqual(["Colour"]);
    expect(p.issues).toEqual(
      expect.arrayContaining([
        { row: 8, column: "Month", message: "Month must be a real month, like 10/2026 or October 2026" },
        { row: 9, column: "Site", message: "Site ZZZ is not one of this practice's sites" },
        { row: 10, column: "Sheets printed", message: "Sheets of paper printed must be a whole number from 0 to 10,000,000" },
      ]),
    );
    const done = await commit(c.pm, p.id);
    expect(done.data).toEqual({ ok: true, counts: { created: 6, updated: 0, unchanged: 0, rejected: 3 } });
    expect((await audits("paper_activity.import_create")).length).toBe(6);
    expect((await result("PAP-04"))?.status).not.toBe("unknown");
  });

  it("changes nothing when the same file is imported again", async () => {
    await importGood();
    const eventsBefore = (await audits()).length;
    const res = await upload(c.pm, csvFile([header, ...good]));
    const p = await preview(c.pm, res.location!);
    expect(p.counts).toMatchObject({ create: 0, update: 0, unchanged: 6, rejected: 0 });
    expect((await commit(c.pm, p.id)).data.counts).toEqual({ created: 0, updated: 0, unchanged: 6, rejected: 0 });
    expect((await audits()).length).toBe(eventsBefore);
  });

  it("refuses a file without a month column, an unreadable file, and other practices' rows", async () => {
    const noMonth = await upload(c.pm, csvFile(["Sheets,Letters", "1,2"]));
    expect((await preview(c.pm, noMonth.location!)).problems).toEqual([
      "The file needs a column for the month (headed period_start or Month).",
    ]);
    const empty = await upload(c.pm, csvFile([header]));
    expect(empty.data.fieldErrors.file).toBe("The file has a header row but no rows of paper figures.");
    const other = await upload(c.pm, csvFile(["practice_ods_code,period_start,sheets_printed", `F84013,${mm(months[0])},5`]));
    const issues = (await preview(c.pm, other.location!)).issues;
    expect(issues[0]).toMatchObject({
      row: 2,
      column: "practice_ods_code",
      message: "This row is for practice F84013; this import is for F84003 only",
    });
  });

  it("re-imports its own export unchanged", async () => {
    // Eight rows to export: the last month, a site's figures for it, and the six imported months.
    await recordLastMonth();
    expect((await record(c.pm, month(last, { site_code: "Y01234", sheets_printed: "1000" }))).status).toBe(302);
    await importGood();
    const res = await call(exporter.loader, get(`${URL_}/export?format=csv`, c.lead), P);
    const text = await res.response!.text();
    expect(text.split("\r\n")[0]).toContain("period_start,period_end,site_code,sheets_printed");
    const again = await upload(c.pm, new File([text], "export.csv", { type: "text/csv" }));
    const p = await preview(c.pm, again.location!);
    expect(p.counts.rejected).toBe(0);
    expect(p.counts.create + p.counts.update).toBe(0);
    expect(p.counts.unchanged).toBeGreaterThanOrEqual(8);
  });
});

describe("emission factor versions", () => {
  it("changes only the periods from the new version's effective date", async () => {
    await recordLastMonth();
    const before = (await call(page.loader, get(URL_, c.pm), P)).data.monthly;
    const from = `${months(2)}-01`;
    const add = await call(
      factorNew.action,
      post(
        "/admin/emission-factors/new",
        { key: "letter_posted", value: "50", effective_from: from, source: "Test: doubled", is_assumption: "yes" },
        { cookie: c.admin },
      ),
      {},
    );
    expect(add.status).toBe(302);
    // The list says which version was added, once (a notice on the session, not ?added= in the address).
    expect(add.location).toBe("/admin/emission-factors#factor-letter_posted");
    const added = await getDb().selectFrom("emission_factor").select("id").where("source", "=", "Test: doubled").executeTakeFirstOrThrow();
    expect((await call(factorList.loader, get("/admin/emission-factors", c.admin), {})).data.added).toBe(added.id);
    expect((await call(factorList.loader, get("/admin/emission-factors", c.admin), {})).data.added).toBeNull();
    const after = (await call(page.loader, get(URL_, c.pm), P)).data.monthly;
    for (const [i, m] of after.entries()) {
      const b = before[i];
      if (m.status !== "ok") continue;
      if (`${m.month}-01` < from) expect(m.kg).toBeCloseTo(b.kg, 9);
      else expect(m.kg - b.kg).toBeCloseTo(m.inputs.letters * 0.025, 6);
    }
    expect(after.some((m: any) => m.status === "ok" && `${m.month}-01` >= from)).toBe(true);
    const dup = await call(
      factorNew.action,
      post(
        "/admin/emission-factors/new",
        { key: "letter_posted", value: "40", effective_from: from, source: "again", is_assumption: "no" },
        { cookie: c.admin },
      ),
      {},
    );
    expect(dup.data.fieldErrors).toEqual({
      effective_from: "A version of this factor already applies from that date; choose another date",
    });
    const event = await getDb().selectFrom("audit_event").selectAll().where("action", "=", "emission_factor.add").executeTakeFirstOrThrow();
    expect(event.after).toMatchObject({ key: "letter_posted", value: 50 });
  });
});

function months(back: number) {
  return addMonthsYm(last, -back);
}

describe("ICB sustainability view", () => {
  it("ranks practices per 1,000 patients, showing missing data as missing", async () => {
    // Fill F84003's last 12 months.
    const db = getDb();
    const have = new Set((await rows()).filter((r) => r.site_code === null).map((r) => r.period_start.slice(0, 7)));
    for (const m of last12Months(today)) if (!have.has(m)) expect((await record(c.pm, month(m))).status).toBe(302);
    await db
      .insertInto("paper_activity")
      .values({ practice_code: "F84013", period_start: `${last}-01`, period_end: `${last}-28`, sheets_printed: 1 })
      .execute();
    const res = await call(sustainability.loader, get("/icbs/QMF/sustainability", c.lead), { code: "QMF" });
    const [first, second] = res.data.practices;
    expect(first).toMatchObject({ ods_code: "F84003", recorded: 12, missing: null });
    expect(first.per1000).toBeCloseTo((first.kg / 11_000) * 1000, 9);
    expect(second).toMatchObject({ ods_code: "F84013", kg: null, per1000: null, missing: "12 of 12 months missing or incomplete" });
    expect(res.data.pcns[0]).toMatchObject({ code: "U05451", practices: 2, complete: 1, missing: "1 of 2 practices missing" });
    expect(res.data.pcns[0].per1000).toBeCloseTo(first.per1000, 9);
    // Month by month: F84013's incomplete month does not count, as zero or otherwise.
    const lastMonth = res.data.monthly.at(-1);
    expect(lastMonth).toMatchObject({ month: last, reporting: 1 });
    expect(res.data.monthly.every((m: any) => m.reporting === 1 && m.per1000 > 0)).toBe(true);

    const onePcn = await call(sustainability.loader, get("/icbs/QMF/sustainability?pcn=U05451", c.lead), { code: "QMF" });
    expect(onePcn.data.pcn).toEqual({ code: "U05451", name: "HACKNEY MARSHES PCN" });
    expect(onePcn.data.practices.map((p: any) => p.ods_code)).toEqual(["F84003", "F84013"]);
    // A PCN of another ICB is not found here.
    expect((await call(sustainability.loader, get("/icbs/QMF/sustainability?pcn=U89141", c.lead), { code: "QMF" })).status).toBe(404);

    const csv = await (
      await call(sustainabilityExport.loader, get("/icbs/QMF/sustainability/export?format=csv", c.lead), { code: "QMF" })
    ).response!.text();
    const lines = csv.replace(/^\ufeff/, "").split("\r\n");
    // Issue #13 item 8: each list size says when it was counted (the export too).
    expect(lines[0]).toBe(
      "rank,practice_ods_code,practice_name,pcn_code,pcn_name,list_size,list_size_month,months_recorded,kg_co2e_12_months,kg_co2e_per_1000_patients,missing",
    );
    expect(lines[1]).toMatch(/^1,F84003,.*,11000,2026-04,12,/);
    expect(lines[2]).toMatch(/^,F84013,.*,12 of 12 months missing or incomplete$/);
    expect(res.data.totals.listSizes).toEqual({ months: ["2026-04"], unknown: 0, mixed: false });
  });

  it("says when the patient counts behind the figures were counted in different months", async () => {
    await recordYear(); // F84003's figures are complete
    const db = getDb();
    const have = new Set(
      (await db.selectFrom("paper_activity").select("period_start").where("practice_code", "=", "F84013").execute()).map((r) =>
        r.period_start.slice(0, 7),
      ),
    );
    const values = last12Months(today)
      .filter((m) => !have.has(m))
      .map((m) => ({
        practice_code: "F84013",
        period_start: `${m}-01`,
        period_end: `${m}-28`,
        sheets_printed: 5000,
        recycled_share_pct: 100,
        letters_posted: 100,
        sms_sent: 0,
        nhs_app_messages: 0,
        emails_sent: 0,
      }));
    await db.insertInto("paper_activity").values(values).execute();
    await db
      .updateTable("paper_activity")
      .set({ recycled_share_pct: 100, letters_posted: 100, sms_sent: 0, nhs_app_messages: 0, emails_sent: 0 })
      .where("practice_code", "=", "F84013")
      .execute();
    await db.updateTable("practice").set({ list_size_date: "2021-01-01" }).where("ods_code", "=", "F84013").execute();
    const res = await call(sustainability.loader, get("/icbs/QMF/sustainability", c.lead), { code: "QMF" });
    expect(res.data.practices.find((p: any) => p.ods_code === "F84013")).toMatchObject({ recorded: 12, list_size_month: "2021-01" });
    expect(res.data.totals.listSizes).toEqual({ months: ["2021-01", "2026-04"], unknown: 0, mixed: true });
    expect(res.data.pcns[0].listSizes.mixed).toBe(true);
  });
});
