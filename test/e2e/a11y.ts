/**
 * Accessibility checks on every page a browser test visits (issues 16 and 17).
 *
 * An AxeWatch (one per test, from the `axe` fixture in test/e2e/fixtures.ts) watches every page of
 * the test's browser contexts. Each navigation of a page's main frame, whole-document or
 * same-document (Remix's client-side navigations, form submissions and their redirects, a form
 * shown again with its errors), queues an axe run of the page once it is steady. Only the app's
 * own pages are checked, not the sign-in provider's.
 *
 * The page is never held: no request is intercepted or delayed (holding the page's next request
 * dead-locked on CI and was reverted). The test is held instead, at the points where it could move
 * the page on before the check has run:
 * - an action on a locator (click, fill, check, …) first waits for the page's queued checks, then
 *   for its element to be on the page, then for the checks again: the element usually belongs to
 *   the page a click has just reached, so that page is checked before the test acts on it;
 * - goto, reload, goBack, goForward and close wait for the checks before they leave the page, and
 *   goto, reload and waitForURL for the check of the page they arrive at.
 *
 * At the end of the test (`finish`, the fixture's teardown) the test fails on any serious or
 * critical violation, naming the rule, the elements and the page, and on any app page that was shown
 * but never checked (the test or the page moved on first, or axe gave up): a page cannot slip
 * through unseen.
 */
import { AxeBuilder } from "@axe-core/playwright";
import type { BrowserContext, Locator, Page } from "@playwright/test";

/** WCAG 2.0, 2.1 and 2.2 at levels A and AA: what the NHS service standard asks for. */
export const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22a", "wcag22aa"];
const FAILING_IMPACTS = new Set(["serious", "critical"]);

/** A check that has not finished in this time is given up (and the page reported as unchecked), so a stuck page cannot stall the run. */
const SCAN_LIMIT_MS = 60_000;

/** E2E_AXE_LOG=1 lists each check with its time (to see which pages were checked, and what they cost). */
const LOG = !!process.env.E2E_AXE_LOG;

export interface Finding {
  url: string;
  rule: string;
  impact: string;
  help: string;
  targets: string[];
}

/** One navigation of a page's main frame. */
interface Visit {
  url: string;
  app: boolean;
  checked: boolean;
  /** Why it was not checked, when it was not. */
  missed?: string;
}

interface Watched {
  watch: AxeWatch;
  /** Visits in order; the last is where the page is now. */
  visits: Visit[];
  /** The page's checks, one after another. */
  queue: Promise<void>;
}

const watched = new WeakMap<Page, Watched>();

export class AxeWatch {
  private readonly findings: Finding[] = [];
  private readonly pages = new Set<Page>();
  private readonly contexts = new Set<BrowserContext>();
  private checks = 0;

  constructor(private readonly baseUrl: string) {}

  /** Watches every page of the context, now and later. */
  watchContext(context: BrowserContext) {
    if (this.contexts.has(context)) return;
    this.contexts.add(context);
    context.on("page", (page) => this.watchPage(page));
    for (const page of context.pages()) this.watchPage(page);
    const close = context.close.bind(context);
    context.close = async (options) => {
      await this.settleContext(context);
      await close(options);
    };
  }

  private watchPage(page: Page) {
    if (watched.has(page)) return;
    instrumentLocators(page);
    const state: Watched = { watch: this, visits: [], queue: Promise.resolve() };
    watched.set(page, state);
    this.pages.add(page);
    if (page.url() !== "about:blank") this.arrived(page, state, page.url());
    page.on("framenavigated", (frame) => {
      if (frame === page.mainFrame()) this.arrived(page, state, frame.url());
    });
    holdWhileChecking(page);
  }

  private arrived(page: Page, state: Watched, url: string) {
    const visit: Visit = { url, app: url.startsWith(this.baseUrl), checked: false };
    state.visits.push(visit);
    if (!visit.app) return;
    state.queue = state.queue.then(() => this.check(page, state, visit)).catch(() => undefined);
  }

  /** Queues a check of the page as it is now, for states no navigation announces (a fetcher's result, say). */
  async checkNow(page: Page) {
    const state = watched.get(page);
    if (!state) throw new Error("checkNow: the page is not watched");
    this.arrived(page, state, page.url());
    await state.queue;
  }

  private async check(page: Page, state: Watched, visit: Visit) {
    const current = () => state.visits[state.visits.length - 1];
    // Moved on before this check began: the later navigation has its own check.
    if (current() !== visit) return void (visit.missed = "left before axe could check it");
    if (page.isClosed()) return void (visit.missed = "the page was closed first");
    let timer: NodeJS.Timeout | undefined;
    const limit = new Promise<"gave up">((resolve) => {
      timer = setTimeout(() => resolve("gave up"), SCAN_LIMIT_MS);
    });
    try {
      const outcome = await Promise.race([this.scan(page, visit, current), limit]);
      if (outcome === "gave up") visit.missed = `axe gave up after ${SCAN_LIMIT_MS / 1000} s`;
    } finally {
      clearTimeout(timer);
    }
  }

  private async scan(page: Page, visit: Visit, current: () => Visit) {
    const started = Date.now();
    try {
      const signature = await steady(page);
      if (current() !== visit) return void (visit.missed = "left before axe could check it");
      const path = pathOf(visit.url);
      const known = alreadyChecked.get(signature);
      if (known) {
        visit.checked = true;
        if (LOG) console.info(`axe: ${path} (the same page as one checked before in this run)`);
        for (const f of known) this.findings.push({ ...f, url: path });
        return;
      }
      // Legacy mode runs axe in the page itself instead of opening a blank page to finish the run.
      const analyse = () => new AxeBuilder({ page }).setLegacyMode(true).withTags(WCAG_TAGS).analyze();
      // A document replaced between injecting axe and running it (a reload to the same address) loses axe: once more.
      const results = await analyse().catch(async (error: unknown) => {
        if (!(error instanceof Error && /reading 'run'/.test(error.message))) throw error;
        await steady(page);
        return analyse();
      });
      // The page went to another address while axe ran: what it saw may be half of each.
      if (current() !== visit && current().url !== visit.url) return void (visit.missed = "the page moved on while axe ran");
      visit.checked = true;
      this.checks++;
      if (LOG) console.info(`axe: ${path} (${Date.now() - started} ms, ${results.violations.length} violation(s) of any impact)`);
      const found: Finding[] = [];
      for (const v of results.violations) {
        if (!v.impact || !FAILING_IMPACTS.has(v.impact)) continue;
        found.push({ url: path, rule: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target.join(" ")) });
      }
      this.findings.push(...found);
      if (current() === visit) alreadyChecked.set(signature, found);
    } catch (error) {
      if (isGone(error)) return void (visit.missed = "the page moved on or closed before axe could run");
      visit.checked = true;
      this.findings.push({ url: pathOf(visit.url), rule: "axe could not run", impact: "critical", help: String(error), targets: [] });
    }
  }

  /** Waits for the queued checks of every page of the context. */
  async settleContext(context: BrowserContext) {
    await Promise.all(context.pages().map(settle));
  }

  /** Waits until every page's checks are done and no navigation arrived meanwhile. */
  private async settleAll() {
    const count = () => [...this.pages].reduce((n, page) => n + watched.get(page)!.visits.length, 0);
    for (let before = -1; before !== count();) {
      before = count();
      await Promise.all([...this.pages].map(settle));
    }
  }

  /** How many pages axe has checked in this test. */
  get checked() {
    return this.checks;
  }

  /**
   * Waits for every queued check, then returns what would fail the test (serious or critical
   * violations; app pages shown but never checked) and forgets it. Empty when all is well.
   */
  async report(): Promise<string> {
    await this.settleAll();
    const seen = new Set<string>();
    const found = this.findings.splice(0).filter((f) => {
      const key = `${f.url} ${f.rule} ${f.targets.join()}`;
      return !seen.has(key) && seen.add(key);
    });
    const unchecked = [...this.pages].flatMap((page) => uncheckedVisits(watched.get(page)!.visits.splice(0)));
    const lines: string[] = [];
    if (found.length) {
      lines.push(`Accessibility (axe, WCAG 2.2 AA): ${found.length} serious or critical violation(s)`);
      for (const f of found) {
        const more = f.targets.length > 5 ? `\n      … and ${f.targets.length - 5} more` : "";
        lines.push(`  [${f.impact}] ${f.rule} on ${f.url}: ${f.help}\n      ${f.targets.slice(0, 5).join("\n      ")}${more}`);
      }
    }
    if (unchecked.length) {
      lines.push(`Accessibility (axe): ${unchecked.length} page(s) shown but never checked`);
      for (const v of unchecked) lines.push(`  ${pathOf(v.url)}: ${v.missed ?? "not checked"}`);
    }
    return lines.join("\n");
  }

  /** The fixture's teardown: fails the test on anything report() finds. */
  async finish() {
    const problems = await this.report();
    if (problems) throw new Error(problems);
  }
}

/**
 * The app pages the test saw and axe did not check. Navigations in a row to the same address are one
 * page (Remix replaces the history entry as it starts, perhaps after the page was checked; a form
 * posted back to its own address): one check of it is enough.
 */
function uncheckedVisits(visits: Visit[]) {
  const runs: Visit[][] = [];
  for (const v of visits) {
    const run = runs[runs.length - 1];
    if (run && run[0].url === v.url) run.push(v);
    else runs.push([v]);
  }
  return runs.filter((run) => run[0].app && !run.some((v) => v.checked)).map((run) => run.find((v) => v.missed) ?? run[0]);
}

/**
 * Pages already checked in this worker, by what they show: the sign-in page and each person's home
 * page come round in nearly every test, identical but for their tokens. Keyed by the document as
 * the user sees it (scripts, nonces and hidden fields' values left out), the window's size and
 * the media, so a page that differs in anything axe looks at is checked again.
 */
const alreadyChecked = new Map<string, Finding[]>();

/**
 * Waits for what the user would see: the document's load, then two frames so React has committed;
 * returns the page's signature for alreadyChecked. Asked of the document itself rather than of
 * Playwright's load state, which also waits for a navigation the test may have started since.
 */
async function steady(page: Page): Promise<string> {
  return page.evaluate(
    () =>
      new Promise<string>((resolve) => {
        const signature = () => {
          const copy = document.documentElement.cloneNode(true) as HTMLElement;
          copy.querySelectorAll("script").forEach((e) => e.remove());
          copy.querySelectorAll("[nonce]").forEach((e) => e.removeAttribute("nonce"));
          copy.querySelectorAll("input[type=hidden]").forEach((e) => e.removeAttribute("value"));
          const html = copy.outerHTML;
          // FNV-1a, twice with different seeds: 64 bits is plenty for a few hundred pages.
          let a = 0x811c9dc5;
          let b = 0x01000193;
          for (let i = 0; i < html.length; i++) {
            a = Math.imul(a ^ html.charCodeAt(i), 0x01000193);
            b = Math.imul(b ^ html.charCodeAt(i), 0x811c9dc5);
          }
          const media = matchMedia("print").matches ? "print" : "screen";
          return `${innerWidth}x${innerHeight} ${media} ${html.length} ${(a >>> 0).toString(16)}${(b >>> 0).toString(16)}`;
        };
        const frames = () => requestAnimationFrame(() => requestAnimationFrame(() => resolve(signature())));
        if (document.readyState === "complete") frames();
        else addEventListener("load", frames, { once: true });
      }),
  );
}

function isGone(error: unknown) {
  return (
    error instanceof Error &&
    /Execution context was destroyed|Target page, context or browser has been closed|Target closed|navigat|frame was detached/i.test(
      error.message,
    )
  );
}

function pathOf(url: string) {
  const u = new URL(url);
  return u.pathname + u.search + u.hash;
}

/** Waits for the page's queued checks (nothing to wait for on a page no AxeWatch watches). */
export async function settle(page: Page) {
  await watched.get(page)?.queue;
}

/** Page methods that leave the page, and those that arrive somewhere: the test waits for the checks around them. */
function holdWhileChecking(page: Page) {
  const goto = page.goto.bind(page);
  const reload = page.reload.bind(page);
  const goBack = page.goBack.bind(page);
  const goForward = page.goForward.bind(page);
  const waitForURL = page.waitForURL.bind(page);
  const close = page.close.bind(page);
  const around =
    <A extends unknown[], R>(fn: (...args: A) => Promise<R>) =>
    async (...args: A) => {
      await settle(page);
      const result = await fn(...args);
      await settle(page);
      return result;
    };
  page.goto = around(goto);
  page.reload = around(reload);
  page.goBack = around(goBack);
  page.goForward = around(goForward);
  page.waitForURL = async (...args) => {
    await waitForURL(...args);
    await settle(page);
  };
  page.close = async (options) => {
    if (!page.isClosed()) await settle(page);
    await close(options);
  };
}

/** Locator actions that can move the page on (a click, a key, a form field that submits or re-renders). */
const ACTIONS = [
  "click",
  "dblclick",
  "tap",
  "check",
  "uncheck",
  "fill",
  "clear",
  "press",
  "pressSequentially",
  "type",
  "selectOption",
  "setInputFiles",
  "dispatchEvent",
  "dragTo",
] as const;

let instrumented = false;

/**
 * Makes every locator action wait for its page's checks first (see the top of this file). Done
 * once per worker, on the prototype of Playwright's Locator class (which @playwright/test does not
 * export); a page no AxeWatch watches is not held.
 */
function instrumentLocators(page: Page) {
  if (instrumented) return;
  instrumented = true;
  const proto = Object.getPrototypeOf(page.locator("html")) as Record<string, unknown>;
  for (const name of ACTIONS) {
    const original = proto[name] as (this: Locator, ...args: unknown[]) => Promise<unknown>;
    if (typeof original !== "function") throw new Error(`Locator.${name} is not a function: update test/e2e/a11y.ts`);
    proto[name] = async function (this: Locator, ...args: unknown[]) {
      await beforeAction(this, args);
      return original.apply(this, args);
    };
  }
}

async function beforeAction(locator: Locator, args: unknown[]) {
  const page = locator.page();
  if (!watched.has(page)) return;
  await settle(page);
  // The element the test acts on usually belongs to the page a click has just reached: once it is
  // there, that page's navigation has been seen and its check queued.
  const options = args.find((a): a is { timeout?: number } => typeof a === "object" && a !== null && "timeout" in a);
  await locator.waitFor({ state: "attached", timeout: options?.timeout || 30_000 }).catch(() => undefined);
  await settle(page);
}
