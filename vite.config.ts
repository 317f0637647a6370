import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

export default defineConfig({
  plugins: [
    remix({
      ignoredRouteFiles: ["**/*.test.*", "**/*.server.*"],
      future: {
        v3_fetcherPersist: true,
        v3_relativeSplatPath: true,
        v3_throwAbortReason: true,
        v3_singleFetch: true,
        v3_lazyRouteDiscovery: true,
      },
    }),
    tsconfigPaths(),
  ],
  // PGlite ships WebAssembly and data files that it loads relative to its own module; bundling breaks that.
  // nhsuk-frontend ships minified CSS whose old-browser hacks upset esbuild's minifier.
  build: { cssMinify: false },
  ssr: { external: ["@electric-sql/pglite", "pg", "exceljs"] },
  optimizeDeps: { exclude: ["@electric-sql/pglite"] },
});
