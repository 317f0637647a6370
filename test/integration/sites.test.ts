import { beforeAll, describe, expect, it } from "vitest";
import * as list from "~/routes/practices.$ods.sites._index";
import * as add from "~/routes/practices.$ods.sites.new";
import * as detail from "~/routes/practices.$ods.sites.$code._index";
import * as connectivity from "~/routes/practices.$ods.sites.$code.connectivity";
import * as premises from "~/routes/practices.$ods.sites.$code.premises";
import * as del from "~/routes/practices.$ods.sites.$code.delete";
import * as exporter from "~/routes/practices.$ods.sites.export";
import { getDb } from "~/utils/db.server";
import type { createRoleUsers } from "../support/factories";
import { seedAndSignIn } from "../support/scoping";
import { call, get, post } from "../support/requests";

let ids: Awaited<ReturnType<typeof createRoleUsers>>;
const c: Record<string, string> = {};
const P = { ods: "F84003" };
const BASE = "/practices/F84003/sites";
const site = (code: string) => ({ ...P, code });

beforeAll(async () => {
  const db = getDb();
  ids = await seedAndSignIn(c, ["pm", "dp", "lead", "dp2", "admin"]);
  const base = { address: null, phone: null, open_date: null, close_date: null };
  await db
    .insertInto("site")
    .values([
      {
        ...base,
        code: "F84003",
        practice_code: "F84003",
        kind: "main",
        name: "LOWER CLAPTON GENERAL PRACTICE",
        address: "34 LINSCOTT ROAD, LONDON",
        postcode: "E5 0RD",
      },
      {
        ...base,
        code: "Y01234",
        practice_code: "F84003",
        kind: "branch",
        name: "CLAPTON BRANCH",
        postcode: "E5 8AA",
        close_date: "2024-06-30",
      },
      { ...base, code: "F84013", practice_code: "F84013", kind: "main", name: "STAMFORD HILL GROUP PRACTICE", postcode: "N16 6UA" },
    ])
    .execute();
});

const find = (code: string) => getDb().selectFrom("site").selectAll().where("code", "=", code).executeTakeFirst();
const audits = (code: string) =>
  getDb().selectFrom("audit_event").selectAll().where("entity_type", "=", "site").where("entity_id", "=", code).orderBy("id").execute();

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these make
// the changes a test builds on through the pages, as the delivery partner and practice manager would.
/** The main site F84003's connectivity form as the delivery partner fills it in (HSCN-123, 80 Mbps). */
const CONNECTIVITY = {
  hscn_connected: "yes",
  hscn_circuit_id: "HSCN-123",
  bandwidth_mbps: "80",
  resilient_line: "no",
  wifi_staff: "yes",
  wifi_patient: "",
};
/** Its premises form as the practice manager fills it in (NHS Property Services, 2 analogue lines). */
const PREMISES = {
  comms_room_ok: "yes",
  ups_present: "no",
  records_storage_m2: "12.5",
  ownership: "nhs_property_services",
  planned_move_date: "31/03/2027",
  planned_works: "New comms cabinet",
  analogue_lines: "2",
};
/** The delivery partner's connectivity for the main site F84003: version 2. */
async function saveConnectivity() {
  const fields = { ...CONNECTIVITY, version: "1" };
  const res = await call(connectivity.action, post(`${BASE}/F84003/connectivity`, fields, { cookie: c.dp }), site("F84003"));
  expect(res.status).toBe(302);
}
/** Connectivity saved, then the practice manager's premises for F84003: version 3. */
async function savePremises() {
  await saveConnectivity();
  const fields = { ...PREMISES, version: "2" };
  expect((await call(premises.action, post(`${BASE}/F84003/premises`, fields, { cookie: c.pm }), site("F84003"))).status).toBe(302);
}
/** Two manual branch sites: F84003-M1 "Records store" (by the practice manager) and F84003-M2 "Satellite clinic" (by the delivery partner). */
async function addManualSites() {
  const first = await call(
    add.action,
    post(`${BASE}/new`, { name: "Records store", kind: "branch", postcode: "e5 0rd" }, { cookie: c.pm }),
    P,
  );
  expect(first.location).toBe(`${BASE}/F84003-M1`);
  const second = await call(add.action, post(`${BASE}/new`, { name: "Satellite clinic", kind: "branch" }, { cookie: c.dp }), P);
  expect(second.location).toBe(`${BASE}/F84003-M2`);
}
/** Deletes a manual site at version 1, as its confirmation page would. */
async function deleteManualSite(code: string) {
  expect((await call(del.action, post(`${BASE}/${code}/delete`, { version: "1" }, { cookie: c.pm }), site(code))).status).toBe(302);
}

describe("sites list and detail", () => {
  it("lists the practice's sites, main first, with connectivity columns", async () => {
    const res = await call(list.loader, get(BASE, c.lead), P);
    expect(res.status).toBe(200);
    expect(res.data.page.total).toBe(2);
    expect(res.data.page.rows.map((s: any) => [s.code, s.kind, s.close_date])).toEqual([
      ["F84003", "main", null],
      ["Y01234", "branch", "2024-06-30"],
    ]);
    expect(res.data.canAdd).toBe(false);
    expect((await call(list.loader, get(BASE, c.pm), P)).data.canAdd).toBe(true);
  });

  it("shows one site with who may change what", async () => {
    const asPm = await call(detail.loader, get(`${BASE}/F84003`, c.pm), site("F84003"));
    expect(asPm.status).toBe(200);
    expect(asPm.data.site.name).toBe("LOWER CLAPTON GENERAL PRACTICE");
    expect([asPm.data.canEditIcbEstate, asPm.data.canEditPracticeEstate]).toEqual([false, true]);
    const asDp = await call(detail.loader, get(`${BASE}/F84003`, c.dp), site("F84003"));
    expect([asDp.data.canEditIcbEstate, asDp.data.canEditPracticeEstate]).toEqual([true, false]);
  });

  it("another practice's site is not found through this practice's URL", async () => {
    expect((await call(detail.loader, get(`${BASE}/F84013`, c.admin), site("F84013"))).status).toBe(404);
    expect(
      (
        await call(
          connectivity.action,
          post(`${BASE}/F84013/connectivity`, { hscn_connected: "yes", version: "1" }, { cookie: c.dp }),
          site("F84013"),
        )
      ).status,
    ).toBe(404);
    expect((await find("F84013"))!.hscn_connected).toBeNull();
  });
});

describe("connectivity and premises", () => {
  it("reports connectivity field errors and writes nothing", async () => {
    const res = await call(
      connectivity.action,
      post(`${BASE}/F84003/connectivity`, { hscn_connected: "maybe", bandwidth_mbps: "fast", version: "1" }, { cookie: c.dp }),
      site("F84003"),
    );
    expect(res.data.fieldErrors).toEqual({
      hscn_connected: "Connected to HSCN must be yes, no or blank",
      bandwidth_mbps: "Bandwidth (Mbps) must be a number from 0 to 100,000",
    });
    expect((await find("F84003"))!.version).toBe(1);
  });

  it("the delivery partner saves connectivity; premises fields posted with it are ignored", async () => {
    const res = await call(
      connectivity.action,
      post(
        `${BASE}/F84003/connectivity`,
        {
          ...CONNECTIVITY,
          // A tampered form: premises fields belong to the practice and must not change here.
          ups_present: "yes",
          analogue_lines: "9",
          ownership: "leased",
          planned_works: "hacked",
          version: "1",
        },
        { cookie: c.dp },
      ),
      site("F84003"),
    );
    expect(res.status).toBe(302);
    expect(res.location).toBe(`${BASE}/F84003`);
    expect(await find("F84003")).toMatchObject({
      hscn_connected: true,
      hscn_circuit_id: "HSCN-123",
      bandwidth_mbps: 80,
      resilient_line: false,
      wifi_staff: true,
      wifi_patient: null,
      ups_present: null,
      analogue_lines: null,
      ownership: null,
      planned_works: null,
      version: 2,
    });
    const [event] = await audits("F84003");
    expect(event).toMatchObject({ action: "site.connectivity.update", user_id: ids.partnerIcb });
    expect(Object.keys(event.after as object).sort()).toEqual([
      "bandwidth_mbps",
      "hscn_circuit_id",
      "hscn_connected",
      "resilient_line",
      "version",
      "wifi_patient",
      "wifi_staff",
    ]);
  });

  it("the practice manager saves premises; connectivity fields posted with it are ignored", async () => {
    await saveConnectivity();
    const res = await call(
      premises.action,
      post(
        `${BASE}/F84003/premises`,
        {
          ...PREMISES,
          hscn_connected: "no",
          bandwidth_mbps: "1",
          version: "2",
        },
        { cookie: c.pm },
      ),
      site("F84003"),
    );
    expect(res.status).toBe(302);
    expect(await find("F84003")).toMatchObject({
      comms_room_ok: true,
      ups_present: false,
      records_storage_m2: 12.5,
      ownership: "nhs_property_services",
      planned_move_date: "2027-03-31",
      planned_works: "New comms cabinet",
      analogue_lines: 2,
      hscn_connected: true,
      bandwidth_mbps: 80,
      version: 3,
    });
    const events = await audits("F84003");
    expect(events.map((e) => [e.action, e.user_id])).toEqual([
      ["site.connectivity.update", ids.partnerIcb],
      ["site.premises.update", ids.practiceManager],
    ]);
    const page = await call(detail.loader, get(`${BASE}/F84003`, c.lead), site("F84003"));
    expect(page.data.history).toHaveLength(2);
    expect(page.data.history[0].after).toMatchObject({ ownership: "NHS Property Services", analogue_lines: 2 });
  });

  it("a stale version is a conflict that changes nothing, on either form", async () => {
    await savePremises();
    const before = await find("F84003");
    const a = await call(
      connectivity.action,
      post(`${BASE}/F84003/connectivity`, { hscn_connected: "no", version: "2" }, { cookie: c.dp }),
      site("F84003"),
    );
    expect(a.data.formError).toMatch(/Someone else changed this site/);
    const b = await call(
      premises.action,
      post(`${BASE}/F84003/premises`, { ups_present: "yes", version: "1" }, { cookie: c.pm }),
      site("F84003"),
    );
    expect(b.data.formError).toMatch(/Someone else changed this site/);
    expect(await find("F84003")).toEqual(before);
    expect(await audits("F84003")).toHaveLength(2);
  });
});

describe("manual sites", () => {
  it("reports field errors when adding a site", async () => {
    const res = await call(add.action, post(`${BASE}/new`, { name: "", kind: "annex", postcode: "XYZ" }, { cookie: c.pm }), P);
    expect(res.data.fieldErrors).toEqual({
      name: "Enter the site's name",
      kind: "Select whether this is the main site or a branch",
      postcode: "Enter a real postcode, like E5 0RD",
    });
  });

  it("refuses a second open main site", async () => {
    const res = await call(add.action, post(`${BASE}/new`, { name: "Another main", kind: "main" }, { cookie: c.pm }), P);
    expect(res.data.fieldErrors.kind).toMatch(/already has an open main site \(F84003\)/);
  });

  it("adds sites with generated codes and an audit event", async () => {
    const first = await call(
      add.action,
      post(`${BASE}/new`, { name: "Records store", kind: "branch", postcode: "e5 0rd", open_date: "01/04/2026" }, { cookie: c.pm }),
      P,
    );
    expect(first.status).toBe(302);
    expect(first.location).toBe(`${BASE}/F84003-M1`);
    expect(await find("F84003-M1")).toMatchObject({
      practice_code: "F84003",
      kind: "branch",
      is_manual: true,
      postcode: "E5 0RD",
      open_date: "2026-04-01",
      version: 1,
    });
    const second = await call(add.action, post(`${BASE}/new`, { name: "Satellite clinic", kind: "branch" }, { cookie: c.dp }), P);
    expect(second.location).toBe(`${BASE}/F84003-M2`);
    expect((await audits("F84003-M1")).map((e) => [e.action, e.user_id])).toEqual([["site.create", ids.practiceManager]]);
    const page = await call(detail.loader, get(`${BASE}/F84003-M1`, c.pm), site("F84003-M1"));
    expect(page.data.history[0].after).toMatchObject({ kind: "Branch surgery", name: "Records store", is_manual: true });
  });

  it("ODS sites cannot be deleted; a site with devices must be emptied first", async () => {
    await addManualSites();
    const ods = await call(del.action, post(`${BASE}/F84003/delete`, { version: "3" }, { cookie: c.pm }), site("F84003"));
    expect(ods.data.formError).toMatch(/comes from the NHS ODS files/);
    expect(await find("F84003")).toBeDefined();

    await getDb()
      .insertInto("device")
      .values({ practice_code: "F84003", site_code: "F84003-M2", asset_tag: "A1", device_type: "desktop", status: "in_use" })
      .execute();
    const busy = await call(del.action, post(`${BASE}/F84003-M2/delete`, { version: "1" }, { cookie: c.dp }), site("F84003-M2"));
    expect(busy.data.formError).toBe("1 device is recorded at this site. Move it to another site first.");
    expect(await find("F84003-M2")).toBeDefined();
    await getDb().deleteFrom("device").execute();
  });

  it("deletes a manual site after confirmation, at the confirmed version", async () => {
    await addManualSites();
    const confirm = await call(del.loader, get(`${BASE}/F84003-M1/delete`, c.pm), site("F84003-M1"));
    expect(confirm.status).toBe(200);
    const stale = await call(del.action, post(`${BASE}/F84003-M1/delete`, { version: "7" }, { cookie: c.pm }), site("F84003-M1"));
    expect(stale.data.formError).toMatch(/Someone else changed this site/);
    const ok = await call(del.action, post(`${BASE}/F84003-M1/delete`, { version: "1" }, { cookie: c.pm }), site("F84003-M1"));
    expect(ok.status).toBe(302);
    expect(await find("F84003-M1")).toBeUndefined();
    expect((await audits("F84003-M1")).map((e) => e.action)).toEqual(["site.create", "site.delete"]);
  });

  it("never reuses a deleted site's code", async () => {
    await addManualSites();
    await deleteManualSite("F84003-M1");
    await call(del.action, post(`${BASE}/F84003-M2/delete`, { version: "1" }, { cookie: c.pm }), site("F84003-M2"));
    const res = await call(add.action, post(`${BASE}/new`, { name: "New store", kind: "branch" }, { cookie: c.pm }), P);
    expect(res.location).toBe(`${BASE}/F84003-M3`);
  });
});

describe("sites permissions", () => {
  it("the practice manager gets 403 on connectivity; the delivery partner and ICB lead get 403 on premises", async () => {
    const before = await find("F84003");
    expect(
      (
        await call(
          connectivity.action,
          post(`${BASE}/F84003/connectivity`, { hscn_connected: "no", version: "3" }, { cookie: c.pm }),
          site("F84003"),
        )
      ).status,
    ).toBe(403);
    expect((await call(connectivity.loader, get(`${BASE}/F84003/connectivity`, c.pm), site("F84003"))).status).toBe(403);
    for (const who of ["dp", "lead"]) {
      expect(
        (
          await call(
            premises.action,
            post(`${BASE}/F84003/premises`, { ups_present: "yes", version: "3" }, { cookie: c[who] }),
            site("F84003"),
          )
        ).status,
      ).toBe(403);
      expect((await call(premises.loader, get(`${BASE}/F84003/premises`, c[who]), site("F84003"))).status).toBe(403);
    }
    expect(
      (
        await call(
          connectivity.action,
          post(`${BASE}/F84003/connectivity`, { hscn_connected: "no", version: "3" }, { cookie: c.lead }),
          site("F84003"),
        )
      ).status,
    ).toBe(403);
    expect((await call(add.action, post(`${BASE}/new`, { name: "X", kind: "branch" }, { cookie: c.lead }), P)).status).toBe(403);
    expect(await find("F84003")).toEqual(before);
  });

  it("a delivery partner for another practice gets 404", async () => {
    expect((await call(list.loader, get(BASE, c.dp2), P)).status).toBe(404);
    expect((await call(detail.loader, get(`${BASE}/F84003`, c.dp2), site("F84003"))).status).toBe(404);
    expect(
      (await call(connectivity.action, post(`${BASE}/F84003/connectivity`, { version: "3" }, { cookie: c.dp2 }), site("F84003"))).status,
    ).toBe(404);
  });
});

describe("sites export", () => {
  it("downloads every site with both forms' fields", async () => {
    // The main site's two forms saved; two manual sites added and deleted, then a third added.
    await savePremises();
    await addManualSites();
    await deleteManualSite("F84003-M1");
    await deleteManualSite("F84003-M2");
    expect((await call(add.action, post(`${BASE}/new`, { name: "New store", kind: "branch" }, { cookie: c.pm }), P)).location).toBe(
      `${BASE}/F84003-M3`,
    );
    const res = await call(exporter.loader, get(`${BASE}/export?format=csv`, c.lead), P);
    expect(res.status).toBe(200);
    const [header, ...lines] = (await res.response!.text())
      .replace(/^\ufeff/, "")
      .trim()
      .split("\r\n");
    const cols = header.split(",");
    expect(cols).toEqual([
      "site_code",
      "practice_ods_code",
      "kind",
      "name",
      "address",
      "postcode",
      "open_date",
      "close_date",
      "is_manual",
      "hscn_connected",
      "hscn_circuit_id",
      "bandwidth_mbps",
      "resilient_line",
      "wifi_staff",
      "wifi_patient",
      "comms_room_ok",
      "ups_present",
      "records_storage_m2",
      "ownership",
      "planned_move_date",
      "planned_works",
      "analogue_lines",
    ]);
    expect(lines.map((l) => l.split(",")[0])).toEqual(["F84003", "F84003-M3", "Y01234"]);
    const main = lines[0];
    expect(main).toBe(
      'F84003,F84003,main,LOWER CLAPTON GENERAL PRACTICE,"34 LINSCOTT ROAD, LONDON",E5 0RD,,,no,yes,HSCN-123,80,no,yes,,yes,no,12.5,nhs_property_services,2027-03-31,New comms cabinet,2',
    );
  });
});
