import { spawnSync } from "node:child_process";
import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseUpload } from "~/modules/devices/import/parse.server";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import * as paperImport from "~/routes/practices.$ods.paper.import";
import { getDb } from "~/utils/db.server";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";
import { parseArgs, runCli } from "../../scripts/estate-import";
import { BASE, call, get, noticeFor, post } from "../support/requests";
import { finishImportJob } from "../support/import-jobs";
import { useRoleCookies } from "../support/scoping";
import { farColumnBomb, inflateBomb, inlineCellBomb, rowsBomb, sharedCellBomb } from "../support/upload-bombs";
import { isolatePerFile } from "../support/isolation";

isolatePerFile("two commits at once on PostgreSQL: the race between connections is under test");

/**
 * Hostile and oversized uploads (issue #11): every bomb is built here, small on disk, and must
 * be refused with a message naming the limit it passed, while the process's memory stays
 * bounded; odd encodings, control characters and file names are read or refused cleanly.
 */

const cookies = useRoleCookies();
const db = () => getDb();
const MB = 1024 * 1024;

function uploadRequest(url: string, cookie: string | undefined, name: string, content: string | Uint8Array) {
  const form = new FormData();
  form.append("file", new File([content as BlobPart], name));
  return new Request(`${BASE}${url}`, { method: "POST", headers: { Cookie: cookie ?? "", Origin: BASE }, body: form });
}
const uploadDevices = (name: string, content: string | Uint8Array) =>
  call(uploadPage.action, uploadRequest("/estate/import", cookies.partnerIcb, name, content));
const uploadPaper = (name: string, content: string | Uint8Array) =>
  call(paperImport.action, uploadRequest("/practices/F84003/paper/import", cookies.practiceManager, name, content), { ods: "F84003" });

/** Runs `fn`, sampling the resident set size every few milliseconds; returns how far it rose above where it started. */
async function rssGrowth(fn: () => Promise<unknown>): Promise<{ mb: number; result: unknown }> {
  const start = process.memoryUsage().rss;
  let peak = start;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 2);
  let result: unknown;
  try {
    result = await fn();
  } catch (e) {
    result = e;
  } finally {
    clearInterval(timer);
    peak = Math.max(peak, process.memoryUsage().rss);
  }
  return { mb: (peak - start) / MB, result };
}

const auditCount = async (action: string) =>
  (
    await db()
      .selectFrom("audit_event")
      .select((eb) => eb.fn.countAll<number>().as("n"))
      .where("action", "=", action)
      .executeTakeFirstOrThrow()
  ).n;

describe("spreadsheet bombs are refused while they are read", () => {
  const LIMIT_ROWS = /more than 100,000 rows; the most one import can take is 100,000\. Split the file/;

  it("a 3,000,000-row workbook: refused at the row limit through the device import page, memory bounded, nothing stored", async () => {
    const file = await rowsBomb();
    expect(file.length).toBeLessThan(2 * MB);
    const uploadsBefore = await db().selectFrom("import_upload").select("id").execute();
    const started = Date.now();
    const { mb, result } = await rssGrowth(() => uploadDevices("rows.xlsx", file));
    const res = result as Awaited<ReturnType<typeof uploadDevices>>;
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.file).toMatch(LIMIT_ROWS);
    expect(mb).toBeLessThan(150);
    expect(Date.now() - started).toBeLessThan(20_000);
    expect(await db().selectFrom("import_upload").select("id").execute()).toEqual(uploadsBefore);
  });

  it("the same file through the paper import: refused at the paper import's own row limit", async () => {
    const res = await uploadPaper("rows.xlsx", await rowsBomb(10_000));
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors.file).toMatch(/more than 5,000 rows; the most one import can take is 5,000/);
  });

  it("a 200 MB cell, in the shared strings or inline: refused at Excel's cell length, memory bounded", async () => {
    for (const bomb of [sharedCellBomb, inlineCellBomb]) {
      const file = await bomb();
      expect(file.length).toBeLessThan(MB);
      const { mb, result } = await rssGrowth(() => parseUpload(file));
      expect(result).toBeInstanceOf(Error);
      expect((result as Error).message).toMatch(/has more than 32,767 characters, the most one cell can hold/);
      expect(mb).toBeLessThan(150);
    }
    const res = await uploadPaper("cell.xlsx", await sharedCellBomb());
    expect(res.data.fieldErrors.file).toMatch(/32,767 characters/);
  });

  it("a part that unpacks to 300 MB, whatever size the zip declares: refused at the unpacked-size limit", async () => {
    const file = await inflateBomb();
    expect(file.length).toBeLessThan(MB);
    const { mb, result } = await rssGrowth(() => parseUpload(file));
    expect((result as Error).message).toBe(
      `This Excel file unpacks to more than ${UPLOAD_LIMITS.entryBytes / MB} MB, more than one import can read. Save it again from Excel, or split it and import each part.`,
    );
    expect(mb).toBeLessThan(150);
  });

  it("a value in column XFD, or a CSV with 300 columns: refused at the column limit, naming where", async () => {
    await expect(parseUpload(await farColumnBomb())).rejects.toThrow(
      "This file has a value in column XFD (cell XFD2), beyond the 200 columns one import can read.",
    );
    const wide = `${Array.from({ length: 300 }, (_, i) => `c${i}`).join(",")}\n${"x,".repeat(299)}x\n`;
    const res = await uploadDevices("wide.csv", wide);
    expect(res.data.fieldErrors.file).toMatch(/value in column 201 \(row 1\), beyond the 200 columns/);
  });

  it("CSV: 3,000,000 short rows, a 40,000-character cell and a 300 KB line are refused, each naming its limit", async () => {
    const rows = `Asset tag\n${"x\n".repeat(3_000_000)}`;
    const { mb, result } = await rssGrowth(async () => uploadDevices("rows.csv", rows));
    expect((result as Awaited<ReturnType<typeof uploadDevices>>).data.fieldErrors.file).toMatch(LIMIT_ROWS);
    expect(mb).toBeLessThan(150);
    expect((await uploadDevices("cell.csv", `Asset tag,Notes\nPC-1,${"n".repeat(40_000)}\n`)).data.fieldErrors.file).toBe(
      "Row 2, column 2 has more than 32,767 characters, the most one cell can hold. Shorten it and upload the file again.",
    );
    expect((await uploadDevices("line.csv", `Asset tag,Notes\nPC-1,"${"n".repeat(300 * 1024)}"\n`)).data.fieldErrors.file).toMatch(
      /^Line 2 of the file is longer than 262,144 characters, the most one row can hold\./,
    );
  });

  it("a body over the size limit is refused while it is read, before it is parsed", async () => {
    const big = new Uint8Array(UPLOAD_LIMITS.fileBytes + 200 * 1024).fill(0x41);
    const res = await uploadDevices("big.csv", big);
    expect(res.data.fieldErrors.file).toBe(
      "This file is larger than 20 MB; the most one import can take is 20 MB. Split the file and import each part.",
    );
    const paper = await uploadPaper("big.csv", new Uint8Array(6 * MB).fill(0x41));
    expect(paper.data.fieldErrors.file).toMatch(/larger than 5 MB/);
  });

  it("a legitimate 100,000-row workbook is read whole", async () => {
    const file = await (
      await import("../support/upload-bombs")
    ).workbook(() => {
      const out = ['<?xml version="1.0"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>'];
      out.push('<row r="1"><c r="A1" t="inlineStr"><is><t>Asset tag</t></is></c></row>');
      for (let i = 2; i <= 100_001; i++) out.push(`<row r="${i}"><c r="A${i}" t="inlineStr"><is><t>PC-${i}</t></is></c></row>`);
      out.push("</sheetData></worksheet>");
      return out;
    });
    const table = await parseUpload(file);
    expect(table.rows.length).toBe(100_000);
    expect(table.rows.at(-1)).toEqual({ row: 100_001, cells: ["PC-100001"] });
  });
});

describe("the command line reads under the same limits", () => {
  it("exits non-zero with the limit's message on a row bomb, in-process and as its own process", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "bomb-"));
    const file = path.join(dir, "rows.xlsx");
    fs.writeFileSync(file, await rowsBomb());
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(db(), parseArgs(["--kind", "devices", "--json", file]), { out: (s) => out.push(s), err: (s) => err.push(s) });
    expect(code).toBe(1);
    expect(JSON.parse(out[0]).error).toMatch(LIMIT_ROWS_TEXT);

    // As people run it, in its own process, whose peak memory /usr/bin/time reports (in KB).
    const run = spawnSync(
      "/usr/bin/time",
      ["-f", "maxrss=%M", process.execPath, "--import", "tsx", "scripts/estate-import.ts", "--kind", "devices", "--json", file],
      {
        encoding: "utf8",
        env: { ...process.env, DATABASE_URL: "", DATA_DIR: path.join(dir, "db") },
        timeout: 60_000,
      },
    );
    expect(run.status).toBe(1);
    expect(JSON.parse(run.stdout.trim()).error).toMatch(LIMIT_ROWS_TEXT);
    const maxRssMb = Number(/maxrss=(\d+)/.exec(run.stderr)?.[1]) / 1024;
    expect(maxRssMb).toBeGreaterThan(0);
    expect(maxRssMb).toBeLessThan(400);
    expect(fs.existsSync(path.join(dir, "db"))).toBe(false); // refused before the database is opened
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
const LIMIT_ROWS_TEXT = /more than 100,000 rows; the most one import can take is 100,000/;

describe("encodings, control characters and file names", () => {
  const csv = "Asset tag,Device type,Notes\r\nUTF-1,Desktop,Café £5\r\n";

  it("reads UTF-16 LE and BE CSV (with a byte order mark) end to end, as Excel's Unicode text saves it", async () => {
    for (const [enc, bom] of [
      ["utf-16le", [0xff, 0xfe]],
      ["utf-16be", [0xfe, 0xff]],
    ] as const) {
      const body = Buffer.from(csv.replace(/UTF-1/, `U16-${enc}`), "utf16le");
      if (enc === "utf-16be") body.swap16();
      const res = await call(
        uploadPage.action,
        uploadRequest("/estate/import?practice=F84003", cookies.partnerIcb, `${enc}.csv`, new Uint8Array([...bom, ...body])),
      );
      expect(res.status, JSON.stringify(res.data)).toBe(302);
      const id = res.location!.split("/").pop()!;
      const preview = (await call(previewPage.loader, get(`/estate/import/${id}`, cookies.partnerIcb), { id })).data;
      expect(preview.columns.map((c: { header: string }) => c.header)).toEqual(["Asset tag", "Device type", "Notes"]);
      expect(preview.preview.counts).toMatchObject({ create: 1, rejected: 0 });
      const p = preview.preview;
      const done = await call(
        previewPage.action,
        post(
          `/estate/import/${id}`,
          { intent: "commit", expected_create: String(p.counts.create), expected_update: "0", expected_rejected: "0" },
          { cookie: cookies.partnerIcb },
        ),
        { id },
      );
      expect(done.status).toBe(302);
      expect((await finishImportJob(cookies.partnerIcb, done.location)).status).toBe("done");
      const device = await db()
        .selectFrom("device")
        .select(["asset_tag", "notes"])
        .where("asset_tag", "=", `U16-${enc}`)
        .executeTakeFirstOrThrow();
      expect(device.notes).toBe("Café £5");
    }
  });

  it("a NUL byte in a cell rejects that row at preview, naming row and column; the commit writes the other rows only", async () => {
    const file = "Asset tag,Device type,Notes\nNUL-1,Desktop,fine\nNUL-2,Desktop,bad\u0000byte\nNUL-3,Lap\u0007top,\n";
    const withPractice = await call(
      uploadPage.action,
      uploadRequest("/estate/import?practice=F84003", cookies.partnerIcb, "nul.csv", file),
    );
    const id = withPractice.location!.split("/").pop()!;
    const p = (await call(previewPage.loader, get(`/estate/import/${id}`, cookies.partnerIcb), { id })).data.preview;
    expect(p.counts).toMatchObject({ create: 1, rejected: 2 });
    expect(p.issues.rows).toEqual(
      expect.arrayContaining([
        {
          row: 3,
          column: "Notes",
          message: "This value contains a NUL byte (character 0), which cannot be saved. Remove it and upload the file again.",
        },
        {
          row: 4,
          column: "Device type",
          message: "This value contains a control character (character 7), which cannot be saved. Remove it and upload the file again.",
        },
      ]),
    );
    const done = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "commit", expected_create: "1", expected_update: "0", expected_rejected: "2" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    expect(done.status).toBe(302);
    expect((await finishImportJob(cookies.partnerIcb, done.location)).status).toBe("done");
    const tags = (await db().selectFrom("device").select("asset_tag").where("asset_tag", "like", "NUL-%").execute()).map(
      (d) => d.asset_tag,
    );
    expect(tags).toEqual(["NUL-1"]);
  });

  it("a NUL byte in the paper import: a row problem at preview, and the commit imports the rest", async () => {
    const res = await uploadPaper("nul.csv", "Month,Sheets printed,Notes\n01/2020,10,ok\n02/2020,10,b\u0000d\n");
    expect(res.status).toBe(302);
    const p = (await call(paperImport.loader, get(res.location!, cookies.practiceManager), { ods: "F84003" })).data.preview;
    expect(p.counts).toMatchObject({ rows: 2, create: 1, rejected: 1 });
    expect(p.issues).toEqual([{ row: 3, column: "Notes", message: expect.stringMatching(/NUL byte/) }]);
    const done = await call(
      paperImport.action,
      post("/practices/F84003/paper/import", { intent: "commit", upload: p.id }, { cookie: cookies.practiceManager }),
      { ods: "F84003" },
    );
    const job = await finishImportJob(cookies.practiceManager, done.location);
    expect({ ok: job.status === "done", counts: job.import.result?.counts }).toEqual({
      ok: true,
      counts: { created: 1, updated: 0, unchanged: 0, rejected: 1 },
    });
  });

  it.each([
    ["a=b.csv", "a=b.csv"],
    ["a;b.csv", "a;b.csv"],
    ['say "hi"; x=1.csv', 'say "hi"; x=1.csv'],
    ["line\r\nbreak\u0000.csv", "line break .csv"],
    ["C:\\Users\\pm\\devices.csv", "devices.csv"],
    [`${"long".repeat(100)}.csv`, `${"long".repeat(100).slice(0, 195)}….csv`],
  ])("a file named %j is stored as %j, and shown", async (name, stored) => {
    const res = await call(
      uploadPage.action,
      uploadRequest("/estate/import?practice=F84003", cookies.partnerIcb, name, "Asset tag\nNAME-1\n"),
    );
    expect(res.status, JSON.stringify(res.data)).toBe(302);
    const id = res.location!.split("/").pop()!;
    const preview = await call(previewPage.loader, get(`/estate/import/${id}`, cookies.partnerIcb), { id });
    expect(preview.data.fileName).toBe(stored);
    const paper = await uploadPaper(name, "Month,Sheets printed\n03/2020,1\n");
    expect(paper.status).toBe(302);
  });
});

describe("a double-submitted commit", () => {
  it("device import: two commits of one upload at once write it once; the other is told it was sent twice", async () => {
    const file = "Asset tag,Device type\nTWICE-1,Desktop\nTWICE-2,Laptop\n";
    const res = await call(uploadPage.action, uploadRequest("/estate/import?practice=F84003", cookies.partnerIcb, "twice.csv", file));
    const id = res.location!.split("/").pop()!;
    const commit = () =>
      call(
        previewPage.action,
        post(
          `/estate/import/${id}`,
          { intent: "commit", expected_create: "2", expected_update: "0", expected_rejected: "0" },
          { cookie: cookies.partnerIcb },
        ),
        { id },
      );
    const runsBefore = await auditCount("device.import");
    const results = await Promise.all([commit(), commit()]);
    // Both are answered at once with the one job's page; the loser's says it was sent twice ("Already importing").
    expect(results.map((r) => r.status)).toEqual([302, 302]);
    const won = results.filter((r) => /^\/jobs\/\d+$/.test(r.location ?? ""));
    expect(won).toHaveLength(2);
    expect(won[1].location).toBe(won[0].location);
    expect(await noticeFor(cookies.partnerIcb)).toEqual({ notice: "job-already", path: won[0].location, detail: {} });
    expect((await finishImportJob(cookies.partnerIcb, won[0].location)).status).toBe("done");
    expect(await db().selectFrom("device").select("id").where("asset_tag", "like", "TWICE-%").execute()).toHaveLength(2);
    expect(await auditCount("device.import")).toBe(runsBefore + 1);
  });

  it("paper import: the losing commit is sent to the winner's job and nothing is written twice", async () => {
    const res = await uploadPaper("twice.csv", "Month,Sheets printed\n04/2019,7\n05/2019,8\n");
    const p = (await call(paperImport.loader, get(res.location!, cookies.practiceManager), { ods: "F84003" })).data.preview;
    const commit = () =>
      call(
        paperImport.action,
        post("/practices/F84003/paper/import", { intent: "commit", upload: p.id }, { cookie: cookies.practiceManager }),
        { ods: "F84003" },
      );
    const results = await Promise.all([commit(), commit()]);
    const winner = results.find((r) => r.status === 302 && /^\/jobs\/\d+$/.test(r.location ?? ""))!;
    expect(winner).toBeDefined();
    // The loser is sent to the same job, told it was sent twice (the notice its page takes); nothing is queued for it.
    const loser = results.find((r) => r !== winner)!;
    expect(loser.location).toBe(winner.location);
    expect(await noticeFor(cookies.practiceManager)).toEqual({ notice: "job-already", path: winner.location, detail: {} });
    const job = await finishImportJob(cookies.practiceManager, winner.location);
    expect(job.import.result?.counts).toEqual({ created: 2, updated: 0, unchanged: 0, rejected: 0 });
    const rows = await db()
      .selectFrom("paper_activity")
      .select("id")
      .where("practice_code", "=", "F84003")
      .where("period_start", "in", ["2019-04-01", "2019-05-01"])
      .execute();
    expect(rows).toHaveLength(2);
  });
});

describe("uploads and column choices are audited", () => {
  it("records the upload (file, size, rows, who) and a saved mapping, each with its change", async () => {
    const file = "Kit ref,Device type\nAUD-1,Desktop\n";
    const res = await call(uploadPage.action, uploadRequest("/estate/import?practice=F84003", cookies.partnerIcb, "audit;me.csv", file));
    const id = res.location!.split("/").pop()!;
    const user = await db().selectFrom("app_user").select("id").where("email", "=", "dp@test.nhs.test").executeTakeFirstOrThrow();
    const upload = await db()
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "import_upload.create")
      .where("entity_id", "=", id)
      .executeTakeFirstOrThrow();
    expect(upload).toMatchObject({
      user_id: user.id,
      entity_type: "import_upload",
      after: {
        kind: "devices",
        file_name: "audit;me.csv",
        bytes: file.length,
        format: "csv",
        rows: 1,
        columns: 2,
        practice_code: "F84003",
      },
    });
    const saved = await call(
      previewPage.action,
      post(
        `/estate/import/${id}`,
        { intent: "mapping", "target-0": "asset_tag", "target-1": "device_type" },
        { cookie: cookies.partnerIcb },
      ),
      { id },
    );
    expect(saved.status).toBe(302);
    const mapping = await db()
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "import_mapping.save")
      .orderBy("id", "desc")
      .executeTakeFirstOrThrow();
    expect(mapping).toMatchObject({ user_id: user.id, entity_type: "import_mapping", entity_id: `${user.id}:devices` });
    expect(mapping.after).toMatchObject({ mapping: { "kit ref": "asset_tag", "device type": "device_type" }, upload: id });

    const paper = await uploadPaper("paper.csv", "Month,Sheets printed\n06/2019,1\n");
    const paperId = new URL(paper.location!, BASE).searchParams.get("upload")!;
    const event = await db()
      .selectFrom("audit_event")
      .selectAll()
      .where("action", "=", "import_upload.create")
      .where("entity_id", "=", paperId)
      .executeTakeFirstOrThrow();
    expect(event.after).toMatchObject({ kind: "paper_activity", file_name: "paper.csv", rows: 1, practice_code: "F84003" });
  });

  it("a command-line import records who ran it: command line (user@host), on the run and its audit events", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "cli-"));
    const file = path.join(dir, "devices.csv");
    fs.writeFileSync(file, "Practice code,Asset tag,Device type\nF84003,CLI-1,Desktop\n");
    const code = await runCli(db(), parseArgs(["--kind", "devices", "--json", file]), { out: () => {}, err: () => {} });
    expect(code).toBe(0);
    const actor = `command line (${os.userInfo().username}@${os.hostname()})`;
    const run = await db().selectFrom("import_run").select(["actor", "user_id"]).orderBy("id", "desc").executeTakeFirstOrThrow();
    expect(run).toEqual({ actor, user_id: null });
    const events = await db().selectFrom("audit_event").select(["action", "actor"]).where("actor", "=", actor).execute();
    expect(events.map((e) => e.action).sort()).toEqual(["device.create", "device.import"]);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
