import { createElement, type ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { MemoryRouter } from "react-router-dom";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { UPLOAD_LIMITS } from "~/utils/upload-limits";
import { getDb } from "~/utils/db.server";
import { createRoleUsers, seedOrgs } from "../support/factories";
import { BASE, call, cookieFor, get, post } from "../support/requests";

// One pattern for every refusal (docs/adr/0010-how-a-failure-is-reported.md), on real routes:
// 400, 409 and 413 come back on the same page with that status and the error summary; 403 and
// 404 are thrown responses that the status-aware error boundary renders. Pages are rendered on
// the server from their real loader and action data, with Remix's hooks replaced.
let loaderData: unknown;
let actionData: unknown;
let routeError: unknown;
vi.mock("@remix-run/react", async (importOriginal) => {
  const actual = await importOriginal<typeof import("@remix-run/react")>();
  type P = { to?: string; children?: ReactNode; [k: string]: unknown };
  return {
    ...actual,
    useLoaderData: () => loaderData,
    useActionData: () => actionData,
    useRouteError: () => routeError,
    useLocation: () => ({ pathname: "/", search: "" }),
    useSearchParams: () => [new URLSearchParams(), () => undefined],
    useNavigation: () => ({ state: "idle" }),
    useSubmit: () => () => undefined,
    Link: ({ to, children, ...p }: P) => createElement("a", { href: to, ...p }, children),
    Form: ({ children, method, action, ...p }: P) => createElement("form", { method, action, ...p }, children),
  };
});

const newUser = await import("~/routes/admin.users.new");
const newTelephony = await import("~/routes/practices.$ods.telephony.new");
const importDevices = await import("~/routes/estate.import._index");
const newDevice = await import("~/routes/practices.$ods.devices.new");
const practicePage = await import("~/routes/practices.$ods._index");

const cookies: Record<string, string> = {};

beforeAll(async () => {
  await seedOrgs(getDb());
  await createRoleUsers(getDb());
  cookies.admin = await cookieFor("admin@test.nhs.test");
  cookies.pm = await cookieFor("pm@test.nhs.test");
  cookies.dp = await cookieFor("dp@test.nhs.test");
}, 120_000);

/** The page as the browser gets it after a refused form: the route's own view with the action's answer. */
async function formPage(mod: { default: () => ReactNode }, loaded: { data: unknown }, failed: { data: unknown }) {
  loaderData = JSON.parse(JSON.stringify(loaded.data));
  actionData = failed.data;
  return renderToStaticMarkup(createElement(MemoryRouter, null, createElement(mod.default)));
}

/** The page as the browser gets it after a thrown response: the error boundary, given what Remix would give it. */
async function errorPage(res: { status: number; response?: Response }) {
  routeError = { status: res.status, statusText: "", internal: false, data: await res.response!.text() };
  return renderToStaticMarkup(createElement(GeneralErrorBoundary));
}

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

describe("a refused form answers on the same page, with its status", () => {
  it("400: invalid fields, each message beside its field and in the summary, what was typed kept (never a password)", async () => {
    const res = await call(
      newUser.action,
      post("/admin/users/new", { name: "", email: "not-an-email", password: "short", role: "admin" }, { cookie: cookies.admin }),
    );
    expect(res.status).toBe(400);
    expect(res.data.ok).toBe(false);
    expect(Object.keys(res.data.fieldErrors)).toEqual(expect.arrayContaining(["name", "email", "password"]));
    expect(res.data.values.email).toBe("not-an-email");
    expect(res.data.values).not.toHaveProperty("password");
    const html = await formPage(newUser, await call(newUser.loader, get("/admin/users/new", cookies.admin)), res);
    expect(html).toContain("nhsuk-error-summary");
    expect(html).toContain(res.data.fieldErrors.email);
    expect(html).toContain('value="not-an-email"');
    expect(await getDb().selectFrom("app_user").select("id").where("email", "=", "not-an-email").executeTakeFirst()).toBeUndefined();
  });

  it("409: a state that refuses the step (a second current telephone system), as the form's message", async () => {
    const first = await call(newTelephony.action, post("/practices/F84003/telephony/new", cloud, { cookie: cookies.pm }), {
      ods: "F84003",
    });
    expect(first.status).toBe(302);
    const res = await call(
      newTelephony.action,
      post("/practices/F84003/telephony/new", { ...cloud, supplier: "Other" }, { cookie: cookies.pm }),
      { ods: "F84003" },
    );
    expect(res.status).toBe(409);
    expect(res.data).toMatchObject({
      ok: false,
      fieldErrors: {},
      formError: expect.stringMatching(/already has a current telephony system/),
    });
    const loaded = await call(newTelephony.loader, get("/practices/F84003/telephony/new", cookies.pm), { ods: "F84003" });
    const html = await formPage(newTelephony, loaded, res);
    expect(html).toContain("nhsuk-error-summary");
    expect(html).toContain("already has a current telephony system");
    const rows = await getDb().selectFrom("telephony_system").select("supplier").where("practice_code", "=", "F84003").execute();
    expect(rows).toEqual([{ supplier: "X-on" }]);
  });

  it("413: an upload over the limit, refused while it is read, with the limit beside the file field", async () => {
    const form = new FormData();
    form.append("file", new File([new Uint8Array(UPLOAD_LIMITS.fileBytes + 200 * 1024).fill(0x41)], "big.csv"));
    const request = new Request(`${BASE}/estate/import`, { method: "POST", headers: { Cookie: cookies.dp, Origin: BASE }, body: form });
    const res = await call(importDevices.action, request);
    expect(res.status).toBe(413);
    expect(res.data.fieldErrors.file).toMatch(/^This file is larger than 20 MB/);
    const html = await formPage(importDevices, await call(importDevices.loader, get("/estate/import", cookies.dp)), res);
    expect(html).toContain("nhsuk-error-summary");
    expect(html).toContain("This file is larger than 20 MB");
  });
});

describe("a request that cannot be answered at all gets the error page, with its status", () => {
  it("403: a practice manager adding a device (delivery partners keep the device register)", async () => {
    const res = await call(newDevice.action, post("/practices/F84003/devices/new", { asset_tag: "X-1" }, { cookie: cookies.pm }), {
      ods: "F84003",
    });
    expect(res.status).toBe(403);
    const html = await errorPage(res);
    expect(html).toContain("You do not have access to this page");
    expect(html).toContain("Only the GP IT delivery partner for this practice can change this.");
  });

  it("404: a practice that does not exist, and one outside the user's scope, look the same", async () => {
    const missing = await call(practicePage.loader, get("/practices/ZZ999", cookies.pm), { ods: "ZZ999" });
    const elsewhere = await call(practicePage.loader, get("/practices/F84013", cookies.pm), { ods: "F84013" });
    expect(missing.status).toBe(404);
    expect(elsewhere.status).toBe(404);
    const html = await errorPage(missing);
    expect(html).toContain("Page not found");
    expect(html).toContain("We could not find that practice.");
    expect(await errorPage(elsewhere)).toBe(html);
  });
});
