/**
 * The data-feed pages (Cyber Essentials, cloud telephony, DSPT, a practice's data security page,
 * the telephony and PCN pages that show call data, and the supplier contracts pages) at desktop and phone width: each is checked
 * with axe on arrival (test/e2e/a11y.ts), never scrolls sideways at 375 px, and has a title naming
 * it. A file that is not a certificate file gets the NHS.UK error pattern next to the upload field.
 */
import { expect, test } from "./fixtures";

const PAGES: [string, string][] = [
  ["/cyber-essentials", "Cyber Essentials certificates – GP digital estate"],
  ["/admin/cbt", "Cloud telephony data import – GP digital estate"],
  ["/admin/dspt", "DSPT status import – GP digital estate"],
  ["/practices/F84003/security", "Data security – Lower Clapton General Practice – GP digital estate"],
  ["/practices/F84003/telephony", "Telephony – Lower Clapton General Practice – GP digital estate"],
  ["/pcns/U05451", "Hackney Marshes PCN – GP digital estate"],
  ["/icbs/QMF/contracts", "Supplier contracts – NHS North East London Integrated Care Board – GP digital estate"],
  [
    "/icbs/QMF/contracts?category=telephony&status=ending",
    "Supplier contracts – NHS North East London Integrated Care Board – GP digital estate",
  ],
  ["/practices/F84003/contracts", "Supplier contracts – Lower Clapton General Practice – GP digital estate"],
  ["/practices/F84003/compliance/forecast", "Forecast – Lower Clapton General Practice – GP digital estate"],
  ["/contracts/import", "Import supplier contracts – GP digital estate"],
  ["/contracts/new?practice=F84003", "Add a contract – GP digital estate"],
];

test.describe("data feed pages", () => {
  for (const width of [1280, 375]) {
    test(`fit the screen at ${width} px, with titles naming them, and refuse a wrong file beside its field`, async ({ signedIn }) => {
      const page = await signedIn("admin@demo.gp-estate.test", { viewport: { width, height: 900 } });
      for (const [path, title] of PAGES) {
        await page.goto(path);
        await expect(page, path).toHaveTitle(title);
        expect(await page.evaluate(() => document.documentElement.scrollWidth), path).toBeLessThanOrEqual(width);
      }
      await page.goto("/cyber-essentials");
      await page
        .locator("#field-file")
        .setInputFiles({ name: "bad.csv", mimeType: "text/csv", buffer: Buffer.from("Code,Name\nF84003,X\n") });
      await page.getByRole("button", { name: "Import" }).click();
      await expect(page.locator(".nhsuk-error-summary")).toBeVisible();
      await expect(page.locator("#file-error")).toContainText("The file has no Level, Certificate number, Issue date column");
      await expect(page).toHaveTitle("Error: Cyber Essentials certificates – GP digital estate");
      // A contract form sent empty: each problem beside its field, the summary above.
      await page.goto("/contracts/new?practice=F84003");
      await page.getByRole("button", { name: "Add contract" }).click();
      await expect(page.locator(".nhsuk-error-summary")).toBeVisible();
      await expect(page.locator("#field-supplier-error")).toContainText("Enter the supplier");
      await expect(page.locator("#field-annual_cost-error")).toContainText("Enter annual cost");
    });
  }
});
