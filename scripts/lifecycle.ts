import { runLifecycleCli } from "~/modules/os-lifecycle/cli.server";

// `npm run -s lifecycle -- --json | --check | --sync`: the OS lifecycle reference data.
try {
  process.exitCode = await runLifecycleCli(process.argv.slice(2), {
    out: (t) => process.stdout.write(t),
    err: (t) => process.stderr.write(t),
  });
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  console.error("Usage: npm run -s lifecycle -- (--json | --check | --sync [--json])");
  process.exitCode = 2;
}
