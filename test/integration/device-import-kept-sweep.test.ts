/**
 * What a server process keeps for an upload (its parsed rows, its last check) is dropped once the
 * upload has been imported or cancelled, also when another process (or machine) did it: the
 * import forgets them only in the process that runs it, and the check page is often served by
 * another (kept-sweep.server.ts, docs/performance.md session 14).
 */
import { sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { keptChecks } from "~/modules/devices/import/check-cache.server";
import { sweepKeptUploads } from "~/modules/devices/import/kept-sweep.server";
import { keptParsed } from "~/modules/devices/import/parsed-cache.server";
import { runPendingJobs } from "~/modules/queue/worker.server";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import { getDb } from "~/utils/db.server";
import { heapReductions } from "~/utils/reduce-heap.server";
import { BASE, call, get, post } from "../support/requests";
import { useRoleCookies } from "../support/scoping";

const cookies = useRoleCookies();
const db = () => getDb();
const CSV = "Practice,Asset tag,Type\nF84003,K-1,laptop\nF84003,K-2,desktop\n";

async function upload(cookie: string | undefined) {
  const form = new FormData();
  form.append("file", new File([CSV], "kept.csv"));
  const res = await call(
    uploadPage.action,
    new Request(`${BASE}/estate/import?practice=F84003`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form }),
  );
  expect(res.status).toBe(302);
  return res.location!.split("/").pop()!;
}
/** The check page, as the uploader opens it: it keeps the parsed rows and the check. */
async function checkPage(id: string) {
  const res = await call(previewPage.loader, get(`/estate/import/${id}`, cookies.partnerIcb), { id });
  expect(res.status).toBe(200);
}

describe("rows kept for an upload", () => {
  beforeEach(async () => {
    await sql`truncate device, audit_event, import_run, import_upload, job restart identity`.execute(db());
    // Nothing left over from another test file in this worker.
    await sweepKeptUploads(db());
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("are dropped once another process has imported the upload, and kept while it is stored", async () => {
    const id = await upload(cookies.partnerIcb);
    await checkPage(id);
    expect(keptChecks()).toBe(1);
    expect(keptParsed()).toBe(1);
    // Still stored: a sweep keeps them (the import may yet run here and reuse the check).
    expect(await sweepKeptUploads(db())).toBe(0);
    expect(keptChecks()).toBe(1);
    expect(keptParsed()).toBe(1);
    // Another process imports it: its transaction deletes the upload, and only that process
    // forgets its own copies. Here the row simply goes.
    await db().deleteFrom("import_upload").where("id", "=", id).execute();
    expect(await sweepKeptUploads(db())).toBe(4); // 2 rows parsed, 2 rows checked
    expect(keptChecks()).toBe(0);
    expect(keptParsed()).toBe(0);
  });

  it("are dropped after their time even while the upload is stored", async () => {
    const id = await upload(cookies.partnerIcb);
    await checkPage(id);
    vi.useFakeTimers({ toFake: ["Date"] });
    vi.setSystemTime(Date.now() + 11 * 60_000);
    // The parsed rows are kept for 10 minutes, the check for 30.
    await sweepKeptUploads(db());
    expect(keptParsed()).toBe(0);
    expect(keptChecks()).toBe(1);
    vi.setSystemTime(Date.now() + 20 * 60_000);
    await sweepKeptUploads(db());
    expect(keptChecks()).toBe(0);
  });

  it("are given back by the process that ran the import", async () => {
    const id = await upload(cookies.partnerIcb);
    await checkPage(id);
    const res = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "commit", expected_create: "2", expected_update: "0", expected_rejected: "0" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    expect(res.location).toMatch(/^\/jobs\/\d+$/);
    const before = heapReductions();
    await runPendingJobs(db());
    expect(keptChecks()).toBe(0);
    expect(keptParsed()).toBe(0);
    // A 2-row import grew nothing worth a collection's pause (large ones do: jobs-recheck.test.ts).
    expect(heapReductions()).toBe(before);
    expect(await db().selectFrom("device").select("asset_tag").orderBy("asset_tag").execute()).toEqual([
      { asset_tag: "K-1" },
      { asset_tag: "K-2" },
    ]);
  });
});
