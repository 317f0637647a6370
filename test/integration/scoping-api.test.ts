import { describe, expect, it } from "vitest";
import * as practices from "~/routes/api.v1.practices._index";
import * as practice from "~/routes/api.v1.practices.$ods._index";
import * as devices from "~/routes/api.v1.practices.$ods.devices";
import * as telephony from "~/routes/api.v1.practices.$ods.telephony";
import * as services from "~/routes/api.v1.practices.$ods.digital-services";
import * as sites from "~/routes/api.v1.practices.$ods.sites";
import * as compliance from "~/routes/api.v1.practices.$ods.compliance";
import * as gaps from "~/routes/api.v1.gaps";
import * as funding from "~/routes/api.v1.funding-requests";
import * as openapi from "~/routes/api.v1.openapi[.]json";
import * as accountTokens from "~/routes/account.tokens";
import * as adminTokens from "~/routes/admin.api-tokens";
import * as apiDocs from "~/routes/api-docs";
import { createFirstSystem } from "~/modules/telephony/service.server";
import { TelephonySchema } from "~/modules/telephony/schema";
import { getDb } from "~/utils/db.server";
import { z } from "zod";
import * as s from "~/modules/api/schemas";
import { apiRequest, callApi, tokenFor, type TokenRole } from "../support/api";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";
import { ADMIN_ONLY, ALL, defineMatrix, EMAILS, useRoleCookies, type MatrixRow } from "../support/scoping";

// The API matrix: every app/routes/api.v1.* file, with a token per role (no cookie). The
// statuses follow the pages': 404 for a practice outside the token's read scope (its existence is
// not confirmed), 403 for one in view that the role may not change, 401 with no token.

type Role = TokenRole | "anonymous";
type ApiExpect = Record<Role, number>;
const EVERYONE = (s: number): ApiExpect => ({
  anonymous: 401,
  nobody: 403,
  admin: s,
  icbLead: s,
  partnerIcb: s,
  partnerPractice: s,
  practiceManager: s,
});
const READ_F84003: ApiExpect = {
  anonymous: 401,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 200,
};
const ADMIN_ONLY_READ: ApiExpect = {
  anonymous: 401,
  nobody: 403,
  admin: 200,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};
const ICB_WRITE_F84003: ApiExpect = {
  anonymous: 401,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 403,
};
const PRACTICE_WRITE_F84003: ApiExpect = {
  anonymous: 401,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 200,
};

interface ApiRow {
  file: string;
  module: { loader?: unknown; action?: unknown };
  method?: "GET" | "POST" | "PATCH";
  path: string;
  params?: Record<string, string>;
  body?: () => Promise<unknown>;
  expect: ApiExpect;
}

// What a 200 must look like: the schema the OpenAPI document publishes for it.
const SCHEMAS: Record<string, z.ZodType> = {
  "GET api.v1.practices._index.ts": s.PracticeList,
  "GET api.v1.practices.$ods._index.ts": s.PracticeDetail,
  "GET api.v1.practices.$ods.devices.ts": s.DeviceList,
  "POST api.v1.practices.$ods.devices.ts": s.DeviceBulkResult,
  "GET api.v1.practices.$ods.telephony.ts": s.TelephonyView,
  "PATCH api.v1.practices.$ods.telephony.ts": z.object({ current: s.TelephonySystem }),
  "GET api.v1.practices.$ods.digital-services.ts": s.DigitalServicesView,
  "PATCH api.v1.practices.$ods.digital-services.ts": z.object({ changed: z.number().int() }),
  "GET api.v1.practices.$ods.sites.ts": s.SiteList,
  "GET api.v1.practices.$ods.compliance.ts": s.ComplianceView,
  "GET api.v1.gaps.ts": s.GapList,
  "GET api.v1.funding-requests.ts": s.FundingList,
  "GET api.v1.openapi[.]json.ts": z.object({ openapi: z.literal("3.1.0") }),
};

const currentTelephonyVersion = async (ods: string) =>
  (
    await getDb()
      .selectFrom("telephony_system")
      .select("version")
      .where("practice_code", "=", ods)
      .where("is_current", "=", true)
      .executeTakeFirstOrThrow()
  ).version;
const serviceVersion = async (ods: string, key: string) =>
  (
    await getDb()
      .selectFrom("digital_service")
      .select("version")
      .where("practice_code", "=", ods)
      .where("service_key", "=", key)
      .executeTakeFirst()
  )?.version ?? 0;

const device = { devices: [{ asset_tag: "MATRIX-1", device_type: "desktop", status: "in_use" }] };

const ROWS: ApiRow[] = [
  { file: "api.v1.practices._index.ts", module: practices, path: "/api/v1/practices", expect: EVERYONE(200) },
  {
    file: "api.v1.practices.$ods._index.ts",
    module: practice,
    path: "/api/v1/practices/F84003",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods._index.ts",
    module: practice,
    path: "/api/v1/practices/A81001",
    params: { ods: "A81001" },
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods._index.ts",
    module: practice,
    path: "/api/v1/practices/ZZZ999",
    params: { ods: "ZZZ999" },
    expect: { ...ADMIN_ONLY_READ, admin: 404 },
  },
  {
    file: "api.v1.practices.$ods.devices.ts",
    module: devices,
    path: "/api/v1/practices/F84003/devices",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods.devices.ts",
    module: devices,
    path: "/api/v1/practices/A81001/devices",
    params: { ods: "A81001" },
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.devices.ts",
    module: devices,
    method: "POST",
    path: "/api/v1/practices/F84003/devices",
    params: { ods: "F84003" },
    body: async () => device,
    expect: ICB_WRITE_F84003,
  },
  {
    file: "api.v1.practices.$ods.devices.ts",
    module: devices,
    method: "POST",
    path: "/api/v1/practices/A81001/devices",
    params: { ods: "A81001" },
    body: async () => device,
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.devices.ts",
    module: devices,
    method: "POST",
    path: "/api/v1/practices/F84013/devices",
    params: { ods: "F84013" },
    body: async () => device,
    expect: { ...ICB_WRITE_F84003, partnerPractice: 200, practiceManager: 404 },
  },
  {
    file: "api.v1.practices.$ods.telephony.ts",
    module: telephony,
    path: "/api/v1/practices/F84003/telephony",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods.telephony.ts",
    module: telephony,
    path: "/api/v1/practices/A81001/telephony",
    params: { ods: "A81001" },
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.telephony.ts",
    module: telephony,
    method: "PATCH",
    path: "/api/v1/practices/F84003/telephony",
    params: { ods: "F84003" },
    body: async () => ({ version: await currentTelephonyVersion("F84003"), supplier: "X-on" }),
    expect: PRACTICE_WRITE_F84003,
  },
  {
    file: "api.v1.practices.$ods.telephony.ts",
    module: telephony,
    method: "PATCH",
    path: "/api/v1/practices/A81001/telephony",
    params: { ods: "A81001" },
    body: async () => ({ version: await currentTelephonyVersion("A81001"), supplier: "X-on" }),
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.digital-services.ts",
    module: services,
    path: "/api/v1/practices/F84003/digital-services",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods.digital-services.ts",
    module: services,
    method: "PATCH",
    path: "/api/v1/practices/F84003/digital-services",
    params: { ods: "F84003" },
    body: async () => ({
      services: { online_consultation: { version: await serviceVersion("F84003", "online_consultation"), status: "in_use" } },
    }),
    expect: ICB_WRITE_F84003,
  },
  {
    file: "api.v1.practices.$ods.digital-services.ts",
    module: services,
    method: "PATCH",
    path: "/api/v1/practices/A81001/digital-services",
    params: { ods: "A81001" },
    body: async () => ({
      services: { online_consultation: { version: await serviceVersion("A81001", "online_consultation"), status: "in_use" } },
    }),
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.sites.ts",
    module: sites,
    path: "/api/v1/practices/F84003/sites",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods.sites.ts",
    module: sites,
    path: "/api/v1/practices/A81001/sites",
    params: { ods: "A81001" },
    expect: ADMIN_ONLY_READ,
  },
  {
    file: "api.v1.practices.$ods.compliance.ts",
    module: compliance,
    path: "/api/v1/practices/F84003/compliance",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "api.v1.practices.$ods.compliance.ts",
    module: compliance,
    path: "/api/v1/practices/A81001/compliance",
    params: { ods: "A81001" },
    expect: ADMIN_ONLY_READ,
  },
  { file: "api.v1.gaps.ts", module: gaps, path: "/api/v1/gaps", expect: EVERYONE(200) },
  {
    file: "api.v1.funding-requests.ts",
    module: funding,
    path: "/api/v1/funding-requests",
    expect: { ...EVERYONE(200), practiceManager: 403 },
  },
  {
    file: "api.v1.openapi[.]json.ts",
    module: openapi,
    path: "/api/v1/openapi.json",
    expect: { ...EVERYONE(200), anonymous: 200, nobody: 200 },
  },
];

// The pages that manage tokens and show the reference, signed in with a cookie.
const PAGES: MatrixRow[] = [
  { file: "account.tokens.tsx", module: accountTokens, path: "/account/tokens", expect: { ...ALL(200), nobody: 200 } },
  { file: "admin.api-tokens.tsx", module: adminTokens, path: "/admin/api-tokens", expect: ADMIN_ONLY },
  {
    file: "admin.api-tokens.tsx",
    module: adminTokens,
    method: "POST",
    path: "/admin/api-tokens",
    fields: { intent: "revoke", tokenId: "999999" },
    expect: { ...ADMIN_ONLY, admin: 404 },
  },
  { file: "api-docs.tsx", module: apiDocs, path: "/api-docs", expect: { ...ALL(200), nobody: 200 } },
];

const tokens: Partial<Record<TokenRole, string>> = {};
const cookies = useRoleCookies(async () => {
  const db = getDb();
  await seedSites(db);
  await ensureLifecycleSeed(db);
  for (const ods of ["F84003", "A81001"])
    await createFirstSystem(db, 1, ods, TelephonySchema.parse({ system_type: "cloud", supplier: "Before" }));
  for (const [role, email] of Object.entries(EMAILS)) tokens[role as TokenRole] = await tokenFor(email);
});

describe("API role × route matrix (a token per role)", () => {
  for (const row of ROWS) {
    const method = row.method ?? "GET";
    for (const role of Object.keys(row.expect) as Role[]) {
      const want = row.expect[role];
      it(`${method} ${row.path} as ${role} → ${want}`, async () => {
        const token = role === "anonymous" ? undefined : tokens[role];
        const res = await callApi(row.module, apiRequest(method, row.path, token, row.body ? await row.body() : undefined), row.params);
        expect(res.status, JSON.stringify(res.body)).toBe(want);
        if (want >= 400) {
          expect(res.headers.get("Content-Type")).toMatch(/^application\/problem\+json/);
          s.Problem.strict().parse(res.body);
        } else SCHEMAS[`${method} ${row.file}`].parse(res.body);
        if (want === 401) expect(res.headers.get("WWW-Authenticate")).toMatch(/^Bearer/);
      });
    }
  }
});

describe("token pages (cookie sign-in)", () => {
  defineMatrix(PAGES, cookies);
});

describe("API lists hold only what the token may read", () => {
  it("a practice manager's token lists only their practice", async () => {
    const res = await callApi(practices, apiRequest("GET", "/api/v1/practices", tokens.practiceManager));
    expect(res.body.data.map((p: { ods_code: string }) => p.ods_code)).toEqual(["F84003"]);
  });

  it("an ICB lead's token lists only the ICB's practices, and a practice-list partner's only theirs", async () => {
    const lead = await callApi(practices, apiRequest("GET", "/api/v1/practices", tokens.icbLead));
    expect(lead.body.data.map((p: { ods_code: string }) => p.ods_code).sort()).toEqual(["F84003", "F84013"]);
    const dp = await callApi(practices, apiRequest("GET", "/api/v1/practices?q=F84003", tokens.partnerPractice));
    expect(dp.body.page.total).toBe(0);
  });

  it("a practice manager's token cannot change another practice's devices, nor a row naming another practice", async () => {
    const before = await getDb().selectFrom("device").select("id").where("practice_code", "=", "F84013").execute();
    const res = await callApi(devices, apiRequest("POST", "/api/v1/practices/F84013/devices", tokens.practiceManager, device), {
      ods: "F84013",
    });
    expect(res.status).toBe(404);
    const sneaky = await callApi(
      devices,
      apiRequest("POST", "/api/v1/practices/F84003/devices", tokens.partnerIcb, {
        devices: [{ practice_ods_code: "A81001", asset_tag: "X-1", device_type: "desktop" }],
      }),
      { ods: "F84003" },
    );
    expect(sneaky.status).toBe(400);
    expect(sneaky.body.errors[0]).toEqual({
      pointer: "/devices/0/practice_ods_code",
      detail: "This row is for practice A81001, but you are importing into practice F84003",
    });
    expect(await getDb().selectFrom("device").select("id").where("practice_code", "=", "F84013").execute()).toEqual(before);
  });
});
