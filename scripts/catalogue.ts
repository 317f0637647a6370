import { runCatalogueCli } from "~/modules/compliance/cli.server";

// `npm run catalogue -- [--version 2021-23|2026] [--json]`: prints the requirement catalogue and its framework versions (no database needed).
try {
  runCatalogueCli(process.argv.slice(2), { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t) });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  console.error("Usage: npm run catalogue -- [--version 2021-23|2026] [--json]");
  process.exitCode = 2;
}
