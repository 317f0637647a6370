import ExcelJS from "exceljs";
import { sql } from "kysely";
import { beforeAll, describe, expect, it } from "vitest";
import * as view from "~/routes/practices.$ods.telephony._index";
import * as create from "~/routes/practices.$ods.telephony.new";
import * as edit from "~/routes/practices.$ods.telephony.edit";
import * as replace from "~/routes/practices.$ods.telephony.replace";
import * as del from "~/routes/practices.$ods.telephony.$id.delete";
import * as exporter from "~/routes/practices.$ods.telephony.export";
import { getDb } from "~/utils/db.server";
import type { createRoleUsers } from "../support/factories";
import { seedAndSignIn } from "../support/scoping";
import { call, get, post, flashFor } from "../support/requests";

type Ids = Awaited<ReturnType<typeof createRoleUsers>>;
let ids: Ids;
const c: Record<string, string> = {};
const P = { ods: "F84003" };
const BASE = "/practices/F84003/telephony";

beforeAll(async () => {
  const db = getDb();
  ids = await seedAndSignIn(c, ["pm", "dp", "lead", "dp2", "admin"]);
  await db
    .insertInto("site")
    .values([
      {
        code: "F84003",
        practice_code: "F84003",
        kind: "main",
        name: "LOWER CLAPTON GENERAL PRACTICE",
        address: null,
        postcode: "E5 0RD",
        phone: null,
        open_date: null,
        close_date: null,
        analogue_lines: 2,
      },
      {
        code: "Y01234",
        practice_code: "F84003",
        kind: "branch",
        name: "CLAPTON BRANCH",
        address: null,
        postcode: "E5 8AA",
        phone: null,
        open_date: null,
        close_date: null,
      },
      {
        code: "Y09999",
        practice_code: "F84003",
        kind: "branch",
        name: "OLD BRANCH",
        address: null,
        postcode: null,
        phone: null,
        open_date: null,
        close_date: "2020-01-01",
        analogue_lines: 5,
      },
    ])
    .execute();
});

const systems = () => getDb().selectFrom("telephony_system").selectAll().where("practice_code", "=", "F84003").orderBy("id").execute();
const audits = () =>
  getDb()
    .selectFrom("audit_event")
    .selectAll()
    .where("entity_type", "=", "telephony")
    .where("entity_id", "=", "F84003")
    .orderBy("id")
    .execute();

const cloud = {
  system_type: "cloud",
  supplier: "X-on",
  product: "Surgery Connect",
  on_bpf: "yes",
  contract_start: "01/04/2024",
  contract_end: "31/03/2027",
  lines: "",
  concurrent_calls: "30",
  call_back: "yes",
  call_queuing: "yes",
  cbt_data_sharing: "yes",
  main_number: "020 7946 0000",
};

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these bring
// F84003's telephony to a stage through the pages, as the practice manager would.
/** The first system recorded: X-on cloud telephony on 020 7946 0000 (version 1). */
async function recordFirst() {
  expect((await call(create.action, post(`${BASE}/new`, cloud, { cookie: c.pm }), P)).status).toBe(302);
}
/** Recorded, then edited: main number 0844 477 3333, no IVR routing (version 2). */
async function editFirst() {
  await recordFirst();
  const fields = { ...cloud, main_number: "0844 477 3333", ivr_routing: "no", version: "1" };
  expect((await call(edit.action, post(`${BASE}/edit`, fields, { cookie: c.pm }), P)).status).toBe(302);
}
/** Edited, then replaced by Redcentric: X-on ended on 30/09/2026 and kept as a past record. */
async function replaceWithRedcentric() {
  await editFirst();
  const fields = { ...cloud, supplier: "Redcentric", product: "", ended_on: "30/09/2026", version: "2" };
  expect((await call(replace.action, post(`${BASE}/replace`, fields, { cookie: c.pm }), P)).status).toBe(302);
}
/** Replaced, then the past X-on record deleted: Redcentric is F84003's only record. */
async function replaceAndDeletePast() {
  await replaceWithRedcentric();
  const past = (await systems()).find((r) => !r.is_current)!;
  const res = await call(del.action, post(`${BASE}/${past.id}/delete`, { version: String(past.version) }, { cookie: c.pm }), {
    ...P,
    id: String(past.id),
  });
  expect(res.status).toBe(302);
}
/** F84013's own systems: a current analogue one and a past ISDN one. */
async function otherPracticeSystems() {
  await getDb().insertInto("telephony_system").values({ practice_code: "F84013", system_type: "analogue", is_current: true }).execute();
  await getDb()
    .insertInto("telephony_system")
    .values({ practice_code: "F84013", system_type: "isdn", is_current: false, ended_on: "2020-01-01" })
    .execute();
}

describe("telephony register", () => {
  it("shows an empty register with the sites' analogue lines", async () => {
    const res = await call(view.loader, get(BASE, c.pm), P);
    expect(res.status).toBe(200);
    expect(res.data.current).toBeNull();
    expect(res.data.canEdit).toBe(true);
    // Closed sites are left out: their lines are not "remaining".
    expect(res.data.sites.map((s: any) => [s.code, s.analogue_lines])).toEqual([
      ["F84003", 2],
      ["Y01234", null],
    ]);
  });

  it("reports each invalid field and writes nothing", async () => {
    const res = await call(
      create.action,
      post(
        `${BASE}/new`,
        {
          system_type: "",
          contract_start: "01/04/2025",
          contract_end: "31/03/2025",
          main_number: "020-7946",
          lines: "1.5",
          call_back: "perhaps",
        },
        { cookie: c.pm },
      ),
      P,
    );
    expect(res.status).toBe(400);
    expect(res.data.fieldErrors).toEqual({
      system_type: "Select the type of telephone system",
      main_number: "Main telephone number must contain only numbers, spaces and a + at the start",
      lines: "Number of lines must be a whole number from 0 to 10,000",
      call_back: "Call-back (leave the queue and be rung back) must be yes, no or blank",
    });
    const dates = await call(
      create.action,
      post(`${BASE}/new`, { system_type: "cloud", contract_start: "01/04/2025", contract_end: "2025-03-31" }, { cookie: c.pm }),
      P,
    );
    expect(dates.data.fieldErrors).toEqual({ contract_end: "Contract end date must be on or after the contract start date" });
    expect(await systems()).toHaveLength(0);
    expect(await audits()).toHaveLength(0);
  });

  it("records the first system with an audit event by the practice manager", async () => {
    const res = await call(create.action, post(`${BASE}/new`, cloud, { cookie: c.pm }), P);
    expect(res.status).toBe(302);
    expect(res.location).toBe(BASE);
    expect(await flashFor(c.pm)).toBe("Telephone system added.");
    const [row] = await systems();
    expect(row).toMatchObject({
      is_current: true,
      system_type: "cloud",
      supplier: "X-on",
      on_bpf: true,
      contract_start: "2024-04-01",
      contract_end: "2027-03-31",
      lines: null,
      concurrent_calls: 30,
      call_back: true,
      ivr_routing: null,
      cbt_data_sharing: true,
      main_number: "020 7946 0000",
      version: 1,
    });
    const [event] = await audits();
    expect(event).toMatchObject({ action: "telephony.create", user_id: ids.practiceManager });
    expect((event.after as any).supplier).toBe("X-on");
  });

  it("refuses a second 'first' system", async () => {
    await recordFirst();
    const res = await call(create.action, post(`${BASE}/new`, { ...cloud, supplier: "Other" }, { cookie: c.pm }), P);
    expect(res.data.formError).toMatch(/already has a current telephony system/);
    expect(await systems()).toHaveLength(1);
  });

  it("the database allows only one current system per practice", async () => {
    await recordFirst();
    await expect(
      getDb().insertInto("telephony_system").values({ practice_code: "F84003", system_type: "analogue", is_current: true }).execute(),
    ).rejects.toThrow(/telephony_current_key|duplicate key/);
    // Past systems are not limited, and other practices have their own current system.
    await otherPracticeSystems();
  });

  it("edits the current system; a stale version changes nothing", async () => {
    await recordFirst();
    const [before] = await systems();
    const stale = await call(
      edit.action,
      post(`${BASE}/edit`, { ...cloud, supplier: "Stale Ltd", version: String(before.version + 1) }, { cookie: c.pm }),
      P,
    );
    expect(stale.status).toBe(409);
    expect(stale.data.formError).toMatch(/Someone else changed this practice's telephony/);
    expect((await systems())[0]).toEqual(before);
    expect(await audits()).toHaveLength(1);

    const ok = await call(
      edit.action,
      post(
        `${BASE}/edit`,
        { ...cloud, main_number: "0844 477 3333", ivr_routing: "no", version: String(before.version) },
        { cookie: c.pm },
      ),
      P,
    );
    expect(ok.status).toBe(302);
    const [after] = await systems();
    expect(after).toMatchObject({ main_number: "0844 477 3333", ivr_routing: false, version: before.version + 1 });
    const events = await audits();
    expect(events.map((e) => e.action)).toEqual(["telephony.create", "telephony.update"]);
    expect((events[1].before as any).main_number).toBe("020 7946 0000");
    expect((events[1].after as any).main_number).toBe("0844 477 3333");
  });

  it("the edit page opens only for the current system", async () => {
    await editFirst();
    const page = await call(edit.loader, get(`${BASE}/edit`, c.pm), P);
    expect(page.data.current.main_number).toBe("0844 477 3333");
    const none = await call(edit.loader, get("/practices/A81001/telephony/edit", c.admin), { ods: "A81001" });
    expect(none.status).toBe(404);
  });

  it("replacing ends the current system and keeps it as history, in one step", async () => {
    await editFirst();
    const [old] = await systems();
    const res = await call(
      replace.action,
      post(
        `${BASE}/replace`,
        { ...cloud, supplier: "Redcentric", product: "", ended_on: "30/09/2026", version: String(old.version) },
        { cookie: c.pm },
      ),
      P,
    );
    expect(res.status).toBe(302);
    const rows = await systems();
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatchObject({ id: old.id, is_current: false, ended_on: "2026-09-30", supplier: "X-on", version: old.version + 1 });
    expect(rows[1]).toMatchObject({ is_current: true, supplier: "Redcentric", product: null, ended_on: null, version: 1 });
    const events = await audits();
    expect(events.slice(-2).map((e) => [e.action, e.user_id])).toEqual([
      ["telephony.end", ids.practiceManager],
      ["telephony.create", ids.practiceManager],
    ]);

    const page = await call(view.loader, get(BASE, c.pm), P);
    expect(page.data.current.supplier).toBe("Redcentric");
    expect(page.data.past.map((p: any) => p.supplier)).toEqual(["X-on"]);
    expect(page.data.history.map((h: any) => h.action)).toEqual([
      "telephony.create",
      "telephony.end",
      "telephony.update",
      "telephony.create",
    ]);
    // The history reads as people write it: the type's label, no bookkeeping columns.
    expect(page.data.history[0].after).toMatchObject({ system_type: "Cloud-based", supplier: "Redcentric", is_current: true });
    expect(page.data.history[0].after).not.toHaveProperty("practice_code");
    expect(page.data.history[1].after).toMatchObject({ is_current: false, ended_on: "2026-09-30" });
  });

  it("replacing needs the end date and the current version", async () => {
    await recordFirst();
    const before = await systems();
    const current = before.find((r) => r.is_current)!;
    const missing = await call(
      replace.action,
      post(`${BASE}/replace`, { ...cloud, ended_on: "", version: String(current.version) }, { cookie: c.pm }),
      P,
    );
    expect(missing.data.fieldErrors).toEqual({ ended_on: "Enter the date the old system stopped being used" });
    const stale = await call(
      replace.action,
      post(`${BASE}/replace`, { ...cloud, ended_on: "01/10/2026", version: String(current.version + 5) }, { cookie: c.pm }),
      P,
    );
    expect(stale.data.formError).toMatch(/Someone else changed/);
    expect(await systems()).toEqual(before);
  });

  it("a failure part-way through a replacement leaves neither the change nor its audit events", async () => {
    await recordFirst();
    const db = getDb();
    const before = await systems();
    const eventsBefore = await audits();
    const current = before.find((r) => r.is_current)!;
    await sql`create function test_fail_audit() returns trigger language plpgsql as $$
      begin
        if new.action = 'telephony.create' then raise exception 'forced audit failure'; end if;
        return new;
      end $$`.execute(db);
    await sql`create trigger test_fail_audit before insert on audit_event for each row execute function test_fail_audit()`.execute(db);
    try {
      await expect(
        call(
          replace.action,
          post(
            `${BASE}/replace`,
            { ...cloud, supplier: "Never", ended_on: "01/10/2026", version: String(current.version) },
            { cookie: c.pm },
          ),
          P,
        ),
      ).rejects.toThrow(/forced audit failure/);
    } finally {
      await sql`drop trigger test_fail_audit on audit_event`.execute(db);
      await sql`drop function test_fail_audit()`.execute(db);
    }
    expect(await systems()).toEqual(before);
    expect(await audits()).toEqual(eventsBefore);
  });

  it("deletes a past record after confirmation, never the current one", async () => {
    await replaceWithRedcentric();
    await otherPracticeSystems();
    const rows = await systems();
    const past = rows.find((r) => !r.is_current)!;
    const current = rows.find((r) => r.is_current)!;

    const confirm = await call(del.loader, get(`${BASE}/${past.id}/delete`, c.pm), { ...P, id: String(past.id) });
    expect(confirm.status).toBe(200);
    expect(confirm.data.system.supplier).toBe("X-on");
    expect((await call(del.loader, get(`${BASE}/${current.id}/delete`, c.pm), { ...P, id: String(current.id) })).status).toBe(404);
    expect(
      (
        await call(del.action, post(`${BASE}/${current.id}/delete`, { version: String(current.version) }, { cookie: c.pm }), {
          ...P,
          id: String(current.id),
        })
      ).status,
    ).toBe(404);

    // Another practice's record cannot be reached through this practice's URL.
    const other = await getDb()
      .selectFrom("telephony_system")
      .select(["id", "version"])
      .where("practice_code", "=", "F84013")
      .where("is_current", "=", false)
      .executeTakeFirstOrThrow();
    expect(
      (
        await call(
          del.action,
          post(`/practices/F84003/telephony/${other.id}/delete`, { version: String(other.version) }, { cookie: c.pm }),
          { ...P, id: String(other.id) },
        )
      ).status,
    ).toBe(404);

    const stale = await call(del.action, post(`${BASE}/${past.id}/delete`, { version: String(past.version + 1) }, { cookie: c.pm }), {
      ...P,
      id: String(past.id),
    });
    expect(stale.data.formError).toMatch(/Someone else changed this record/);
    expect(await systems()).toHaveLength(2);

    const ok = await call(del.action, post(`${BASE}/${past.id}/delete`, { version: String(past.version) }, { cookie: c.pm }), {
      ...P,
      id: String(past.id),
    });
    expect(ok.status).toBe(302);
    expect((await systems()).map((r) => r.id)).toEqual([current.id]);
    const last = (await audits()).at(-1)!;
    expect(last.action).toBe("telephony.delete");
    expect((last.before as any).id).toBe(past.id);
    expect(await getDb().selectFrom("telephony_system").select("id").where("id", "=", other.id).executeTakeFirst()).toBeDefined();
  });
});

describe("telephony permissions", () => {
  const fields = () => ({ ...cloud, version: "1" });

  it("only people who may change practice-owned estate can write", async () => {
    await recordFirst();
    const before = await systems();
    for (const who of ["dp", "lead"]) {
      expect((await call(edit.action, post(`${BASE}/edit`, fields(), { cookie: c[who] }), P)).status).toBe(403);
      expect((await call(create.action, post(`${BASE}/new`, cloud, { cookie: c[who] }), P)).status).toBe(403);
      expect(
        (await call(replace.action, post(`${BASE}/replace`, { ...fields(), ended_on: "01/01/2026" }, { cookie: c[who] }), P)).status,
      ).toBe(403);
      expect((await call(edit.loader, get(`${BASE}/edit`, c[who]), P)).status).toBe(403);
    }
    expect(await systems()).toEqual(before);
  });

  it("everyone in read scope can view; others get 404", async () => {
    for (const who of ["pm", "dp", "lead", "admin"]) {
      const res = await call(view.loader, get(BASE, c[who]), P);
      expect(res.status).toBe(200);
      expect(res.data.canEdit).toBe(who === "pm" || who === "admin");
    }
    expect((await call(view.loader, get(BASE, c.dp2), P)).status).toBe(404);
    expect((await call(exporter.loader, get(`${BASE}/export?format=csv`, c.dp2), P)).status).toBe(404);
  });
});

describe("telephony export", () => {
  it("downloads CSV with the form's field names, ISO dates and yes/no", async () => {
    await replaceAndDeletePast();
    const res = await call(exporter.loader, get(`${BASE}/export?format=csv`, c.lead), P);
    expect(res.status).toBe(200);
    expect(res.response!.headers.get("Content-Disposition")).toMatch(/^attachment; filename="F84003-telephony-\d{4}-\d{2}-\d{2}\.csv"$/);
    const text = (await res.response!.text()).replace(/^\ufeff/, "");
    const [header, ...lines] = text.trim().split("\r\n");
    const cols = header.split(",");
    expect(cols.slice(0, 10)).toEqual([
      "practice_ods_code",
      "is_current",
      "system_type",
      "supplier",
      "product",
      "on_bpf",
      "contract_start",
      "contract_end",
      "lines",
      "concurrent_calls",
    ]);
    expect(cols).toEqual(expect.arrayContaining(["call_back", "cbt_data_sharing", "main_number", "ended_on", "notes"]));
    expect(lines).toHaveLength(1);
    const row = Object.fromEntries(lines[0].split(",").map((v, i) => [cols[i], v]));
    expect(row).toMatchObject({
      practice_ods_code: "F84003",
      is_current: "yes",
      system_type: "cloud",
      supplier: "Redcentric",
      on_bpf: "yes",
      contract_start: "2024-04-01",
      lines: "",
      concurrent_calls: "30",
      ivr_routing: "",
      ended_on: "",
    });
  });

  it("downloads XLSX with one sheet, and refuses unknown formats", async () => {
    await replaceAndDeletePast();
    const res = await call(exporter.loader, get(`${BASE}/export?format=xlsx`, c.pm), P);
    expect(res.response!.headers.get("Content-Type")).toMatch(/spreadsheetml/);
    const wb = new ExcelJS.Workbook();
    await wb.xlsx.load(Buffer.from(await res.response!.arrayBuffer()) as never);
    expect(wb.worksheets.map((w) => w.name)).toEqual(["Telephony"]);
    expect(wb.worksheets[0].getRow(1).getCell(1).value).toBe("practice_ods_code");
    expect(wb.worksheets[0].getRow(2).getCell(4).value).toBe("Redcentric");
    expect((await call(exporter.loader, get(`${BASE}/export?format=pdf`, c.pm), P)).status).toBe(400);
  });
});
