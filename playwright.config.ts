import { defineConfig } from "@playwright/test";

/**
 * Browser tests (`npm run build && npm run test:e2e`): the built server on an embedded database
 * seeded with the demo (test/e2e/global-setup.ts), driven by Debian's Chromium. Every page a test
 * visits is checked with axe (test/e2e/a11y.ts, through test/e2e/fixtures.ts).
 */
export default defineConfig({
  testDir: "test/e2e",
  globalSetup: "./test/e2e/global-setup.ts",
  // One server and one database for the run, and two cores: one test at a time, files in name order.
  workers: 1,
  fullyParallel: false,
  // A failure is reported, not retried: tests change the shared demo data and each owns its part of it.
  retries: 0,
  forbidOnly: !!process.env.CI,
  reporter: "list",
  // Journeys are long and the first view of a dashboard is computed on a busy machine; the slowest set their own.
  timeout: 180_000,
  // Web-first assertions retry for as long as the old explicit waits did.
  expect: { timeout: 30_000 },
  use: {
    // baseURL comes from the global setup (E2E_BASE_URL): see test/e2e/fixtures.ts.
    browserName: "chromium",
    headless: true,
    viewport: { width: 1280, height: 720 },
    actionTimeout: 30_000,
    navigationTimeout: 60_000,
    launchOptions: {
      executablePath: process.env.CHROMIUM_PATH ?? "/usr/bin/chromium",
      // The flags this closed network needs: no sandbox in the container, no calls home.
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
    },
    trace: "off",
    screenshot: "off",
  },
});
