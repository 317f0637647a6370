import { parseArgs } from "node:util";
import type { Db } from "#db/connect";
import { ensureDefaultPrices } from "~/modules/pricing/repository.server";
import { UsageError } from "~/utils/cli";
import { csvStream, mapBatches, type Cell } from "~/utils/tabular-export.server";
import { todayIso } from "~/utils/today";
import { csvCells, GAP_COLUMNS, gapCells, registerBatches } from "./export.server";
import { GAP_GROUPS, GAP_SORTS, parseGapFilters } from "./register";
import { loadRegisterOptions, loadRegisterSummary, toGapQuery } from "./register.server";

/** Where the command writes; `out` resolves when the text is taken (stdout's back-pressure). */
export interface GapsCliIo {
  out: (text: string) => Promise<void> | void;
  err: (text: string) => void;
}

export const GAPS_USAGE =
  "Usage: npm run -s gaps -- (--all | --icb CODE | --practice ODS) [--format csv|json] [--sub-icb CODE] [--pcn CODE] [--domain D] [--category C] [--funder F] [--status S] [--fy YYYY] [--sort S] [--group G]";

/**
 * `npm run -s gaps -- (--all | --icb CODE | --practice ODS) [--format csv|json]`: the gap
 * register as an administrator sees it on /gaps with the same filters, from the same service
 * code. CSV is the register's export (one row per gap; the totals go to stderr); JSON is one
 * object with the filters, the group summary (its total equals the sum of its rows) and every
 * gap. Both are written a batch at a time, so all of England streams in flat memory.
 */
export async function runGapsCli(argv: string[], db: Db, io: GapsCliIo, today = todayIso()) {
  const { values } = parseArgs({
    args: argv,
    strict: true,
    options: {
      all: { type: "boolean", default: false },
      icb: { type: "string" },
      practice: { type: "string" },
      format: { type: "string", default: "csv" },
      "sub-icb": { type: "string" },
      pcn: { type: "string" },
      domain: { type: "string" },
      category: { type: "string" },
      funder: { type: "string" },
      status: { type: "string" },
      fy: { type: "string" },
      sort: { type: "string" },
      group: { type: "string" },
    },
  });
  const scopes = [values.all, values.icb !== undefined, values.practice !== undefined].filter(Boolean).length;
  if (scopes !== 1) throw new UsageError("Give exactly one of --all, --icb CODE or --practice ODS.");
  if (values.format !== "csv" && values.format !== "json") throw new UsageError("--format is csv or json.");
  const params = new URLSearchParams();
  const put = (k: string, v: string | undefined) => v !== undefined && params.set(k, v);
  put("icb", values.icb);
  put("practice", values.practice);
  put("sub_icb", values["sub-icb"]);
  put("pcn", values.pcn);
  for (const k of ["domain", "category", "funder", "status", "fy", "sort", "group"] as const) put(k, values[k]);
  const parsed = parseGapFilters(params);
  const { filters } = parsed;
  // The page ignores an unknown choice so old links open; a command line says so instead.
  for (const [k, v] of params) {
    const key = k as keyof typeof filters;
    if (parsed.errors[key] || filters[key] === undefined || (k === "status" && v !== "" && filters.status === "")) {
      throw new UsageError(parsed.errors[key] ?? `--${k.replace("_", "-")} ${v} is not one of the register's choices.`);
    }
  }
  if (values.sort && !(values.sort in GAP_SORTS)) throw new UsageError(`--sort is one of ${Object.keys(GAP_SORTS).join(", ")}.`);
  if (values.group && !(values.group in GAP_GROUPS)) throw new UsageError(`--group is one of ${Object.keys(GAP_GROUPS).join(", ")}.`);

  const scope = { all: true } as const;
  // The summary is priced in SQL against price_list_entry, as the page's is: the national
  // defaults first (the rows' batches ensure them too, but only once they are read, after it).
  await ensureDefaultPrices(db);
  const { names } = await loadRegisterOptions(db, scope, filters);
  const summary = await loadRegisterSummary(db, toGapQuery(scope, filters), filters.group, names, today);
  const batches = registerBatches(db, scope, filters, today);

  if (values.format === "csv") {
    const reader = csvStream(GAP_COLUMNS, mapBatches(batches, csvCells)).getReader();
    const decoder = new TextDecoder();
    for (let r = await reader.read(); !r.done; r = await reader.read()) await io.out(decoder.decode(r.value, { stream: true }));
    const t = summary.total;
    io.err(
      `${t.gaps} gaps; estimated cost £${(t.estimatedPence / 100).toFixed(2)} ex VAT, £${((t.estimatedPence + t.vatPence) / 100).toFixed(2)} inc VAT (gaps with an estimate); ${t.noEstimate} with no estimate; ${t.patients} patients.\n`,
    );
    return summary;
  }
  await io.out(`{"filters":${JSON.stringify(filters)},"summary":${JSON.stringify(summary)},"gaps":[`);
  let first = true;
  for await (const batch of batches) {
    const text = batch
      .map((g) => {
        const cells = gapCells(g);
        return JSON.stringify(Object.fromEntries(GAP_COLUMNS.map((c, i) => [c, cells[i] as Cell])));
      })
      .join(",");
    if (text) await io.out(`${first ? "" : ","}${text}`);
    first = first && !text;
  }
  await io.out("]}\n");
  return summary;
}
