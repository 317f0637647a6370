import type { Db } from "#db/connect";
import { commitDeviceImport, countsOf } from "~/modules/devices/import/commit.server";
import { IMPORT_TARGETS, mappingProblems, type Mapping } from "~/modules/devices/import/map";
import { DEVICE_LABELS } from "~/modules/devices/schema";
import type { ParsedTable } from "~/modules/devices/import/parse.server";
import { buildPreview, todayAsOf } from "~/modules/devices/import/service.server";
import type { Preview, RowIssue } from "~/modules/devices/import/validate";
import { DigitalServicesSchema } from "~/modules/digital-services/schema";
import { getServicesPage, saveServices } from "~/modules/digital-services/service.server";
import { TelephonyEditSchema } from "~/modules/telephony/schema";
import { getCurrentSystem, updateCurrentSystem } from "~/modules/telephony/service.server";
import { scopeFor } from "~/utils/permissions";
import type { z } from "zod";
import type { ApiAuth } from "./auth.server";
import { ApiProblem, zodProblems } from "./problem";
import type { DeviceBulkBody, DigitalServicesUpdateBody, TelephonyUpdateBody } from "./schemas";
import { telephonyOut } from "./views.server";

/**
 * The API's changes, each through the service the pages use: the device import's own check and
 * commit, the telephony edit and the digital services form. Values are turned into the text a
 * form or spreadsheet cell would hold, so the pages' schemas read them exactly as they read a
 * person's input.
 */

/** A JSON value as the text of a form field or spreadsheet cell. */
export const asText = (v: unknown): string =>
  v === null || v === undefined ? "" : typeof v === "boolean" ? (v ? "yes" : "no") : String(v);

// ------------------------------------------------------------------ devices

// The import names a column by its header (here, the field sent) or, for a field not sent, by
// its label ("Type"): both are turned back into the field's name.
const FIELD_BY_LABEL = new Map<string, string>(IMPORT_TARGETS.map((t) => [DEVICE_LABELS[t] ?? t, t]));
const fieldOf = (column: string) =>
  (IMPORT_TARGETS as readonly string[]).includes(column) ? column : (FIELD_BY_LABEL.get(column) ?? column);

type Row = { index: number; field: string; pointer: string; detail: string };
const rowProblems = (issues: RowIssue[]): Row[] =>
  issues.map((i) => ({
    index: i.row - 1,
    field: fieldOf(i.column),
    pointer: `/devices/${i.row - 1}/${fieldOf(i.column)}`,
    detail: i.message,
  }));

class RowsRejected extends Error {
  constructor(readonly preview: Preview) {
    super("rows rejected");
  }
}

/**
 * Pushes a practice's devices as a device import does: the body becomes a table whose columns
 * are the fields sent (rows numbered from 1, as the messages count them), checked by
 * `buildPreview` and written by `commitDeviceImport` in one transaction (create, update or leave
 * unchanged; matched by asset tag, then serial number). By default any rejected row means nothing
 * is written; with `skipInvalid` the valid rows are written and the rest reported, as the file
 * import does.
 */
export async function pushDevices(
  db: Db,
  auth: ApiAuth,
  ods: string,
  body: z.infer<typeof DeviceBulkBody>,
  opts: { dryRun: boolean; skipInvalid: boolean },
) {
  const headers = IMPORT_TARGETS.filter((t) => body.devices.some((d) => d[t] !== undefined));
  const mapping: Mapping = headers.map((h) => ({ header: h, target: h }));
  const problems = mappingProblems(mapping);
  if (problems.length)
    throw new ApiProblem(400, problems.join(" ").replace("Choose the column that holds", "Send"), {
      errors: [{ pointer: "/devices", detail: "Each device needs asset_tag or serial_number" }],
    });
  const table: ParsedTable = {
    format: "csv",
    headers,
    rows: body.devices.map((d, i) => ({ row: i + 1, cells: headers.map((h) => asText(d[h])) })),
  };
  const ctx = { scope: scopeFor(auth.user.memberships, "estate.icb:write"), fixedPractice: ods, asOf: todayAsOf() };
  const report = (p: Preview, runId: number | null, dryRun: boolean) => ({
    dry_run: dryRun,
    run_id: runId,
    counts: countsOf(p),
    errors: rowProblems(p.issues),
    warnings: rowProblems(p.warnings),
  });
  const refused = (p: Preview) =>
    new ApiProblem(
      400,
      `${p.counts.rejected} of ${p.rowsRead} devices are not valid, so nothing was changed. Correct them, or send skip_invalid=true to write the others.`,
      {
        errors: rowProblems(p.issues).map(({ pointer, detail }) => ({ pointer, detail })),
        counts: countsOf(p),
      },
    );

  if (opts.dryRun) {
    const p = await buildPreview(db, table, mapping, ctx);
    return report(p, null, true);
  }
  let checked: Preview | null = null;
  try {
    const result = await commitDeviceImport(db, {
      ...ctx,
      check: async (trx) => {
        const p = await buildPreview(trx, table, mapping, ctx);
        if (!opts.skipInvalid && p.counts.rejected > 0) throw new RowsRejected(p);
        checked = p;
        return p;
      },
      fileName: `API push with token "${auth.tokenName}"`,
      userId: auth.user.id,
    });
    return report(checked!, result.runId, false);
  } catch (e) {
    if (e instanceof RowsRejected) throw refused(e.preview);
    throw e;
  }
}

// ------------------------------------------------------------------ telephony

const TELEPHONY_FIELDS = Object.keys(TelephonyEditSchema.shape).filter((k) => k !== "version");

/** Corrects the current telephony system: the stored values, overlaid with the body, through the edit form's schema. */
export async function updateTelephony(db: Db, auth: ApiAuth, ods: string, body: z.infer<typeof TelephonyUpdateBody>) {
  const current = await getCurrentSystem(db, ods);
  const raw: Record<string, string> = {};
  for (const f of TELEPHONY_FIELDS) {
    const given = (body as Record<string, unknown>)[f];
    raw[f] = asText(given !== undefined ? given : (current as Record<string, unknown>)[f]);
  }
  raw.version = String(body.version);
  const parsed = TelephonyEditSchema.safeParse(raw);
  if (!parsed.success)
    throw new ApiProblem(400, "Some values are not valid. Nothing was changed.", { errors: zodProblems(parsed.error.issues) });
  const after = await updateCurrentSystem(db, auth.user.id, ods, parsed.data);
  return { current: telephonyOut(after) };
}

// ------------------------------------------------------------------ digital services

/** Changes some digital services: the rest are sent as stored, so the form's save skips them. */
export async function updateDigitalServices(db: Db, auth: ApiAuth, ods: string, body: z.infer<typeof DigitalServicesUpdateBody>) {
  const { all } = await getServicesPage(db, ods);
  const input: Record<string, Record<string, string>> = {};
  for (const s of all) {
    const change = (body.services as Record<string, Record<string, unknown> | undefined>)[s.key] ?? {};
    const pick = (f: "status" | "supplier" | "since_date" | "notes") => asText(change[f] !== undefined ? change[f] : s[f]);
    input[s.key] = {
      status: pick("status"),
      supplier: pick("supplier"),
      since_date: pick("since_date"),
      notes: pick("notes"),
      version: String(change.version ?? s.version),
    };
  }
  const parsed = DigitalServicesSchema.safeParse(input);
  if (!parsed.success)
    throw new ApiProblem(400, "Some values are not valid. Nothing was changed.", { errors: zodProblems(parsed.error.issues, "/services") });
  const result = await saveServices(db, auth.user.id, ods, parsed.data as never);
  return { changed: result.changed };
}
