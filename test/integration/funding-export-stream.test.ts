import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { beforeAll, describe, expect, it } from "vitest";
import { REQUIREMENTS } from "~/modules/catalogue";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { pipelineExport } from "~/modules/funding/export.server";
import { getDb } from "~/utils/db.server";
import type { Scope } from "~/utils/permissions";
import { seedOrgs } from "../support/factories";
import { countingDb } from "./query-count.support";

// The funding pipeline download (issue 12) streams like the gap register's: requests and their
// gap lines are read a batch at a time as the client takes the file, and the totals row is
// added up from the rows written. 23 requests read 4 at a time: 6 batches.
const REQUESTS = 23;
const BATCH = 4;
const today = "2026-12-04";
const QMF: Scope = { all: false, icbCodes: ["QMF"], practiceCodes: [] };

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await ensureCatalogue(db);
  const gaps = Array.from({ length: REQUESTS * 2 }, (_, i) => ({
    // One open gap per practice and requirement: two practices, a requirement each pair.
    id: 7000 + i,
    practice_code: i % 2 ? "F84003" : "F84013",
    requirement_id: REQUIREMENTS[i >> 1].id,
    status: "open" as const,
    result_status: "not_met" as const,
    reason: "Windows 10 laptop",
    units: JSON.stringify([{ kind: "laptop_replacement", quantity: 1 }]),
    first_seen: "2026-01-05",
    deadline: "2026-07-05",
    closed_on: null,
  }));
  await db.insertInto("gap").values(gaps).execute();
  await db
    .insertInto("funding_request")
    .values(
      Array.from({ length: REQUESTS }, (_, i) => ({
        id: 600 + i,
        icb_code: "QMF",
        title: `Request ${i}`,
        financial_year: 2026,
        amount_pence: 10_000 + i * 137,
        amount_reason: null,
        justification: "Unsupported laptops",
        status: i % 3 ? ("submitted" as const) : ("draft" as const),
        created_by: null,
      })),
    )
    .execute();
  // Two gap lines a request; every fifth request has one line with no estimate.
  await db
    .insertInto("funding_request_gap")
    .values(
      Array.from({ length: REQUESTS * 2 }, (_, i) => ({
        request_id: 600 + (i >> 1),
        gap_id: 7000 + i,
        estimate_pence: (i >> 1) % 5 === 0 && i % 2 ? null : 5_000 + i,
      })),
    )
    .execute();
}, 120_000);

async function readAll(body: ReadableStream<Uint8Array>) {
  return Buffer.from(await new Response(body).arrayBuffer());
}

describe("funding pipeline export streams from the database", () => {
  it("CSV of requests: first bytes before most batches are read; every request in id order and a totals row that adds up", async () => {
    const { db, counter } = countingDb(getDb());
    const res = await pipelineExport(db, QMF, {}, "csv", "requests", today, { batchSize: BATCH });
    expect(res.headers.get("Content-Disposition")).toBe(`attachment; filename="funding-pipeline-${today}-requests.csv"`);
    expect(res.body).toBeInstanceOf(ReadableStream);
    const reader = res.body!.getReader();
    const first = await reader.read();
    expect(first.done).toBe(false);
    const batches = Math.ceil(REQUESTS / BATCH);
    // Each batch is two statements (the requests, then their gap lines): the first bytes leave
    // after a couple of batches at most, not all of them.
    expect(counter.n).toBeLessThan(batches);
    const chunks = [Buffer.from(first.value!)];
    for (let r = await reader.read(); !r.done; r = await reader.read()) chunks.push(Buffer.from(r.value));
    expect(counter.n).toBeGreaterThanOrEqual(batches * 2);
    const rows = parse(Buffer.concat(chunks).toString("utf8"), { bom: true, columns: true, relax_column_count: true }) as Record<
      string,
      string
    >[];
    const total = rows.pop()!;
    expect(rows.map((r) => Number(r.request_id))).toEqual(Array.from({ length: REQUESTS }, (_, i) => 600 + i));
    expect(total.request_id).toBe("Total");
    expect(total.title).toBe(`${REQUESTS} requests`);
    const sum = Array.from({ length: REQUESTS }, (_, i) => 10_000 + i * 137).reduce((a, b) => a + b, 0);
    expect(Number(total.amount_gbp)).toBeCloseTo(sum / 100, 2);
    expect(Number(total.gaps)).toBe(REQUESTS * 2);
    // A request's estimate is the sum of its lines', or none when a line has none.
    expect(rows[1]).toMatchObject({ request_id: "601", gaps: "2", estimate_gbp: String((5_002 + 5_003) / 100) });
    expect(rows[0].estimate_gbp).toBe("");
    expect(rows[5].estimate_gbp).toBe("");
  });

  it("CSV of gap lines: every line in request then gap order, across batches", async () => {
    const res = await pipelineExport(getDb(), QMF, {}, "csv", "gaps", today, { batchSize: BATCH });
    const rows = parse((await readAll(res.body!)).toString("utf8"), { bom: true, columns: true, relax_column_count: true }) as Record<
      string,
      string
    >[];
    expect(rows.map((r) => Number(r.gap_id))).toEqual(Array.from({ length: REQUESTS * 2 }, (_, i) => 7000 + i));
    expect(rows[3]).toMatchObject({ request_id: "601", request_title: "Request 1", request_status: "Submitted" });
    expect(rows[6]).toMatchObject({ request_id: "603", request_title: "Request 3", request_status: "Draft" });
  });

  it("XLSX: three sheets streamed in batches, each with every row; another ICB's scope sees none of them", async () => {
    const res = await pipelineExport(getDb(), QMF, {}, "xlsx", "requests", today, { batchSize: BATCH });
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load((await readAll(res.body!)) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Requests", "By year and status", "Gaps"]);
    const values = (name: string) => (wb.getWorksheet(name)!.getSheetValues() as unknown[][]).slice(2).map((r) => r.slice(1));
    expect(values("Requests")).toHaveLength(REQUESTS + 1);
    expect(values("Gaps")).toHaveLength(REQUESTS * 2);
    const years = values("By year and status");
    expect(years.map((r) => r[0])).toEqual(["QMF", "Total"]);

    const other = await pipelineExport(getDb(), { all: false, icbCodes: ["QHM"], practiceCodes: [] }, {}, "csv", "requests", today, {
      batchSize: BATCH,
    });
    const rows = parse((await readAll(other.body!)).toString("utf8"), { bom: true, columns: true, relax_column_count: true }) as Record<
      string,
      string
    >[];
    expect(rows).toEqual([expect.objectContaining({ request_id: "Total", title: "0 requests" })]);
  });
});
