import { parseArgs } from "node:util";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { UsageError, type CliIo } from "~/utils/cli";
import { todayIso } from "~/utils/today";
import {
  AUTOMATIC_REQUIREMENTS,
  CATEGORIES,
  DOMAINS,
  EVIDENCE_KINDS,
  FRAMEWORK,
  FRAMEWORK_VERSIONS,
  FUNDERS,
  REQUIREMENTS,
  frameworkVersionById,
  requirementInVersion,
} from "~/modules/catalogue";
import { evaluateScope, type EvaluationScope } from "./evaluate.server";
import { backfillHistory } from "./history.server";
import { whatIfScope } from "./what-if.server";
import { listRequirements } from "./service.server";

/** `npm run catalogue -- [--version 2021-23|2026] [--json]`: the requirement catalogue, with its framework versions. */
export function runCatalogueCli(argv: string[], io: CliIo) {
  const { values } = parseArgs({
    args: argv,
    options: { json: { type: "boolean", default: false }, version: { type: "string" } },
    strict: true,
  });
  const version = values.version;
  if (version !== undefined && !frameworkVersionById(version)) {
    throw new UsageError(`--version must be one of ${FRAMEWORK_VERSIONS.map((v) => v.id).join(", ")} (got ${version}).`);
  }
  const requirements = listRequirements({ version }).map((r) => ({
    id: r.id,
    // Filtered to a version: that version's wording.
    title: (version && requirementInVersion(r, version)?.title) || r.title,
    domain: r.domain,
    category: r.category,
    funder: r.funder,
    evidence: r.evidence,
    automatic: r.automatic,
    weight: r.weight,
    source: r.sources.map((s) => s.ref).join(", "),
    sources: r.sources,
    introducedIn: r.introducedIn,
    versions: r.versions,
  }));
  const counts = {
    requirements: REQUIREMENTS.length,
    automatic: AUTOMATIC_REQUIREMENTS.length,
    ...(version ? { inVersion: requirements.length } : {}),
  };
  if (values.json) {
    io.out(JSON.stringify({ framework: FRAMEWORK, frameworkVersions: FRAMEWORK_VERSIONS, version: version ?? null, counts, requirements }));
    return;
  }
  io.out(`${FRAMEWORK.name} (catalogue ${FRAMEWORK.version})\n`);
  for (const v of FRAMEWORK_VERSIONS) {
    io.out(
      `  ${v.id.padEnd(8)} ${v.name}, effective from ${v.effectiveFrom}${v.effectiveFromUnconfirmed ? " (UNCONFIRMED)" : ""}, source ${v.sources.map((s) => s.ref).join(", ")}\n`,
    );
  }
  if (version) io.out(`\nOnly requirements in ${version}.\n`);
  let domain = "";
  for (const r of requirements) {
    if (r.domain !== domain) {
      domain = r.domain;
      io.out(`\n${DOMAINS[r.domain]}\n`);
    }
    io.out(
      `  ${r.id.padEnd(8)} ${r.title.padEnd(52).slice(0, 52)} ${CATEGORIES[r.category].padEnd(32)} ${FUNDERS[r.funder].padEnd(9)} ${EVIDENCE_KINDS[r.evidence].padEnd(30)} ${r.versions
        .map((v) => v.version + (v.unconfirmed ? "?" : ""))
        .join("+")
        .padEnd(16)} ${r.source}\n`,
    );
  }
  io.out(
    `\n${counts.requirements} requirements, ${counts.automatic} checked automatically from register data.${version ? ` ${requirements.length} in ${version}.` : ""}\n`,
  );
  io.out("A version marked ? holds the requirement without confirmation in the research (see the requirement's page).\n");
}

const ISO = /^\d{4}-\d{2}-\d{2}$/;

export function parseEvaluateArgs(argv: string[]): { scope: EvaluationScope; asOf: string; json: boolean; history: boolean } {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: "boolean", default: false },
      icb: { type: "string" },
      practice: { type: "string" },
      "as-of": { type: "string" },
      json: { type: "boolean", default: false },
      history: { type: "boolean", default: false },
    },
    strict: true,
  });
  const chosen = [values.all, values.icb !== undefined, values.practice !== undefined].filter(Boolean).length;
  if (chosen !== 1) throw new UsageError("Choose one of --all, --icb CODE or --practice ODS.");
  const asOf = values["as-of"] ?? todayIso();
  if (
    !ISO.test(asOf) ||
    Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)) ||
    new Date(`${asOf}T00:00:00Z`).toISOString().slice(0, 10) !== asOf
  ) {
    throw new UsageError(`--as-of must be a date written YYYY-MM-DD (got ${asOf}).`);
  }
  const scope: EvaluationScope = values.all
    ? { all: true }
    : values.icb !== undefined
      ? { icb: values.icb.trim().toUpperCase() }
      : { practices: [values.practice!.trim().toUpperCase()] };
  if (values.history && values["as-of"] === undefined) throw new UsageError("--history needs --as-of with a past date.");
  if (values.history && asOf >= todayIso()) throw new UsageError(`--history is for dates before today (${todayIso()}); ${asOf} is not.`);
  return { scope, asOf, json: values.json, history: values.history };
}

const pct = (n: number | null) => (n === null ? "no score" : `${n.toFixed(1)}%`);

const noPractices = (scope: EvaluationScope) =>
  new UsageError(
    "practices" in scope ? `There is no practice with ODS code ${scope.practices[0]}.` : "No open practices found in that scope.",
  );

function printTable(io: CliIo, practices: { ods_code: string; name: string; counts: Record<string, number>; score: number | null }[]) {
  io.out(
    `${"ODS".padEnd(8)} ${"Practice".padEnd(40)} ${"Met".padStart(4)} ${"Part".padStart(5)} ${"Not".padStart(4)} ${"Unkn".padStart(5)} ${"N/A".padStart(4)}  Score\n`,
  );
  for (const p of practices) {
    const c = p.counts;
    io.out(
      `${p.ods_code.padEnd(8)} ${p.name.slice(0, 40).padEnd(40)} ${String(c.met).padStart(4)} ${String(c.partial).padStart(5)} ${String(c.not_met).padStart(4)} ${String(c.unknown).padStart(5)} ${String(c.not_applicable).padStart(4)}  ${pct(p.score)}\n`,
    );
  }
}

/**
 * `npm run evaluate -- (--all | --icb CODE | --practice ODS) [--as-of YYYY-MM-DD] [--history] [--json]`:
 * evaluates through the same service as the app and prints, per practice, counts by status and
 * the overall score (of the automatic checks). Only today's evaluation is stored (results and
 * the gap register). Any other `--as-of` is a what-if: computed, printed, nothing written.
 * `--history` with a past `--as-of` is the explicit backfill: history rows only (history.server.ts).
 */
export async function runEvaluateCli(argv: string[], db: Db, io: CliIo) {
  const { scope, asOf, json, history } = parseEvaluateArgs(argv);
  const started = Date.now();
  const seconds = () => Math.round((Date.now() - started) / 100) / 10;
  if (history) {
    const r = await backfillHistory(db, scope, asOf);
    if (r.counts.practices === 0) throw noPractices(scope);
    if (json) io.out(JSON.stringify({ ...r, mode: "history", seconds: seconds() }));
    else {
      const k = r.counts;
      io.out(
        `History as of ${asOf} (${r.scope}): ${k.written.toLocaleString("en-GB")} history rows written, ${k.unchanged.toLocaleString("en-GB")} unchanged, ` +
          `${k.skippedNoLaterResult.toLocaleString("en-GB")} skipped (no result stored after ${asOf}, so a row would change today's results), in ${seconds()}s.\n` +
          "The gap register and today's results were not changed.\n",
      );
    }
    return r;
  }
  if (asOf !== todayIso()) {
    const r = await whatIfScope(db, scope, asOf);
    if (r.practices.length === 0) throw noPractices(scope);
    if (json) {
      io.out(JSON.stringify({ ...r, mode: "what-if", seconds: seconds() }));
      return r;
    }
    io.out(`What-if: compliance as of ${asOf} (${r.scope}) with today's registers, automatic checks only. Nothing was stored.\n\n`);
    printTable(io, r.practices);
    const k = r.counts;
    io.out(
      `\n${k.practices.toLocaleString("en-GB")} practices, ${k.results.toLocaleString("en-GB")} results, ${k.differFromStored.toLocaleString("en-GB")} of them different from the results stored for that date, in ${seconds()}s.\n` +
        `Nothing was written: no results, no gaps. Only an evaluation dated today (${todayIso()}) is stored; use --history to add past dates to the trend.\n`,
    );
    return r;
  }
  const result = await evaluateScope(db, scope, asOf, {
    onProgress: (p) => {
      if (p.total > 1)
        io.err(
          `Evaluated ${p.done.toLocaleString("en-GB")} of ${p.total.toLocaleString("en-GB")} practices (${p.written.toLocaleString("en-GB")} results changed)\n`,
        );
    },
  });
  if (result.practices.length === 0) throw noPractices(scope);
  // One audit event at the end: each chunk of results committed on its own as it went.
  const k0 = result.counts;
  await recordAudit(db, {
    userId: null,
    action: "compliance.recheck",
    entityType: "all" in scope ? "england" : "icb" in scope ? "icb" : "practice",
    entityId: "all" in scope ? "all" : "icb" in scope ? scope.icb : scope.practices.join(","),
    after: {
      source: "cli",
      asOf,
      runId: result.runId,
      practices: k0.practices,
      results: k0.results,
      written: k0.written,
      removed: k0.removed,
      unchanged: k0.unchanged,
      byStatus: k0.byStatus,
      gaps: k0.gaps,
    },
  });
  if (json) {
    io.out(
      JSON.stringify({
        mode: "today",
        asOf: result.asOf,
        scope: result.scope,
        runId: result.runId,
        seconds: seconds(),
        counts: result.counts,
        practices: result.practices,
      }),
    );
    return result;
  }
  io.out(`Compliance as of ${asOf} (${result.scope}), automatic checks only\n\n`);
  printTable(io, result.practices);
  const k = result.counts;
  io.out(
    `\n${k.practices.toLocaleString("en-GB")} practices, ${k.results.toLocaleString("en-GB")} results: ${k.written.toLocaleString("en-GB")} changed and stored, ${k.unchanged.toLocaleString("en-GB")} unchanged, in ${seconds()}s.\n`,
  );
  return result;
}
