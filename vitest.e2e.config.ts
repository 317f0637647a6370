import { defineConfig } from "vitest/config";
import tsconfigPaths from "vite-tsconfig-paths";

// Browser tests: the built server on an embedded database seeded with the demo, driven by
// Debian's Chromium through playwright-core.
export default defineConfig({
  plugins: [tsconfigPaths()],
  test: {
    include: ["test/e2e/**/*.test.ts"],
    globalSetup: ["test/e2e/global-setup.ts"],
    setupFiles: ["test/e2e/setup.ts"],
    // Every page is also checked with axe (test/e2e/a11y.ts), which the journeys wait for.
    testTimeout: 180_000,
    hookTimeout: 300_000,
    fileParallelism: false,
  },
});
