import { beforeEach, describe, expect, it } from "vitest";
import { redirectWithFlash, redirectWithNotice, takeFlash, takeNotice } from "~/modules/auth/flash.server";
import { getOptionalUser } from "~/modules/auth/session.server";
import { getDb, getDbHandle } from "~/utils/db.server";
import { truncateAll } from "../support/db";
import { createUser, seedOrgs } from "../support/factories";
import { cookieFor, flashFor, get, noticeFor } from "../support/requests";

/**
 * One-time banners after a change are kept on the session (flash.server.ts), never in the address:
 * a plain message for the layout's SuccessBanner, or a notice with data for one page's own banner.
 */
let cookie: string;

beforeEach(async () => {
  await truncateAll(getDbHandle());
  await seedOrgs(getDb());
  await createUser(getDb(), { email: "lead@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] });
  cookie = await cookieFor("lead@test.nhs.test");
});

const user = async (path: string) => (await getOptionalUser(get(path, cookie)))!;
/** What the root loader shows in the layout on that page (it calls takeFlash with the session's user). */
const rootFlash = async (path: string) => takeFlash(get(path, cookie), await user(path));

describe("session flash and page notices", () => {
  it("a plain message is the layout's, shown once on whichever page comes next", async () => {
    const res = await redirectWithFlash(get("/x", cookie), "/devices", "Device saved.");
    expect(res.headers.get("Location")).toBe("/devices");
    expect(await rootFlash("/devices")).toBe("Device saved.");
    expect(await rootFlash("/devices")).toBeNull();
  });

  it("a notice is its page's: the layout leaves it, the page's loader takes it once, and only its own kind", async () => {
    const res = await redirectWithNotice(get("/x", cookie), "/icbs/QMF/policy?edit=x#top", "policy-changed", {
      key: "max_age_desktop",
      job: 7,
    });
    expect(res.headers.get("Location")).toBe("/icbs/QMF/policy?edit=x#top");
    expect(await noticeFor(cookie)).toEqual({
      notice: "policy-changed",
      path: "/icbs/QMF/policy",
      detail: { key: "max_age_desktop", job: 7 },
    });
    // The layout on that page shows nothing and leaves it for the page.
    expect(await rootFlash("/icbs/QMF/policy")).toBeNull();
    expect(await takeNotice(get("/icbs/QMF/policy", cookie), await user("/icbs/QMF/policy"), "job-already")).toBeNull();
    expect(await takeNotice(get("/icbs/QHM/policy", cookie), await user("/icbs/QHM/policy"), "policy-changed")).toBeNull();
    const page = get("/icbs/QMF/policy", cookie);
    expect(await takeNotice(page, await user("/icbs/QMF/policy"), "policy-changed")).toEqual({ key: "max_age_desktop", job: 7 });
    expect(await flashFor(cookie)).toBeNull();
    expect(await takeNotice(page, await user("/icbs/QMF/policy"), "policy-changed")).toBeNull();
  });

  it("a notice for a page the user never reached is dropped by the next page's layout, not shown later", async () => {
    await redirectWithNotice(get("/x", cookie), "/jobs/12", "job-already", {});
    expect(await rootFlash("/")).toBeNull();
    expect(await flashFor(cookie)).toBeNull();
    expect(await takeNotice(get("/jobs/12", cookie), await user("/jobs/12"), "job-already")).toBeNull();
  });

  it("a notice whose data does not fit its kind is cleared and not shown", async () => {
    await redirectWithFlash(
      get("/x", cookie),
      "/jobs/12",
      JSON.stringify({ notice: "policy-changed", path: "/jobs/12", detail: { key: 3 } }),
    );
    expect(await takeNotice(get("/jobs/12", cookie), await user("/jobs/12"), "policy-changed")).toBeNull();
    expect(await flashFor(cookie)).toBeNull();
  });

  it("without a session it is a plain redirect", async () => {
    const res = await redirectWithNotice(get("/x"), "/jobs/12", "job-already", {});
    expect(res.status).toBe(302);
    expect(await takeFlash(get("/jobs/12"), null)).toBeNull();
  });
});
