/**
 * Accessibility checks on every page a browser test visits.
 *
 * `watch(page)` (called by the shared browser helper for every page it opens) runs axe-core after
 * each navigation of the page's main frame: full loads and Remix's client-side ones alike. A check
 * runs in the background, one at a time per page, so tests stay as they are; goto, reload and
 * waitForURL wait for the check of the page they arrive at. Only the app's own pages are checked
 * (not the sign-in provider's). `settle(page)` waits
 * for the page's checks (the helper calls it before a page or context closes) and `flush()` (an
 * afterEach hook in test/e2e/setup.ts) fails the test on any serious or critical violation, naming
 * the rule, the elements and the page.
 *
 * `checkNow(page)` checks the page as it is at once: for states that no navigation announces, such
 * as a form shown again with its error summary.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { BrowserContext, Page } from "playwright-core";
import { inject } from "vitest";

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the NHS service standard asks for. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);

export interface Finding {
  url: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

const findings: Finding[] = [];
const queues = new WeakMap<Page, Promise<void>>();
const watched = new WeakSet<Page>();
const inFlight = new Set<Promise<void>>();
let scanned = 0;

/**
 * Waits for what the user would see: the document's load, then two frames so React has committed.
 * Asked of the document itself, not of Playwright's load state, which would wait for a navigation
 * the test has already started (and that is held until this check ends).
 */
async function steady(page: Page) {
  await page.evaluate(
    () =>
      new Promise<void>((resolve) => {
        const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve()));
        if (document.readyState === "complete") frames();
        else addEventListener("load", frames, { once: true });
      }),
  );
}

/** A check that has not finished in this time is given up (with a warning), so a stuck page cannot stall the run. */
const SCAN_LIMIT_MS = 60_000;

function isGone(error: unknown) {
  // The test moved on (navigated or closed the page) while the check ran: the next page gets its own.
  return (
    error instanceof Error &&
    /Execution context was destroyed|Target page, context or browser has been closed|Target closed|navigat|frame was detached/i.test(
      error.message,
    )
  );
}

async function scan(page: Page, expected?: string) {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      console.warn(`axe: gave up checking ${page.url()} after ${SCAN_LIMIT_MS / 1000} s`);
      resolve();
    }, SCAN_LIMIT_MS);
  });
  await Promise.race([scanOnce(page, expected), limit]).finally(() => clearTimeout(timer));
}

async function scanOnce(page: Page, expected?: string) {
  if (page.isClosed()) return;
  try {
    await steady(page);
    const url = page.url();
    // Already somewhere else: that navigation queued its own check.
    if (!url.startsWith(inject("baseUrl")) || (expected !== undefined && url !== expected)) return;
    // Legacy mode runs axe in the page itself instead of opening a blank page to finish the run.
    const analyse = () => new AxeBuilder({ page }).setLegacyMode(true).withTags(WCAG_TAGS).analyze();
    // A document replaced between injecting axe and running it (a reload to the same address) loses axe: once more.
    const results = await analyse().catch(async (error: unknown) => {
      if (!(error instanceof Error && /reading 'run'/.test(error.message))) throw error;
      await steady(page);
      return analyse();
    });
    scanned++;
    const path = new URL(url).pathname + new URL(url).search;
    for (const v of results.violations) {
      if (!v.impact || !FAILING_IMPACTS.has(v.impact)) continue;
      findings.push({ url: path, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) });
    }
  } catch (error) {
    if (isGone(error)) return;
    findings.push({ url: page.url(), rule: "axe could not run", impact: "critical", help: String(error), targets: [] });
  }
}

/** Queues a check of the page as it is now; checks of one page never overlap. */
export function checkSoon(page: Page, expectedUrl?: string): Promise<void> {
  const next = (queues.get(page) ?? Promise.resolve()).then(() => scan(page, expectedUrl));
  const quiet = next.catch(() => undefined);
  queues.set(page, quiet);
  inFlight.add(quiet);
  void quiet.then(() => inFlight.delete(quiet));
  return next;
}

/** Checks the page now and waits for the result (for states no navigation announces). */
export async function checkNow(page: Page) {
  await checkSoon(page);
}

/** Checks the page after every navigation of its main frame. */
export function watch(page: Page) {
  if (watched.has(page)) return;
  watched.add(page);
  page.on("framenavigated", (frame) => {
    if (frame === page.mainFrame()) void checkSoon(page, frame.url()).catch(() => undefined);
  });
}

/**
 * Watches every page of the context. The page's own ways of waiting for a navigation (goto,
 * reload, waitForURL) also wait for the check of the page they arrive at, so a test cannot move on
 * before the page it asked for has been checked; pages reached by a click are checked as the test
 * goes on.
 */
export function watchContext(context: BrowserContext) {
  context.on("page", watchAndWait);
  for (const page of context.pages()) watchAndWait(page);
}

function watchAndWait(page: Page) {
  watch(page);
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  page.goto = async (...args) => {
    const response = await goto(...args);
    await settle(page);
    return response;
  };
  page.reload = async (...args) => {
    const response = await reload(...args);
    await settle(page);
    return response;
  };
  page.waitForURL = async (...args) => {
    await waitForURL(...args);
    await settle(page);
  };
}

/** Waits for the page's queued checks. */
export async function settle(page: Page) {
  await queues.get(page);
}

/** Waits for every queued check, then fails with every serious or critical finding since the last flush. */
export async function flush() {
  await Promise.all([...inFlight]);
  const seen = new Set<string>();
  const found = findings.splice(0).filter((f) => {
    const key = `${f.url} ${f.rule} ${f.targets.join()}`;
    return !seen.has(key) && seen.add(key);
  });
  if (found.length === 0) return;
  const lines = found.map(
    (f) =>
      `  [${f.impact}] ${f.rule} on ${f.url}: ${f.help}\n      ${f.targets.slice(0, 5).join("\n      ")}${f.targets.length > 5 ? `\n      … and ${f.targets.length - 5} more` : ""}`,
  );
  throw new Error(`Accessibility (axe, WCAG 2.2 AA): ${found.length} serious or critical violation(s)\n${lines.join("\n")}`);
}

export const pagesScanned = () => scanned;
