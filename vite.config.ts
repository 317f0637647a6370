import { vitePlugin as remix } from "@remix-run/dev";
import { defineConfig, type Plugin } from "vite";
import tsconfigPaths from "vite-tsconfig-paths";

declare module "@remix-run/node" {
  interface Future {
    v3_singleFetch: true;
  }
}

/**
 * In the browser's build `~/components/Link` is Remix's own Link: the component only changes how
 * a link is rendered on the server (app/components/Link.tsx), and resolving it away keeps the
 * browser's modules, chunks and their names, and so each page's module preloads, as they were.
 */
function remixLinkInBrowser(): Plugin {
  return {
    name: "remix-link-in-browser",
    enforce: "pre",
    resolveId(source, importer, options) {
      if (options?.ssr || source !== "~/components/Link") return null;
      return this.resolve("@remix-run/react", importer, { ...options, skipSelf: true });
    },
  };
}

export default defineConfig({
  plugins: [
    remixLinkInBrowser(),
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
