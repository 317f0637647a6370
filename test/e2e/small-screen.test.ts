/**
 * The key pages on a phone (375 px wide): the page itself never scrolls sideways; wide tables scroll
 * inside their own labelled, focusable region. Each page is also checked with axe (test/e2e/a11y.ts),
 * at this width.
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const PHONE = { width: 375, height: 812 };

/** How far the page is wider than the screen, and the widest elements that stick out (for the message). */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const culprits = [...document.querySelectorAll("body *")]
      .filter((e) => e.getBoundingClientRect().right > width + 1 && !e.closest(".app-table-wrap"))
      .map(
        (e) =>
          `${e.tagName.toLowerCase()}${e.id ? `#${e.id}` : ""}${e.className && typeof e.className === "string" ? `.${e.className.trim().split(/\s+/).join(".")}` : ""} (${Math.round(e.getBoundingClientRect().right)} px)`,
      )
      .slice(0, 5);
    return { scrollWidth: document.documentElement.scrollWidth, culprits };
  });
}

async function fitsThePhone(page: Page, path: string, heading: RegExp) {
  await page.goto(path, { timeout: 120_000 });
  await expect(page.getByRole("heading", { level: 1, name: heading })).toBeVisible({ timeout: 120_000 });
  const { scrollWidth, culprits } = await overflow(page);
  expect(scrollWidth, `${path} scrolls sideways at 375 px: ${culprits.join(", ")}`).toBeLessThanOrEqual(PHONE.width);
  // Every region that does scroll sideways can be reached and scrolled from the keyboard, and is named.
  const regions = await page.evaluate(() =>
    [...document.querySelectorAll<HTMLElement>(".app-table-wrap")]
      .filter((e) => e.scrollWidth > e.clientWidth)
      .map((e) => ({ tabIndex: e.tabIndex, role: e.getAttribute("role"), label: e.getAttribute("aria-label") })),
  );
  for (const r of regions)
    expect(r, `${path}: a table that scrolls sideways`).toMatchObject({ tabIndex: 0, role: "region", label: expect.stringMatching(/\S/) });
}

test.describe("at 375 px wide", () => {
  test("an ICB lead's pages fit the phone: dashboard, gap register (also grouped), heat map, sustainability ranking, funding requests, devices and the board paper", async ({
    signedIn,
  }) => {
    test.setTimeout(300_000);
    const page = await signedIn("icb.lead@demo.gp-estate.test", { viewport: PHONE });
    await fitsThePhone(page, "/icbs/QMF/dashboard", /Commissioner dashboard/);
    // Charts would shrink to 5 px labels here: each is left out for the table of its figures.
    const charts = page.locator("svg.app-chart__svg, svg.app-hbars");
    await expect.poll(() => charts.count()).toBeGreaterThan(2);
    const shown = await charts.evaluateAll((svgs) => svgs.filter((s) => s.getBoundingClientRect().width > 0).length);
    expect(shown, "charts drawn at 375 px").toBe(0);
    await expect(page.getByRole("table", { name: /ICB compliance score at each month end/ })).toBeVisible();
    await fitsThePhone(page, "/gaps", /Gaps/);
    // Grouped by practice, the group totals come 50 a page with their own navigation.
    await fitsThePhone(page, "/gaps?group=practice&gpage=2", /Gaps/);
    // The ICB's paper and carbon ranking, 50 practices a page.
    await fitsThePhone(page, "/icbs/QMF/sustainability?page=2", /Paper and carbon/);
    await fitsThePhone(page, "/icbs/QMF/compliance", /Compliance/);
    await fitsThePhone(page, "/funding-requests", /Funding requests/);
    await fitsThePhone(page, "/estate/devices", /Devices/);
    await fitsThePhone(page, "/icbs/QMF/report", /GP digital estate/);
  });

  test("a practice manager's compliance and device list fit the phone", async ({ signedIn }) => {
    const page = await signedIn("pm.f84003@demo.gp-estate.test", { viewport: PHONE });
    await fitsThePhone(page, "/practices/F84003/compliance", /Compliance|Lower Clapton/);
    await fitsThePhone(page, "/practices/F84003/devices", /Devices/);
  });
});
