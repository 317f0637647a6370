import { randomUUID } from "node:crypto";
import type { Db } from "#db/connect";
import { indexLifecycle } from "~/modules/os-lifecycle/support";
import { OdsCodeSchema } from "~/modules/org/schema";
import { badRequest, forbidden, notFound } from "~/utils/errors";
import { scopeCoversIcb, scopeCoversPractice, scopeFor, type MembershipLike, type Scope } from "~/utils/permissions";
import {
  applyMapping,
  autoMap,
  isImportTarget,
  mappingProblems,
  notImportedReason,
  toSavedMapping,
  type MappedRecord,
  type Mapping,
} from "./map";
import { parseUpload, type ParsedTable } from "./parse.server";
import * as repo from "./repository.server";
import { checkKey, forgetCheck, hashOf, keepCheck, keptPracticeCodes, recallCheck } from "./check-cache.server";
import { forgetParsed, keepParsed, recallParsed } from "./parsed-cache.server";
import { practiceCodesOf, validateRecords, type Preview, type RowAction } from "./validate";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { recordAudit } from "~/modules/audit/repository.server";
import { searchPractices } from "~/modules/org/repository.server";
import { allowedValues, BLANK_CHOICE, type ValueMappings } from "./value-map";
import { VALUE_CHOICES_MAX, valueMappingsFor } from "./value-mapping.server";
import { impactPreview } from "./impact.server";
import { policyValueSchema } from "~/modules/catalogue/policy";
import { parsePrefixRules, placeByPrefix, StoredPrefixRules, type PrefixRule } from "./prefix-rules";

/** The steps of a device import shared by the web pages and the command line. */

export const KIND = "devices";

export interface ImportContext {
  scope: Scope;
  fixedPractice: string | null;
  asOf: string;
  /** The file is the fixed practice's whole inventory: devices missing from it are retired. */
  replace?: boolean;
  /** The importer's saved value choices (value-mapping.server.ts). */
  valueMappings?: ValueMappings;
  /** Device-name prefix → practice rules placing rows that name no practice (prefix-rules.ts). */
  prefixRules?: PrefixRule[];
}

/** Saved value choices in a stable order, for the check cache's key. */
const valuesForKey = (m: ValueMappings | undefined) => (m?.size ? [...m.entries()].sort(([a], [b]) => a.localeCompare(b)) : undefined);

type CheckInputs = Awaited<ReturnType<typeof loadCheckInputs>>;

/**
 * The register rows a check reads, in a stable order: the practices the file names; for those the
 * importer may change, their sites and devices (rows for other practices are refused); and the OS
 * lifecycle table. With `digest`, also a digest of those devices worked out by the database, which
 * the check cache compares instead of the rows (see inputsHash); without `devices`, only the digest.
 */
async function loadCheckInputs(db: Db, codes: string[], scope: Scope, opts: { devices: boolean; digest: boolean }) {
  const practices = await repo.loadPractices(db, codes);
  const allowed = practices.filter((p) => scopeCoversPractice(scope, p)).map((p) => p.ods_code);
  const icbs = [...new Set(practices.map((p) => p.icb_code).filter((c): c is string => !!c))].sort();
  // The digest is read before the devices, never after: a device changed between the two reads
  // leaves a kept check whose digest is older than its rows, so the import checks the file again.
  const digestThenDevices = async () => {
    const devicesDigest = opts.digest ? await repo.devicesDigest(db, allowed) : "";
    return { devicesDigest, devices: opts.devices ? await repo.loadDevices(db, allowed) : [] };
  };
  const [sites, { devicesDigest, devices }, lifecycle, editionDefaults] = await Promise.all([
    repo.loadSites(db, allowed),
    digestThenDevices(),
    repo.loadLifecycle(db),
    repo.loadEditionDefaults(db, icbs),
  ]);
  return { practices, sites, devices, devicesDigest, lifecycle, editionDefaults };
}

/**
 * What a kept check is compared on (check-cache.server.ts): every register row it read, except
 * the devices, for which their digest stands. The import then reads one digest rather than every
 * device of the practices again (29,795 for the benchmark's 500 practices).
 */
const inputsHash = ({ devices, ...rest }: CheckInputs) => hashOf(rest);

function checkRecords(records: MappedRecord[], mapping: Mapping, ctx: ImportContext, inputs: CheckInputs): Preview {
  const sitesByPractice = new Map<string, { code: string; name: string }[]>();
  for (const s of inputs.sites) {
    const list = sitesByPractice.get(s.practice_code) ?? [];
    list.push({ code: s.code, name: s.name });
    sitesByPractice.set(s.practice_code, list);
  }
  return validateRecords(records, {
    mapping,
    scope: ctx.scope,
    fixedPractice: ctx.fixedPractice,
    practices: new Map(inputs.practices.map((p) => [p.ods_code, p])),
    sites: sitesByPractice,
    devices: inputs.devices,
    lifecycle: indexLifecycle(inputs.lifecycle),
    asOf: ctx.asOf,
    replace: ctx.replace,
    valueMappings: ctx.valueMappings,
    byPrefix: !!ctx.prefixRules?.length,
    editionDefaults: editionDefaultsOf(inputs.editionDefaults),
  });
}

/** Each ICB's assumed edition, where it set one (a stored value that no longer validates is ignored, as on the policy page). */
function editionDefaultsOf(rows: { icb_code: string; value: unknown }[]) {
  const out = new Map<string, string>();
  for (const r of rows) {
    const v = policyValueSchema("default_os_edition").safeParse(r.value);
    if (v.success && v.data !== "not_known") out.set(r.icb_code, String(v.data));
  }
  return out;
}

/** Parse, map and check a file against the register as it is in `db` (a transaction during commit). */
export async function buildPreview(db: Db, table: ParsedTable, mapping: Mapping, ctx: ImportContext): Promise<Preview> {
  const records = placeByPrefix(applyMapping(table.rows, mapping), ctx.prefixRules);
  const inputs = await loadCheckInputs(db, practiceCodesOf(records, ctx.fixedPractice), ctx.scope, { devices: true, digest: false });
  return checkRecords(records, mapping, ctx, inputs);
}

/**
 * Checks a stored upload against the register as it is in `db`, reusing this process's last
 * check of the same upload when none of its inputs changed (see check-cache.server.ts). The
 * file is parsed only when the rows have to be checked again.
 */
export async function checkUpload(
  db: Db,
  upload: { id: string; content: Uint8Array },
  mapping: Mapping,
  ctx: ImportContext,
  table: () => Promise<ParsedTable>,
): Promise<Preview> {
  const key = checkKey({
    content: upload.content,
    mapping,
    scope: ctx.scope,
    fixedPractice: ctx.fixedPractice,
    asOf: ctx.asOf,
    replace: ctx.replace,
    values: valuesForKey(ctx.valueMappings),
    prefixRules: ctx.prefixRules?.length ? ctx.prefixRules : undefined,
  });
  const keptCodes = keptPracticeCodes(upload.id, key);
  if (keptCodes) {
    const kept = recallCheck(upload.id, key, inputsHash(await loadCheckInputs(db, keptCodes, ctx.scope, { devices: false, digest: true })));
    if (kept) return kept;
  }
  const parsed = await table();
  if (mapping.length !== parsed.headers.length)
    throw badRequest("The columns chosen do not match this file's columns. Choose the columns again.");
  const records = placeByPrefix(applyMapping(parsed.rows, mapping), ctx.prefixRules);
  const codes = practiceCodesOf(records, ctx.fixedPractice);
  const inputs = await loadCheckInputs(db, codes, ctx.scope, { devices: true, digest: true });
  const preview = checkRecords(records, mapping, ctx, inputs);
  keepCheck(upload.id, key, inputsHash(inputs), codes, preview);
  return preview;
}

/** Checks a mapping read from a form against the file's headers. */
export function mappingFromForm(headers: string[], chosen: (string | null)[]): Mapping {
  return headers.map((header, i) => {
    const t = chosen[i];
    return { header, target: t && isImportTarget(t) ? t : null };
  });
}

// Uploads from the web pages.

export async function startUpload(
  db: Db,
  opts: { userId: number; fileName: string; content: Uint8Array; practiceCode: string | null; prefixRules?: PrefixRule[] },
) {
  const table = await parseUpload(opts.content);
  if (table.rows.length === 0) throw badRequest("The file has a header row but no rows of devices.");
  const saved = await repo.getSavedMapping(db, opts.userId, KIND);
  const mapping = autoMap(table.headers, saved);
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await repo.deleteStaleUploads(trx, opts.userId);
    await repo.createUpload(trx, {
      id,
      userId: opts.userId,
      kind: KIND,
      fileName: opts.fileName,
      content: opts.content,
      practiceCode: opts.practiceCode,
      mapping,
      prefixRules: opts.prefixRules?.length ? opts.prefixRules : null,
    });
    await recordAudit(trx, uploadEvent(id, KIND, opts, table));
  });
  // Its check page, next, reads the same rows.
  keepParsed(id, opts.content, table);
  return id;
}

/** The audit event for a stored upload: who sent which file, its size and rows (the content itself is not copied). */
export function uploadEvent(
  id: string,
  kind: string,
  opts: { userId: number; fileName: string; content: Uint8Array; practiceCode: string | null },
  table: ParsedTable,
) {
  return {
    userId: opts.userId,
    action: "import_upload.create",
    entityType: "import_upload",
    entityId: id,
    after: {
      kind,
      file_name: opts.fileName,
      bytes: opts.content.length,
      format: table.format,
      rows: table.rows.length,
      columns: table.headers.length,
      practice_code: opts.practiceCode,
    },
  };
}

const UPLOAD_GONE = "upload. It may have been imported already, or it was more than a day old";

/** 404 unless the upload exists and belongs to this user. */
export async function requireUpload(db: Db, id: string, userId: number) {
  if (!(await repo.uploadExists(db, id, userId, KIND))) throw notFound(UPLOAD_GONE);
}

/** A stored upload (404 unless it is this user's) with its file parsed only when first asked for. */
export async function openUpload(db: Db, id: string, userId: number) {
  const upload = await repo.getUpload(db, id, userId, KIND);
  if (!upload) throw notFound(UPLOAD_GONE);
  let parsed: Promise<ParsedTable> | null = null;
  const table = () =>
    (parsed ??= (async () => {
      const kept = recallParsed(upload.id, upload.content);
      if (kept) return kept;
      const fresh = await parseUpload(upload.content);
      keepParsed(upload.id, upload.content, fresh);
      return fresh;
    })());
  return { upload, table };
}

export async function loadUpload(db: Db, id: string, userId: number) {
  const { upload, table: parse } = await openUpload(db, id, userId);
  const table = await parse();
  const mapping = upload.mapping && upload.mapping.length === table.headers.length ? upload.mapping : autoMap(table.headers);
  return { upload, table, mapping };
}

/** Saves the uploader's mapping on the upload and remembers it for their next file. */
export async function chooseMapping(db: Db, id: string, userId: number, mapping: Mapping) {
  const problems = mappingProblems(mapping);
  if (problems.length) return { ok: false as const, problems };
  await db.transaction().execute(async (trx) => {
    await repo.setUploadMapping(trx, id, userId, mapping);
    const saved = await repo.getSavedMapping(trx, userId, KIND);
    const next = { ...saved, ...toSavedMapping(mapping) };
    await repo.saveMapping(trx, userId, KIND, next);
    await recordAudit(trx, {
      userId,
      action: "import_mapping.save",
      entityType: "import_mapping",
      entityId: `${userId}:${KIND}`,
      before: { mapping: saved },
      after: { mapping: next, upload: id },
    });
  });
  return { ok: true as const };
}

/**
 * The practice an upload starts from (`?practice=`): it must be one the user may change devices
 * for. Out of their read scope it does not exist for them (404); in view but not theirs to change, 403.
 */
export async function practiceForImport(db: Db, memberships: MembershipLike[], rawCode: string | null) {
  if (!rawCode) return null;
  const code = OdsCodeSchema.safeParse(rawCode);
  if (!code.success) throw notFound("practice");
  const practice = await repo.getPractice(db, code.data);
  if (!practice || !scopeCoversPractice(scopeFor(memberships, "org:read"), practice)) throw notFound("practice");
  if (!scopeCoversPractice(scopeFor(memberships, "estate.icb:write"), practice)) {
    throw forbidden(`You cannot change devices for practice ${practice.ods_code}.`);
  }
  return practice;
}

/**
 * The device-name prefix rules typed on the upload page, each naming a practice the user may change
 * devices for (as the practice chosen there must be). A bad line or practice is named by its line.
 */
export async function prefixRulesForImport(
  db: Db,
  memberships: MembershipLike[],
  text: string,
): Promise<{ ok: true; rules: PrefixRule[] } | { ok: false; message: string }> {
  const parsed = parsePrefixRules(text);
  if (!parsed.ok) return parsed;
  const read = scopeFor(memberships, "org:read");
  const write = scopeFor(memberships, "estate.icb:write");
  for (const code of [...new Set(parsed.rules.map((r) => r.practice_code))]) {
    const practice = await repo.getPractice(db, code);
    if (!practice || !scopeCoversPractice(read, practice)) return { ok: false, message: `No practice has ODS code ${code}` };
    if (!scopeCoversPractice(write, practice)) return { ok: false, message: `You cannot change devices for practice ${code}` };
  }
  return parsed;
}

export const CHOICES_SHOWN = 200;

/**
 * The practices a user may import devices into, for "Which practice is this file for?": those
 * their estate.icb:write scope covers, open ones only, optionally narrowed by a search on name,
 * ODS code or postcode. At most CHOICES_SHOWN, with the total so the page can ask for a search.
 */
export async function practiceChoices(db: Db, memberships: MembershipLike[], q: string) {
  const scope = scopeFor(memberships, "estate.icb:write");
  const { rows, total } = await searchPractices(db, scope, { q: q.trim().slice(0, 100), limit: CHOICES_SHOWN, offset: 0 });
  return { choices: rows.map((r) => ({ ods_code: r.ods_code, name: r.name, postcode: r.postcode })), total };
}

/** An import run, for the user who ran it (or an admin). */
export async function getRun(db: Db, runId: number, user: { id: number }, scope: Scope) {
  const run = Number.isSafeInteger(runId) ? await repo.getImportRun(db, runId) : undefined;
  if (!run || run.kind !== KIND || (!scope.all && run.user_id !== user.id)) throw notFound("import");
  const counts = run.counts as Record<string, unknown>;
  return {
    id: run.id,
    fileName: run.file_name,
    userName: run.user_name,
    actor: run.actor,
    startedAt: run.started_at.toISOString(),
    finishedAt: run.finished_at.toISOString(),
    counts: {
      rowsRead: Number(counts.rowsRead ?? 0),
      created: Number(counts.created ?? 0),
      updated: Number(counts.updated ?? 0),
      unchanged: Number(counts.unchanged ?? 0),
      rejected: Number(counts.rejected ?? 0),
    },
    /** Null unless the import replaced a practice's inventory. */
    retired: counts.retired === undefined ? null : Number(counts.retired),
    issues: (counts.issues as { row: number; column: string; message: string }[] | undefined) ?? [],
    practices: (counts.practices as string[] | undefined) ?? [],
    practiceCount: Number(counts.practiceCount ?? (counts.practices as string[] | undefined)?.length ?? 0),
  };
}

/** Today in England, `YYYY-MM-DD`: the as-of date for warranty and support warnings. */
export const todayAsOf = (now = new Date()) =>
  new Intl.DateTimeFormat("en-CA", { timeZone: "Europe/London", year: "numeric", month: "2-digit", day: "2-digit" }).format(now);

const SAMPLE_ROWS = 10;
const WARNINGS_SHOWN = 100;
const GROUPS_SHOWN = 50;
const RETIRE_SHOWN = 50;

/** Everything the preview page shows, capped so a 50,000-row file still gives a small page. */
export async function uploadPreview(db: Db, id: string, user: { id: number; memberships: MembershipLike[] }, page: number) {
  const { upload, table, mapping } = await loadUpload(db, id, user.id);
  const practice = upload.practice_code ? ((await repo.getPractice(db, upload.practice_code)) ?? null) : null;
  const columns = mapping.map((m, i) => {
    const samples: string[] = [];
    for (const r of table.rows) {
      const v = (r.cells[i] ?? "").trim();
      if (v && !samples.includes(v)) samples.push(v.length > 40 ? `${v.slice(0, 39)}…` : v);
      if (samples.length === 3) break;
    }
    return { header: m.header || `Column ${i + 1}`, target: m.target, samples, notImported: m.target ? null : notImportedReason(m.header) };
  });
  const base = { id: upload.id, fileName: upload.file_name, format: table.format, practice, columns, rowsRead: table.rows.length };
  const problems = mappingProblems(mapping);
  if (problems.length) return { ...base, problems, preview: null };

  const ctx = {
    scope: scopeFor(user.memberships, "estate.icb:write"),
    fixedPractice: upload.practice_code,
    asOf: todayAsOf(),
    replace: upload.replace_inventory,
    valueMappings: await valueMappingsFor(db, user.id),
    prefixRules: StoredPrefixRules.parse(upload.prefix_rules ?? []),
  };
  const preview = await checkUpload(db, upload, mapping, ctx, async () => table);
  const values = await valueLines(db, preview);
  // Worked out only when the import would change something: what-if, in memory, nothing stored.
  const impact =
    preview.counts.create + preview.counts.update + (preview.retire?.length ?? 0) > 0 ? await impactPreview(db, preview, ctx.asOf) : null;
  const retire = preview.retire ?? [];
  const start = (page - 1) * PAGE_SIZE;
  const sample = (action: RowAction) =>
    preview.valid
      .filter((r) => r.action === action)
      .slice(0, SAMPLE_ROWS)
      .map((r) => ({
        row: r.row,
        practice_code: r.practice_code,
        asset_tag: r.data.asset_tag,
        serial_number: r.data.serial_number,
        device_type: r.data.device_type,
        make: r.data.make,
        model: r.data.model,
        changed: r.changed,
      }));
  return {
    ...base,
    problems,
    preview: {
      counts: preview.counts,
      notes: preview.notes,
      replace: upload.replace_inventory && !!upload.practice_code,
      retireCount: retire.length,
      retire: retire.slice(0, RETIRE_SHOWN),
      assumptions: preview.assumptions,
      // Each assumed edition is the ICB's setting: a link to it, to change (its digital lead) or to see.
      assumptionLinks: Object.fromEntries(
        (preview.editions ?? []).flatMap((e) =>
          e.icbCode
            ? [
                [
                  e.text,
                  {
                    href: `/icbs/${e.icbCode}/policy?edit=default_os_edition#edit-title`,
                    label: scopeCoversIcb(scopeFor(user.memberships, "policy:manage"), e.icbCode)
                      ? "Change the ICB's default"
                      : "See the ICB's default (its digital lead can change it)",
                  },
                ],
              ]
            : [],
        ),
      ) as Record<string, { href: string; label: string }>,
      prefixRules: ctx.prefixRules,
      groups: preview.groups.slice(0, GROUPS_SHOWN),
      groupCount: preview.groups.length,
      issues: toPage(preview.issues.slice(start, start + PAGE_SIZE), preview.issues.length, page),
      warnings: preview.warnings.slice(0, WARNINGS_SHOWN),
      warningCount: preview.warnings.length,
      samples: { create: sample("create"), update: sample("update"), unchanged: sample("unchanged") },
      values,
      impact,
    },
  };
}

/**
 * The check page's value lines: each distinct value not recognised (or mapped by a saved choice)
 * with its row count and the values it may be mapped to; at most VALUE_CHOICES_MAX.
 */
async function valueLines(db: Db, preview: Preview) {
  const found = (preview.values ?? []).slice(0, VALUE_CHOICES_MAX);
  const sitePractices = [...new Set(found.filter((v) => v.column === "site_code").map((v) => v.practice))];
  const sites = await repo.loadSites(db, sitePractices);
  const lines = found.map((v) => ({
    ...v,
    options: Object.entries(
      allowedValues(
        v.column,
        sites.filter((s) => s.practice_code === v.practice),
      ),
    ).map(([value, label]) => ({
      value: value === "" ? BLANK_CHOICE : value,
      label,
    })),
  }));
  return { lines, total: preview.values?.length ?? 0 };
}

/**
 * Whether an upload for one practice is that practice's whole inventory. Only an upload with a
 * practice can be: a file for many practices never retires anything.
 */
export async function chooseReplace(db: Db, id: string, userId: number, replace: boolean) {
  const upload = await repo.getUpload(db, id, userId, KIND);
  if (!upload) throw notFound(UPLOAD_GONE);
  if (replace && !upload.practice_code)
    throw badRequest("Choose the practice this file is for before saying it is the practice's whole inventory.");
  await db.transaction().execute(async (trx) => {
    await repo.setUploadReplace(trx, id, userId, replace);
    await recordAudit(trx, {
      userId,
      action: "import_upload.mode",
      entityType: "import_upload",
      entityId: id,
      before: { replace_inventory: upload.replace_inventory },
      after: { replace_inventory: replace },
    });
  });
}

export async function cancelUpload(db: Db, id: string, userId: number) {
  await repo.deleteUpload(db, id, userId);
  forgetCheck(id);
  forgetParsed(id);
}
