// ESLint flat config. Formatting belongs to Prettier (.prettierrc); nothing here checks layout.
// The "architecture" blocks encode the module boundaries in ../shared/DESIGN.md and README
// ("How it is built"); docs/adr/0005-lint-boundary-rules.md says why each one exists.
import path from "node:path";
import { fileURLToPath } from "node:url";
import js from "@eslint/js";
import tseslint from "typescript-eslint";
import reactHooks from "eslint-plugin-react-hooks";
import jsxA11y from "eslint-plugin-jsx-a11y";
import { importX, createNodeResolver } from "eslint-plugin-import-x";
import globals from "globals";

const root = path.dirname(fileURLToPath(import.meta.url));

/** Where query building is allowed: repositories, the database plumbing in utils, and the bulk seed generators. */
const SQL_ALLOWED = [
  "app/modules/**/*repository.server.ts",
  "app/utils/db.server.ts",
  "app/utils/icb-cache.server.ts",
  "app/utils/practice-stamp.server.ts",
  // Bulk generators for the demo and national-scale seeds: one-off loaders, like scripts/.
  "app/modules/seed/**",
];

const SQL_ONLY_IN_REPOSITORIES = [
  {
    selector: "CallExpression[callee.property.name=/^(selectFrom|selectNoFrom|insertInto|replaceInto|updateTable|deleteFrom|mergeInto)$/]",
    message: "Query building belongs in the module's repository.server.ts (SQL only in repository files).",
  },
  {
    selector:
      "TaggedTemplateExpression[tag.name='sql'], TaggedTemplateExpression[tag.callee.name='sql'], CallExpression[callee.object.name='sql']",
    message: "Raw SQL belongs in the module's repository.server.ts (SQL only in repository files).",
  },
];

/** A request that cannot be done throws the AppError itself; pageLoader, formAction and apiRoute answer it. */
const ONE_WAY_TO_REFUSE = [
  {
    selector: "CallExpression[callee.name='toResponse']",
    message: "Throw the AppError itself (throw forbidden(…)): pageLoader, formAction and apiRoute turn it into the answer.",
  },
  {
    selector: "ThrowStatement > NewExpression[callee.name='Response'], ThrowStatement > CallExpression[callee.name='json']",
    message: "Throw an AppError (notFound, forbidden, conflict, …) rather than a hand-made Response.",
  },
];

export default tseslint.config(
  {
    ignores: ["build/**", "public/build/**", "node_modules/**", ".data/**", "data/**", "coverage/**", "docs/**", "**/*.d.ts"],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: "module",
      globals: { ...globals.node, ...globals.browser },
    },
    linterOptions: { reportUnusedDisableDirectives: "error" },
    rules: {
      // `_name` marks a parameter or binding kept on purpose (a callback's position, a rest sibling).
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", caughtErrors: "none", ignoreRestSiblings: true },
      ],
    },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    plugins: { "react-hooks": reactHooks },
    rules: {
      "react-hooks/rules-of-hooks": "error",
      "react-hooks/exhaustive-deps": "error",
    },
  },
  {
    files: ["app/**/*.tsx"],
    ...jsxA11y.flatConfigs.recommended,
  },
  {
    files: ["app/**/*.tsx"],
    rules: {
      // <span role="text"> is the NHS.UK design system's pattern for a label split by visually hidden
      // text, so that VoiceOver reads it as one phrase; nhsuk-frontend uses it in its own components.
      "jsx-a11y/aria-role": ["error", { allowedInvalidRoles: ["text"] }],
      // A scrollable table wrapper (role="region" with a label) must take focus so keyboard users can scroll it.
      "jsx-a11y/no-noninteractive-tabindex": ["error", { tags: [], roles: ["tabpanel", "region"] }],
    },
  },
  // Links go through app/components/Link.tsx, which renders the same <a> as Remix's on the server for
  // a fraction of the garbage (docs/performance.md, session 15).
  {
    files: ["app/components/**/*.tsx", "app/routes/**/*.tsx", "app/root.tsx"],
    ignores: ["app/components/Link.tsx"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [
            {
              name: "@remix-run/react",
              importNames: ["Link"],
              message:
                "Import Link from ~/components/Link: the same link, rendered on the server without working its href out three times.",
            },
          ],
        },
      ],
    },
  },
  // Routes stay small (issue 16): a route holds its loader, action and page layout; tables, forms and
  // sections belong in app/components (the view kit: DataTable, Tag, YesNo, FilterSelect, usePending).
  {
    files: ["app/routes/**/*.tsx"],
    rules: { "max-lines": ["error", { max: 260 }] },
  },
  // Frozen migrations are written against Kysely<any> (they must not depend on today's db/types.ts), and
  // tests poke at JSON and loader data without declaring every shape.
  {
    files: ["db/migrations/**/*.ts", "test/**/*.{ts,tsx}"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // ---- Architecture (../shared/DESIGN.md "Architecture"; README "How it is built"; docs/adr/0005).
  // Modules hold the domain; components and routes sit above them and may import them, never the reverse.
  {
    files: ["app/modules/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(~|(\\.\\./)+)(components|routes)(/|$)",
              message:
                "app/modules must not import app/components or app/routes: move the shared piece down (app/utils or the module) or the UI piece up (app/components).",
            },
          ],
        },
      ],
    },
  },
  // Utils are the bottom layer: plain helpers that know no domain module, component or route.
  {
    files: ["app/utils/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              regex: "^(~|(\\.\\./)+)(modules|components|routes)(/|$)",
              message:
                "app/utils must not import app/modules, app/components or app/routes: a helper that needs a module belongs in that module.",
            },
          ],
        },
      ],
    },
  },
  // Query building (Kysely's selectFrom/insertInto/updateTable/deleteFrom and `sql` templates) only in
  // repository files (`repository.server.ts`, `*-repository.server.ts`) and the database plumbing in utils.
  // One way to refuse a request (docs/adr/0010-how-a-failure-is-reported.md) everywhere in app/, the
  // repositories too. ESLint keeps only the last no-restricted-syntax that matches a file, so each block
  // lists every selector its files need.
  {
    files: ["app/**/*.{ts,tsx}"],
    rules: { "no-restricted-syntax": ["error", ...ONE_WAY_TO_REFUSE] },
  },
  {
    files: ["app/**/*.{ts,tsx}"],
    ignores: SQL_ALLOWED,
    rules: { "no-restricted-syntax": ["error", ...SQL_ONLY_IN_REPOSITORIES, ...ONE_WAY_TO_REFUSE] },
  },
  // The two wrappers themselves turn an AppError into a Response.
  {
    files: ["app/utils/route.server.ts", "app/utils/errors.ts"],
    rules: { "no-restricted-syntax": ["error", ...SQL_ONLY_IN_REPOSITORIES] },
  },
  // Import cycles between files (no-cycle) and between folders (test/unit/module-graph.test.ts).
  {
    files: ["app/**/*.{ts,tsx}", "db/**/*.ts", "scripts/**/*.ts"],
    plugins: { "import-x": importX },
    settings: {
      "import-x/resolver-next": [
        createNodeResolver({
          extensions: [".ts", ".tsx", ".js", ".mjs", ".json"],
          alias: { "~": [path.join(root, "app")], "#db": [path.join(root, "db")] },
        }),
      ],
      "import-x/extensions": [".ts", ".tsx", ".js"],
    },
    rules: {
      "import-x/no-cycle": ["error", { ignoreExternal: true }],
    },
  },
);
