import { beforeAll, describe, expect, it } from "vitest";
import * as telephony from "~/routes/api.v1.practices.$ods.telephony";
import * as services from "~/routes/api.v1.practices.$ods.digital-services";
import { createFirstSystem } from "~/modules/telephony/service.server";
import { TelephonySchema } from "~/modules/telephony/schema";
import { getDb } from "~/utils/db.server";
import { apiRequest, callApi, tokenFor } from "../support/api";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";

// Updates carry the version the client read: a stale one is a 409 and changes nothing.

let pm: string;
let dp: string;
const patchTelephony = (body: unknown) =>
  callApi(telephony, apiRequest("PATCH", "/api/v1/practices/F84003/telephony", pm, body), { ods: "F84003" });
const patchServices = (body: unknown) =>
  callApi(services, apiRequest("PATCH", "/api/v1/practices/F84003/digital-services", dp, body), { ods: "F84003" });
const readTelephony = () => callApi(telephony, apiRequest("GET", "/api/v1/practices/F84003/telephony", pm), { ods: "F84003" });

// Each test starts from beforeAll's state (its own transaction, rolled back after it); these make
// the change a test builds on, through the API as a client would.
/** The telephony system moved from "Before" to X-on (version 2). */
const telephonyChanged = async () =>
  expect((await patchTelephony({ version: 1, supplier: "X-on", call_back: true, lines: 12 })).status).toBe(200);
/** Online consultation recorded as Accurx (version 1), the practice's only service recorded. */
const onlineConsultationRecorded = async () =>
  expect(
    (
      await patchServices({
        services: { online_consultation: { version: 0, status: "in_use", supplier: "Accurx", since_date: "01/04/2023" } },
      })
    ).status,
  ).toBe(200);

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  const users = await createRoleUsers(db);
  await createFirstSystem(
    db,
    users.practiceManager,
    "F84003",
    TelephonySchema.parse({ system_type: "cloud", supplier: "Before", call_back: "no", contract_start: "01/04/2024" }),
  );
  pm = await tokenFor("pm@test.nhs.test");
  dp = await tokenFor("dp@test.nhs.test");
});

describe("telephony", () => {
  it("updates the current system at the version read, keeping fields not sent, and audits with the token", async () => {
    const read = await readTelephony();
    expect(read.body.current).toMatchObject({ supplier: "Before", call_back: false, version: 1, contract_start: "2024-04-01" });
    const res = await patchTelephony({ version: 1, supplier: "X-on", call_back: true, lines: 12 });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body.current).toMatchObject({
      supplier: "X-on",
      call_back: true,
      lines: 12,
      system_type: "cloud",
      contract_start: "2024-04-01",
      version: 2,
    });
    const event = await getDb()
      .selectFrom("audit_event")
      .select(["action", "api_token_id", "before", "after"])
      .where("action", "=", "telephony.update")
      .executeTakeFirstOrThrow();
    expect(event.api_token_id).toEqual(expect.any(Number));
    expect(event.before).toMatchObject({ supplier: "Before" });
  });

  it("refuses a stale version with 409 and changes nothing", async () => {
    await telephonyChanged();
    const res = await patchTelephony({ version: 1, supplier: "Stale Ltd" });
    expect(res.status).toBe(409);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
    expect(res.body.detail).toMatch(/Someone else changed this practice's telephony/);
    expect((await readTelephony()).body.current.supplier).toBe("X-on");
  });

  it("checks values with the edit form's own rules, pointing at each field", async () => {
    await telephonyChanged();
    const res = await patchTelephony({ version: 2, contract_end: "01/01/2020", main_number: "abc", lines: -1 });
    expect(res.status).toBe(400);
    expect(res.body.errors).toEqual(
      expect.arrayContaining([
        { pointer: "/lines", detail: "Number of lines must be a whole number from 0 to 10,000" },
        { pointer: "/main_number", detail: "Main telephone number must contain only numbers, spaces and a + at the start" },
      ]),
    );
    const dates = await patchTelephony({ version: 2, contract_end: "01/01/2020" });
    expect(dates.body.errors).toEqual([
      { pointer: "/contract_end", detail: "Contract end date must be on or after the contract start date" },
    ]);
    const unknown = await patchTelephony({ version: 2, colour: "red" });
    expect(unknown.status).toBe(400);
    const noVersion = await patchTelephony({ supplier: "X" });
    expect(noVersion.body.errors[0].pointer).toBe("/version");
  });
});

describe("digital services", () => {
  it("changes only the services sent, each at the version read", async () => {
    const res = await patchServices({
      services: { online_consultation: { version: 0, status: "in_use", supplier: "Accurx", since_date: "01/04/2023" } },
    });
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    expect(res.body).toEqual({ changed: 1 });
    const read = await callApi(services, apiRequest("GET", "/api/v1/practices/F84003/digital-services", dp), { ods: "F84003" });
    const oc = read.body.services.find((s: { key: string }) => s.key === "online_consultation");
    expect(oc).toMatchObject({ status: "in_use", supplier: "Accurx", since_date: "2023-04-01", version: 1 });
    expect(read.body.services.filter((s: { version: number }) => s.version > 0)).toHaveLength(1);
  });

  it("refuses a stale version with 409, changing none of the services sent", async () => {
    await onlineConsultationRecorded();
    const res = await patchServices({
      services: { video_consultation: { version: 0, status: "in_use" }, online_consultation: { version: 0, supplier: "Stale" } },
    });
    expect(res.status).toBe(409);
    expect(res.body.detail).toMatch(/Someone else changed Online consultation/);
    const rows = await getDb()
      .selectFrom("digital_service")
      .select(["service_key", "supplier"])
      .where("practice_code", "=", "F84003")
      .execute();
    expect(rows).toEqual([{ service_key: "online_consultation", supplier: "Accurx" }]);
  });

  it("names an unknown service or status", async () => {
    const res = await patchServices({ services: { fax_machine: { version: 0, status: "in_use" } } });
    expect(res.status).toBe(400);
    const status = await patchServices({ services: { eps: { version: 0, status: "sometimes" } } });
    expect(status.status).toBe(400);
    expect(status.body.errors[0].pointer).toBe("/services/eps/status");
  });
});
