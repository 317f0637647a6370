import { beforeAll, describe, expect, it } from "vitest";
import * as practice from "~/routes/api.v1.practices.$ods._index";
import * as devices from "~/routes/api.v1.practices.$ods.devices";
import * as compliance from "~/routes/api.v1.practices.$ods.compliance";
import { runApiTokenCli } from "~/modules/api/cli.server";
import { ComplianceView, DeviceBulkResult, DeviceList, PracticeDetail } from "~/modules/api/schemas";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice } from "~/modules/devices/service.server";
import { getDb } from "~/utils/db.server";
import { apiRequest, callApi } from "../support/api";
import { createUser, seedOrgs } from "../support/factories";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";

// The "done when": a delivery partner's script, with a token, lists a practice's
// devices, pushes a corrected inventory and reads back the practice's compliance. Every
// response is also checked against the schema the OpenAPI document publishes for it.

let token: string;
const get = (route: { loader?: unknown }, p: string) => callApi(route, apiRequest("GET", p, token), { ods: "F84003" });

beforeAll(async () => {
  const db = getDb();
  await seedOrgs(db);
  await seedSites(db);
  await ensureLifecycleSeed(db);
  const dp = await createUser(db, { email: "dp@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] });
  // The practice's inventory as recorded on the pages: two PCs still on Windows 10.
  for (const tag of ["LC-0001", "LC-0002"]) {
    const r = await createDevice(
      db,
      dp,
      "F84003",
      DeviceInputSchema.parse({
        asset_tag: tag,
        device_type: "desktop",
        status: "in_use",
        os_family: "Windows 10",
        os_edition: "Pro",
        os_version: "22H2",
      }),
    );
    expect(r.ok).toBe(true);
  }
  // The partner makes a token on the command line, as a script's set-up would.
  const out: string[] = [];
  await runApiTokenCli(["--email", "dp@test.nhs.test", "--name", "Inventory sync"], db, { out: (t) => out.push(t), err: () => {} });
  token = out.join("").trim();
});

describe("a delivery partner's inventory script", () => {
  it("lists the practice's devices, pushes the corrected inventory and reads back compliance", async () => {
    const dev02 = async () => {
      const res = await get(compliance, "/api/v1/practices/F84003/compliance?domain=devices");
      expect(res.status).toBe(200);
      ComplianceView.parse(res.body);
      return res.body.results.find((r: { requirement_id: string }) => r.requirement_id === "DEV-02");
    };
    expect((await dev02()).status).toBe("not_met");

    const listed = await get(devices, "/api/v1/practices/F84003/devices");
    expect(listed.status).toBe(200);
    DeviceList.parse(listed.body);
    expect(listed.body.data.map((d: { asset_tag: string; support: { state: string } }) => [d.asset_tag, d.support.state])).toEqual([
      ["LC-0001", "unsupported"],
      ["LC-0002", "unsupported"],
    ]);

    // The corrected inventory: both PCs upgraded to Windows 11, and a laptop the register lacked.
    const inventory = {
      devices: [
        { asset_tag: "LC-0001", device_type: "desktop", os_name: "Microsoft Windows 11 Enterprise 24H2", encrypted: true },
        { asset_tag: "LC-0002", device_type: "desktop", os_name: "Microsoft Windows 11 Enterprise 24H2", encrypted: true },
        { asset_tag: "LC-0003", device_type: "laptop", os_name: "Microsoft Windows 11 Enterprise 24H2", encrypted: true },
      ],
    };
    const pushed = await callApi(devices, apiRequest("POST", "/api/v1/practices/F84003/devices", token, inventory), { ods: "F84003" });
    expect(pushed.status, JSON.stringify(pushed.body)).toBe(200);
    DeviceBulkResult.parse(pushed.body);
    expect(pushed.body.counts).toEqual({ rowsRead: 3, created: 1, updated: 2, unchanged: 0, rejected: 0 });

    expect((await dev02()).status).toBe("met");
    const glance = await get(practice, "/api/v1/practices/F84003");
    PracticeDetail.parse(glance.body);
    expect(glance.body.estate.devices_os_support.supported).toBe(3);

    // The script runs again tomorrow with the same file: nothing changes.
    const again = await callApi(devices, apiRequest("POST", "/api/v1/practices/F84003/devices", token, inventory), { ods: "F84003" });
    expect(again.body.counts).toMatchObject({ created: 0, updated: 0, unchanged: 3 });
  });
});
