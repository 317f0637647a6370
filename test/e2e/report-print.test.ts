/**
 * The board paper printed (saved as PDF) the way a lead would: the running footer names the ICB
 * and date, and the sections flow on rather than each starting a page (which left pages holding
 * a single heading: 22 pages for North East London).
 */
import { expect, test } from "./fixtures";

test("prints the North East London board paper with a running footer, page numbers and no page per heading", async ({ icbLead: page }) => {
  test.setTimeout(300_000);
  // The dashboard behind the paper is computed on first view (then cached per ICB change stamp).
  await page.goto("/icbs/QMF/report", { timeout: 120_000 });
  await expect(
    page.getByRole("heading", { level: 1, name: /GP digital estate: compliance, gaps and funding in NHS North East London/ }),
  ).toBeVisible();
  // "No PCN" is not a PCN: the count of PCNs matches the PCN rows (less the "No PCN" one).
  await expect(page.locator("main")).toContainText(/open practices in (\d+) PCNs/);

  // The footer text is in a style element the CSP allows (it carries the nonce), so the browser applied it.
  const footerCss = await page.evaluate(() => [...document.querySelectorAll("style")].map((s) => s.textContent ?? "").join("\n"));
  expect(footerCss).toMatch(
    /@bottom-left \{ content: "NHS North East London Integrated Care Board · Board paper · \d{1,2} [A-Z][a-z]+ \d{4}"/,
  );
  const styleAllowed = await page.evaluate(() =>
    [...document.styleSheets].some((sheet) => [...sheet.cssRules].some((r) => r.cssText.includes("Board paper"))),
  );
  expect(styleAllowed).toBe(true);

  // Print layout: sections do not force a new page, headings keep with what follows.
  await page.emulateMedia({ media: "print" });
  const breaks = await page.evaluate(() =>
    [...document.querySelectorAll(".app-report-section")].map((e) => getComputedStyle(e).breakBefore),
  );
  expect(breaks.length).toBeGreaterThan(3);
  expect(breaks.every((b) => b === "auto")).toBe(true);
  expect(await page.evaluate(() => getComputedStyle(document.querySelector("main h2")!).breakAfter)).toBe("avoid");

  const pdf = await page.pdf({ format: "A4", printBackground: false });
  const pages = (pdf.toString("latin1").match(/\/Type\s*\/Page\b(?!s)/g) ?? []).length;
  expect(pages).toBeGreaterThan(1);
  expect(pages).toBeLessThan(22);
});
