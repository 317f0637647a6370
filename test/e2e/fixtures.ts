/**
 * The browser tests' fixtures: `import { test, expect } from "./fixtures"` in every test file.
 *
 * - `axe` (automatic): every page of every browser context the test uses is checked with axe after
 *   each navigation; the test fails on a serious or critical violation, or on an app page it showed
 *   but never had checked (test/e2e/a11y.ts).
 * - `page`: a signed-out page (Playwright's own, watched by axe).
 * - `practiceManager`, `icbLead`, `deliveryPartner`, `admin`: a page signed in as that demo person.
 * - `signedIn(email, contextOptions)`: another signed-in page, for other people or another screen
 *   size. Each is in a browser context of its own, so two people's sessions never mix, and every
 *   context is closed at the end of the test (after its pages' checks).
 *
 * Data: the server's database is made afresh for each run (test/e2e/global-setup.ts) and the
 * tests do not retry, so each test works on data of its own rather than deleting what it made: a
 * practice no other browser test gives an assessment, its own device tags, its own funding request.
 * What a test changes and another test reads (saved import choices) it removes itself.
 */
import { test as base, type BrowserContext, type BrowserContextOptions, type Page } from "@playwright/test";
import { AxeWatch } from "./a11y";

export { expect } from "@playwright/test";

/** The demo's people (db seed --demo), all with the password the global setup gives them. */
export const USERS = {
  /** Lower Clapton General Practice (F84003) in Hackney Marshes PCN. */
  practiceManager: "pm.f84003@demo.gp-estate.test",
  icbLead: "icb.lead@demo.gp-estate.test",
  deliveryPartner: "delivery.partner@demo.gp-estate.test",
  admin: "admin@demo.gp-estate.test",
} as const;

function fromSetup(name: "E2E_BASE_URL" | "E2E_PASSWORD") {
  const value = process.env[name];
  if (!value)
    throw new Error(`${name} is not set: run the browser tests with npm run test:e2e (playwright.config.ts runs the global setup)`);
  return value;
}

/** Signs in on the app's own form and waits to leave it. */
export async function signIn(page: Page, email: string) {
  await page.goto("/sign-in");
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(fromSetup("E2E_PASSWORD"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}

interface Fixtures {
  axe: AxeWatch;
  signedIn: (email: string, options?: BrowserContextOptions) => Promise<Page>;
  practiceManager: Page;
  icbLead: Page;
  deliveryPartner: Page;
  admin: Page;
}

export const test = base.extend<Fixtures>({
  // The server's address is known only once the global setup has started it.
  // eslint-disable-next-line no-empty-pattern -- Playwright reads a fixture's dependencies from this pattern
  baseURL: async ({}, use) => {
    await use(fromSetup("E2E_BASE_URL"));
  },

  axe: [
    async ({ baseURL }, use) => {
      const axe = new AxeWatch(baseURL!);
      await use(axe);
      await axe.finish();
    },
    { auto: true },
  ],

  context: async ({ context, axe }, use) => {
    axe.watchContext(context);
    await use(context);
    await axe.settleContext(context);
  },

  signedIn: async ({ browser, baseURL, viewport, axe }, use) => {
    const contexts: BrowserContext[] = [];
    await use(async (email, options) => {
      const context = await browser.newContext({ baseURL, viewport, ...options });
      contexts.push(context);
      axe.watchContext(context);
      const page = await context.newPage();
      await signIn(page, email);
      return page;
    });
    // Closing waits for the pages' checks (a11y.ts); a context the test closed itself closes again harmlessly.
    for (const context of contexts) await context.close();
  },

  practiceManager: async ({ signedIn }, use) => {
    await use(await signedIn(USERS.practiceManager));
  },
  icbLead: async ({ signedIn }, use) => {
    await use(await signedIn(USERS.icbLead));
  },
  deliveryPartner: async ({ signedIn }, use) => {
    await use(await signedIn(USERS.deliveryPartner));
  },
  admin: async ({ signedIn }, use) => {
    await use(await signedIn(USERS.admin));
  },
});
