import type { Db } from "#db/connect";
import { addMonths, buildEstates } from "~/modules/compliance/evaluate.server";
import { getPolicies, policyFor } from "~/modules/compliance/policy.server";
import * as compliance from "~/modules/compliance/repository.server";
import { indexLifecycle, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { loadPriceBook } from "~/modules/pricing/repository.server";
import { contractEvents, type ContractEvent } from "./contracts";
import { summariseByYear, type YearSummary } from "./summary";
import { timelineBasis } from "./basis.server";
import { timelineFrom, timelineInputs, type ForecastEvent } from "./timeline";

/** Practices per estate load (as evaluation chunks them); an ICB has at most about 450. */
const CHUNK = 500;
/** Practices whose timelines are worked out between two turns of the event loop (about 10-40 ms of CPU on this machine). */
const YIELD_EVERY = 4;

export interface Forecast {
  asOf: string;
  until: string;
  months: number;
  practices: number;
  events: ForecastEvent[];
  byYear: YearSummary[];
  /** Supplier contract notice dates and ends in the horizon (forecast/contracts.ts): dates, not rule changes. */
  contracts: ContractEvent[];
  /** Time the rules took (CPU), for the benchmark and the CLI. */
  computedMs: number;
}

/**
 * The forecast timeline for a set of practices (an ICB's, or one): the estate in a few set
 * queries per 500 practices (the same loads as evaluation), the OS lifecycle table through
 * os-lifecycle's index, each ICB's policy and price book, then the rules in memory. Reads only:
 * nothing is stored (DESIGN.md: "Today is stored; what-if is computed").
 */
export async function forecastPractices(
  db: Db,
  codes: readonly string[],
  asOf: string,
  months = 24,
  opts: { icbCodes?: readonly string[] } = {},
): Promise<Forecast> {
  const until = addMonths(asOf, months);
  const [each, contracts] = await Promise.all([
    forecastEachPractice(db, codes, asOf, months),
    compliance.loadRunningContracts(db, codes, opts.icbCodes ?? [], asOf),
  ]);
  const events = [...each.byPractice.values()].flat();
  events.sort(
    (a, b) =>
      a.date.localeCompare(b.date) || a.practiceCode.localeCompare(b.practiceCode) || a.requirementId.localeCompare(b.requirementId),
  );
  return {
    asOf,
    until,
    months,
    practices: each.byPractice.size,
    events,
    byYear: summariseByYear(events, financialYearOf(until)),
    contracts: contractEvents(contracts, asOf, until),
    computedMs: each.computedMs,
  };
}

/**
 * Each practice's timeline on its own (practices with no estate row are left out), for callers
 * that keep the forecast per practice (the ICB dashboard, dashboard/forecast-parts.ts): a
 * practice's timeline depends on its own estate, its ICB's policy and price list, the OS
 * lifecycle table and the dates alone.
 *
 * With `reuse` (a practice's timeline basis kept from another window, basis.server.ts, on the
 * same estate and reference data), a practice whose inputs have that basis again is not worked
 * out: it is listed in `carried` instead, as its timeline would be the one the basis was kept
 * with. `bases` holds every practice's basis for this window.
 */
export async function forecastEachPractice(
  db: Db,
  codes: readonly string[],
  asOf: string,
  months = 24,
  opts: { lifecycle?: LifecycleRow[]; reuse?: ReadonlyMap<string, string> } = {},
) {
  const until = addMonths(asOf, months);
  const byPractice = new Map<string, ForecastEvent[]>();
  const bases = new Map<string, string | null>();
  const carried = new Set<string>();
  if (codes.length === 0) return { byPractice, bases, carried, computedMs: 0 };
  // A caller that has the OS lifecycle table already (the dashboard) passes it in.
  const [lifecycle, policies] = await Promise.all([opts.lifecycle ?? compliance.loadLifecycleRows(db), getPolicies(db)]);
  const index = indexLifecycle(lifecycle);
  let ms = 0;
  for (let i = 0; i < codes.length; i += CHUNK) {
    const rows = await compliance.loadEstateRows(db, codes.slice(i, i + CHUNK));
    const icbs = [...new Set(rows.practices.map((p) => p.icb_code).filter((c): c is string => !!c))];
    const book = await loadPriceBook(db, icbs);
    let n = 0;
    for (const estate of buildEstates(rows, index)) {
      const t0 = performance.now();
      const code = estate.practice.ods_code;
      const policy = policyFor(policies, estate.practice.icb_code);
      const inputs = timelineInputs(estate, policy, asOf, until);
      const basis = opts.reuse ? timelineBasis(inputs) : null;
      bases.set(code, basis);
      if (basis !== null && opts.reuse?.get(code) === basis) carried.add(code);
      else byPractice.set(code, timelineFrom(estate, policy, inputs, book));
      ms += performance.now() - t0;
      // The rules are seconds of CPU for a large ICB: let the server answer other requests
      // between practices rather than stall every page this process serves until they finish.
      if (++n % YIELD_EVERY === 0) await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { byPractice, bases, carried, computedMs: Math.round(ms) };
}

/** The forecast for an ICB's open practices (and the ICB's own contracts). */
export async function forecastIcb(db: Db, icbCode: string, asOf: string, months = 24): Promise<Forecast> {
  const codes = await compliance.listScopePractices(db, { icb: icbCode });
  return forecastPractices(db, codes, asOf, months, { icbCodes: [icbCode] });
}
