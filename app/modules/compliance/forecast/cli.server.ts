import { CONTRACT_PAYERS } from "~/modules/catalogue/contracts";
import { parseArgs } from "node:util";
import type { Db } from "#db/connect";
import { UsageError, type CliIo } from "~/utils/cli";
import { requirementById } from "~/modules/catalogue";
import * as compliance from "~/modules/compliance/repository.server";
import { formatPence } from "~/modules/pricing/money";
import { todayIso } from "~/utils/today";
import { forecastPractices } from "./service.server";
import type { ForecastEvent } from "./timeline";

export const FORECAST_USAGE = "Usage: npm run -s forecast -- (--icb CODE | --practice ODS) [--months N] [--json]";

export function parseForecastArgs(argv: string[]) {
  const { values } = parseArgs({
    args: argv,
    options: {
      icb: { type: "string" },
      practice: { type: "string" },
      months: { type: "string" },
      json: { type: "boolean", default: false },
    },
    strict: true,
  });
  if ((values.icb === undefined) === (values.practice === undefined)) throw new UsageError("Choose one of --icb CODE or --practice ODS.");
  const months = values.months === undefined ? 24 : Number(values.months);
  if (!Number.isInteger(months) || months < 1 || months > 60)
    throw new UsageError(`--months must be a whole number from 1 to 60 (got ${values.months}).`);
  const scope: { icb: string } | { practice: string } =
    values.icb !== undefined ? { icb: values.icb.trim().toUpperCase() } : { practice: values.practice!.trim().toUpperCase() };
  return { scope, months, json: values.json };
}

const cost = (e: ForecastEvent) =>
  !e.worse
    ? ""
    : e.estimate === null
      ? "no extra work"
      : e.estimate.pence === null
        ? `no estimate (${e.estimate.missing.map((m) => m.label).join(", ")})`
        : formatPence(e.estimate.pence);

/**
 * `npm run -s forecast -- (--icb CODE | --practice ODS) [--months N] [--json]`: every known
 * future date's effect on compliance, if nothing changes, grouped by financial year, with the
 * cost each change for the worse brings. Reads only; writes nothing.
 */
export async function runForecastCli(argv: string[], db: Db, io: CliIo) {
  const { scope, months, json } = parseForecastArgs(argv);
  const codes =
    "icb" in scope
      ? await compliance.listScopePractices(db, { icb: scope.icb })
      : await compliance.listScopePractices(db, { practices: [scope.practice] });
  if (codes.length === 0)
    throw new UsageError(
      "icb" in scope ? `No open practices found in ICB ${scope.icb}.` : `There is no practice with ODS code ${scope.practice}.`,
    );
  const f = await forecastPractices(db, codes, todayIso(), months, { icbCodes: "icb" in scope ? [scope.icb] : [] });
  if (json) {
    io.out(JSON.stringify({ scope: "icb" in scope ? `icb:${scope.icb}` : `practice:${scope.practice}`, stored: false, ...f }));
    return f;
  }
  io.out(
    `Forecast from ${f.asOf} to ${f.until} (${months} months) for ${f.practices.toLocaleString("en-GB")} practices, if nothing is replaced, renewed or upgraded. Nothing is stored.\n`,
  );
  for (const y of f.byYear) {
    io.out(
      `\nFinancial year ${y.label}: ${y.worse.toLocaleString("en-GB")} changes for the worse at ${y.practices.toLocaleString("en-GB")} practices, ` +
        `${formatPence(y.estimatedPence)} estimated${y.noEstimate ? ` (${y.noEstimate.toLocaleString("en-GB")} without an estimate)` : ""}; ${y.changes - y.worse} other changes; ` +
        `${formatPence(y.inYearPence)} falls in the year (ex VAT, with ${formatPence(y.recurringPence)} of annual costs from earlier years recurring).\n`,
    );
    for (const e of f.events.filter((x) => x.financialYear === y.year)) {
      const req = requirementById(e.requirementId);
      io.out(
        `  ${e.date}  ${e.practiceCode.padEnd(7)} ${`${e.requirementId} ${req?.title ?? ""}`.slice(0, 44).padEnd(44)} ${e.change}` +
          `${cost(e) ? ` | ${cost(e)}` : ""}${e.drivers.length ? ` | ${e.drivers.join("; ")}` : ""}\n`,
      );
    }
  }
  if (f.events.length === 0) io.out("\nNo result changes in this period.\n");
  if (f.contracts.length) io.out("\nSupplier contracts: notice dates and ends\n");
  for (const c of f.contracts)
    io.out(
      `  ${c.date}  ${(c.practiceCode ?? c.icbCode ?? "").padEnd(7)} ${c.description} | ${formatPence(c.annualCostPence)} a year ex VAT, paid by ${CONTRACT_PAYERS[c.paidBy]}\n`,
    );
  io.out(`\n${f.events.length.toLocaleString("en-GB")} changes; the rules took ${(f.computedMs / 1000).toFixed(1)}s.\n`);
  return f;
}
