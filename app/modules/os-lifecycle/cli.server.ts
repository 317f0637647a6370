import { createDbFromEnv } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { SERVER_BUILDS, WIN10_BUILDS, WIN11_BUILDS } from "./parse";
import { OS_LIFECYCLE_ROWS, OS_LIFECYCLE_VERSION, type LifecycleReferenceRow } from "./reference";
import { buildIndex, checkLifecycleReference } from "./reference-check";
import { syncLifecycleReference } from "./reference-sync.server";

interface Io {
  out: (t: string) => void;
  err: (t: string) => void;
}

/** The file check plus: the OS parser reads every build in the file as the file's release. */
export function checkAll(rows: readonly LifecycleReferenceRow[] = OS_LIFECYCLE_ROWS): string[] {
  const problems = checkLifecycleReference(rows);
  const parser: Record<string, Record<string, string>> = {
    "Windows 10": WIN10_BUILDS,
    "Windows 11": WIN11_BUILDS,
    "Windows Server": SERVER_BUILDS,
  };
  for (const [key, version] of buildIndex(rows)) {
    const [family, build] = key.split("|");
    const parsed = parser[family]?.[build];
    if (parsed !== version)
      problems.push(`${family} build ${build}: the file says ${version}, the OS parser (parse.ts) says ${parsed ?? "nothing"}`);
  }
  return problems;
}

/**
 * `npm run -s lifecycle -- --json | --check | --sync`: prints the reference file, validates it
 * (exit 1 with one line per problem), or brings the configured database up to it.
 */
export async function runLifecycleCli(args: string[], io: Io): Promise<number> {
  if (args.includes("--check")) {
    const problems = checkAll();
    if (problems.length) {
      for (const p of problems) io.err(`${p}\n`);
      io.err(
        `${problems.length} problem${problems.length === 1 ? "" : "s"} in the OS lifecycle reference data (version ${OS_LIFECYCLE_VERSION}).\n`,
      );
      return 1;
    }
    io.out(`OS lifecycle reference data version ${OS_LIFECYCLE_VERSION}: ${OS_LIFECYCLE_ROWS.length} rows, all sound.\n`);
    return 0;
  }
  if (args.includes("--sync")) {
    const problems = checkAll();
    if (problems.length) throw new Error(`The reference data has problems; run --check. First: ${problems[0]}`);
    const handle = createDbFromEnv(getEnv());
    try {
      const r = await syncLifecycleReference(handle.db);
      if (args.includes("--json")) io.out(`${JSON.stringify(r)}\n`);
      else {
        io.out(`OS lifecycle (${handle.where}): ${r.inserted} added, ${r.updated} updated, ${r.retired} retired.\n`);
        if (r.keptAdminRows.length) io.out(`Kept as admins set them (differ from the file): ${r.keptAdminRows.join("; ")}\n`);
      }
      return 0;
    } finally {
      await handle.db.destroy();
    }
  }
  if (args.includes("--json")) {
    io.out(`${JSON.stringify({ version: OS_LIFECYCLE_VERSION, rows: OS_LIFECYCLE_ROWS })}\n`);
    return 0;
  }
  throw new Error("Say what to do: --json, --check or --sync");
}
