/**
 * The axe check itself (issue 17): a page reached only by a click, which the test leaves at once by
 * another click, is still checked, and a serious violation on it fails the test, naming the rule,
 * the element and the page. So does a page shown and left before it could be checked.
 *
 * The app has no page with such a violation, so these tests make one: a page served in place of an
 * app address, and a client-side navigation as Remix makes one (history.pushState, then new
 * content). `axe.report()` returns what would fail the test at its end, and forgets it, so that
 * these tests can read the message.
 */
import { expect, test } from "./fixtures";

const BROKEN = `<!doctype html><html lang="en"><head><title>Probe – GP digital estate</title></head>
<body><main><h1>A page with a serious violation</h1><img src="/favicon.ico"><a href="/sign-in">Onwards</a></main></body></html>`;

/**
 * A plain page (no React) to start from: a link added to an app page could be wiped by React's
 * hydration if it finished after the link was added, which made the first test flaky.
 */
const START = `<!doctype html><html lang="en"><head><title>Start – GP digital estate</title></head>
<body><main><h1>Start</h1><a href="/a11y-probe">Probe</a> <button type="button">Sign in</button></main></body></html>`;

test("a page reached only by a click and left at once by another is checked: its violation fails the test", async ({ page, axe }) => {
  await page.route("**/a11y-probe", (route) => route.fulfill({ contentType: "text/html", body: BROKEN }));
  await page.route("**/a11y-start", (route) => route.fulfill({ contentType: "text/html", body: START }));
  await page.goto("/a11y-start");
  await page.getByRole("link", { name: "Probe" }).click();
  // No wait for the probe page: straight on to the next one by a click.
  await page.getByRole("link", { name: "Onwards" }).click();
  await expect(page).toHaveURL(/\/sign-in$/);

  const report = await axe.report();
  expect(report).toContain("1 serious or critical violation(s)");
  expect(report).toMatch(/\[critical\] image-alt on \/a11y-probe: Images must have alternative text\n\s+img$/m);
  expect(report).not.toContain("never checked");
});

test("a client-side navigation to a page with a violation, left at once by a click, fails the test", async ({ page, axe }) => {
  await page.route("**/a11y-start", (route) => route.fulfill({ contentType: "text/html", body: START }));
  await page.goto("/a11y-start");
  // What Remix does on a link click: the new address in the history, then the new page's content.
  await page.evaluate(() => {
    history.pushState(null, "", "/a11y-probe/client");
    document.querySelector("main")!.insertAdjacentHTML("afterbegin", '<button class="probe-nameless"></button>');
  });
  await page.getByRole("button", { name: "Sign in" }).click();

  const report = await axe.report();
  expect(report).toMatch(/\[critical\] button-name on \/a11y-probe\/client: Buttons must have discernible text\n\s+\.probe-nameless$/m);
});

test("a page shown and left before it could be checked fails the test, named", async ({ page, axe }) => {
  await page.goto("/sign-in");
  // Two navigations in one go: the first page is gone before its check can start.
  await page.evaluate(() => {
    history.pushState(null, "", "/a11y-probe/gone");
    history.pushState(null, "", "/a11y-probe/after");
  });

  const report = await axe.report();
  expect(report).toContain("page(s) shown but never checked");
  expect(report).toContain("/a11y-probe/gone: left before axe could check it");
});
