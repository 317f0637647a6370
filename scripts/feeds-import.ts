/**
 * One command for the national and ICB data feeds (issue 15):
 *
 *   npm run -s feeds:import -- --kind dspt|cyber-essentials|cbt|contracts [--dry-run] [--json] FILE
 *
 * Each kind goes through the same checks and the single-transaction write its page uses, with
 * admin scope. `npm run -s dspt:import` remains as the DSPT kind's older name.
 */
import { pathToFileURL } from "node:url";
import type { Db } from "#db/connect";
import { importMain, type CliFile, type Io } from "./cli-import";
import { cbtMain } from "./cbt-cli";
import { runContractsCli } from "./contracts-cli";
import { runCyberEssentialsCli } from "./cyber-essentials-cli";
import { runDsptCli } from "./dspt-import";

export const FEED_KINDS = ["dspt", "cyber-essentials", "cbt", "contracts"] as const;
export type FeedKind = (typeof FEED_KINDS)[number];

const USAGE = `usage: npm run -s feeds:import -- --kind ${FEED_KINDS.join("|")} [--dry-run] [--json] FILE`;

export interface FeedsCliArgs {
  kind: FeedKind;
  file: string;
  dryRun: boolean;
  json: boolean;
}

export function parseFeedsArgs(argv: string[]): FeedsCliArgs {
  let kind: string | null = null;
  let dryRun = false;
  let json = false;
  const files: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === "--dry-run") dryRun = true;
    else if (a === "--json") json = true;
    else if (a === "--kind") kind = argv[++i] ?? null;
    else if (a.startsWith("--kind=")) kind = a.slice("--kind=".length);
    else if (a.startsWith("--")) throw new Error(`unknown option ${a}\n${USAGE}`);
    else files.push(a);
  }
  if (!kind) throw new Error(`give --kind\n${USAGE}`);
  if (!(FEED_KINDS as readonly string[]).includes(kind))
    throw new Error(`unknown kind "${kind}": use one of ${FEED_KINDS.join(", ")}\n${USAGE}`);
  if (files.length !== 1) throw new Error(`give exactly one file\n${USAGE}`);
  return { kind: kind as FeedKind, file: files[0], dryRun, json };
}

/** The kinds read whole under the upload limits (CBT is streamed: cbt-cli.ts). */
export function runFeedsCli(db: Db, args: FeedsCliArgs, io: Io, file: CliFile): Promise<number> {
  if (args.kind === "dspt") return runDsptCli(db, args, io, file);
  if (args.kind === "contracts") return runContractsCli(db, args, io, file);
  return runCyberEssentialsCli(db, args, io, file);
}

async function main() {
  const argv = process.argv.slice(2);
  let args: FeedsCliArgs;
  try {
    args = parseFeedsArgs(argv);
  } catch (e) {
    console.error((e as Error).message);
    process.exitCode = 2;
    return;
  }
  if (args.kind === "cbt") await cbtMain(args);
  else await importMain(parseFeedsArgs, runFeedsCli);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? "").href) await main();
