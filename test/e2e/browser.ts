import { chromium, type Browser, type Page } from "playwright-core";
import { inject } from "vitest";
import { settle, watchContext } from "./a11y";

declare module "vitest" {
  export interface ProvidedContext {
    baseUrl: string;
    password: string;
  }
}

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

/**
 * Debian's Chromium, headless, with the flags this closed network needs. Every page opened through
 * it (browser.newPage, or a context's newPage) is checked with axe after each navigation
 * (test/e2e/a11y.ts); closing a page or context first waits for its checks.
 */
export async function launch(): Promise<Browser> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
    ],
  });
  const newPage = browser.newPage.bind(browser);
  const newContext = browser.newContext.bind(browser);
  browser.newPage = async (options) => {
    const page = await newPage(options);
    watchContext(page.context());
    return settledOnClose(page);
  };
  browser.newContext = async (options) => {
    const context = await newContext(options);
    watchContext(context);
    context.on("page", settledOnClose);
    const close = context.close.bind(context);
    context.close = async (closeOptions) => {
      await Promise.all(context.pages().map(settle));
      await close(closeOptions);
    };
    return context;
  };
  return browser;
}

function settledOnClose(page: Page) {
  const close = page.close.bind(page);
  page.close = async (options) => {
    await settle(page);
    await close(options);
  };
  return page;
}

export const baseUrl = () => inject("baseUrl");

export async function signIn(page: Page, email: string) {
  await page.goto(`${baseUrl()}/sign-in`);
  await page.getByLabel("Email address").fill(email);
  await page.getByLabel("Password").fill(inject("password"));
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.waitForURL((u) => !u.pathname.startsWith("/sign-in"));
}
