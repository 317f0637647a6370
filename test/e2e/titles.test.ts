/**
 * NHS.UK page conventions across the demo, as each role sees it: every page's title is
 * "Page name – … – GP digital estate" and names the page (no two main pages share a title), and the
 * header marks exactly one item as the current one and stays on one line at 1,280 px. The pages are the header's own links, so the
 * crawl follows what each person can reach. Each page is also checked with axe (test/e2e/a11y.ts).
 */
import type { Page } from "@playwright/test";
import { expect, test } from "./fixtures";

const TITLE = /^(?!Error: )(.+) – GP digital estate$/;
// Computed on first view and slow on a busy machine; the small-screen and report tests visit them.
const SKIP = /\/dashboard$/;

async function crawlHeader(page: Page) {
  const links = await page.locator("nav[aria-label='Menu'] a").evaluateAll((as) => as.map((a) => (a as HTMLAnchorElement).pathname));
  const titles = new Map<string, string>();
  for (const path of links.filter((p) => !SKIP.test(p))) {
    await page.goto(path);
    await expect(page, `title of ${path}`).toHaveTitle(TITLE);
    titles.set(path, await page.title());
    // Exactly one header item is current, and it is the one for this page.
    const current = page.locator("nav[aria-label='Menu'] [aria-current]");
    await expect(current, `current header items on ${path}`).toHaveCount(1);
    await expect(current).toHaveJSProperty("pathname", path);
  }
  // Each page has its own name: no title is shared by two pages.
  const seen = new Map<string, string>();
  for (const [path, title] of titles) {
    expect(seen.get(title), `${path} and ${seen.get(title)} share the title "${title}"`).toBeUndefined();
    seen.set(title, path);
  }
  return titles;
}

test.describe("page titles and the current header item", () => {
  for (const email of [
    "icb.lead@demo.gp-estate.test",
    "pm.f84003@demo.gp-estate.test",
    "delivery.partner@demo.gp-estate.test",
    "admin@demo.gp-estate.test",
  ]) {
    test(`every page in ${email.split("@")[0]}'s header is named in its title`, async ({ signedIn }) => {
      const page = await signedIn(email);
      const titles = await crawlHeader(page);
      expect(titles.size).toBeGreaterThan(2);
      // At 1,280 px (playwright.config.ts) the menu is one line, not two, for every
      // role: an admin's own pages sit in the bar's "Admin" menu (its items are not on the bar).
      expect(page.viewportSize()?.width).toBe(1280);
      const tops = await page
        .locator("nav[aria-label='Menu'] .nhsuk-header__navigation-list > li")
        .evaluateAll((lis) => lis.map((li) => Math.round(li.getBoundingClientRect().top)));
      expect(new Set(tops).size, `menu item tops ${tops.join(", ")}`).toBe(1);
      if (email.startsWith("admin")) {
        // The admin menu opens and its items are links like the bar's.
        await page.getByText("Admin", { exact: true }).click();
        await expect(page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Users" })).toBeVisible();
      }
    });
  }
});
