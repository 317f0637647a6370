import { DEVICE_COLUMNS, DEVICE_LABELS, DEVICE_STATUSES, DEVICE_TYPES, type DeviceInput } from "~/modules/devices/schema";
import { parseOsName, type OsIdentity } from "~/modules/os-lifecycle/parse";
import { supportStatus, type LifecycleRow } from "~/modules/os-lifecycle/support";
import { formatDate } from "~/utils/format";
import { controlCharacterProblem } from "~/utils/control-characters";
import { scopeCoversPractice, type Scope } from "~/utils/permissions";
import type { ImportTarget, Mapping, MappedRecord } from "./map";
import {
  canonicalOsFamily,
  checkInDay,
  deviceToText,
  inferDeviceType,
  normaliseBoolean,
  normaliseCompliance,
  normaliseDeviceType,
  normaliseFunder,
  normaliseManaged,
  normaliseOwnership,
  normaliseStatus,
  normaliseTpm,
  stripTime,
  stripUnit,
  unguardFormula,
  type DeviceValues,
} from "./values";
import { COMPLIANCE_STATES, OWNERSHIPS } from "~/modules/devices/schema";
import { isDottedBuild, versionProblem, windowsFromBuild } from "./os-version";
import { groupProblems, type ProblemGroup } from "./problem-groups";
import { deviceRowParser } from "./device-parse";
import { isValueColumn, mappingKey, recognised, valueKey, type ValueColumn, type ValueFinding, type ValueMappings } from "./value-map";

/**
 * Checks every mapped row against DeviceInputSchema and the register, and sorts it: create,
 * update, unchanged or rejected. Pure: the caller loads practices, sites and devices first
 * (a few set-based queries), so the preview and the commit run exactly the same checks.
 */

export type DeviceField = Exclude<(typeof DEVICE_COLUMNS)[number], "practice_ods_code">;
export const DEVICE_FIELDS = DEVICE_COLUMNS.filter((c) => c !== "practice_ods_code") as DeviceField[];

export type ExistingDevice = DeviceValues & { id: number; version: number; practice_code: string };
export type RowAction = "create" | "update" | "unchanged";
export interface RowIssue {
  row: number;
  column: string;
  message: string;
}
export type { ProblemGroup };
export interface ValidRow {
  row: number;
  practice_code: string;
  action: RowAction;
  data: DeviceInput;
  existing: ExistingDevice | null;
  changed: DeviceField[];
}
export interface EditionAssumption {
  icbCode: string | null;
  /** The edition assumed, or null: not known, judged on the Home and Pro dates. */
  edition: string | null;
  devices: number;
  /** The sentence in `assumptions`. */
  text: string;
}

export interface Preview {
  rowsRead: number;
  counts: Record<RowAction | "rejected", number>;
  valid: ValidRow[];
  /** Every problem found, in row order (a row may have several). */
  issues: RowIssue[];
  /** Not errors: facts worth a second look in rows that will be written. */
  warnings: RowIssue[];
  /** Notes about the whole file (e.g. a default applied). */
  notes: string[];
  /** The problems grouped by kind, most rows first ("304 rows: Type "Desktops" is not recognised"). */
  groups: ProblemGroup[];
  /** What was assumed where the file says nothing, each named with how many rows it touched. */
  assumptions: string[];
  /**
   * The Windows edition each ICB's rows were judged on where neither file nor register gives one:
   * the ICB's default (policy default_os_edition), or null for "not known" (Home and Pro dates).
   * Each is also in `assumptions`; the page offers to change the ICB's default beside it.
   */
  editions?: EditionAssumption[];
  /** Replace mode only: the practice's devices missing from the file, retired on import. */
  retire?: RetireRow[];
  /** Distinct values of enumerated columns not recognised, or mapped by the importer's saved choice, most rows first. */
  values?: ValueFinding[];
}

export interface ValidationContext {
  mapping: Mapping;
  /** Who is importing: estate.icb:write scope. */
  scope: Scope;
  /** Set when importing from one practice's page. */
  fixedPractice: string | null;
  practices: Map<string, { ods_code: string; icb_code: string | null }>;
  /** Sites per practice code. */
  sites: Map<string, { code: string; name: string }[]>;
  devices: ExistingDevice[];
  lifecycle: Map<string, LifecycleRow>;
  asOf: string;
  /** The file is the fixed practice's whole inventory: its devices the file does not name are retired. */
  replace?: boolean;
  /** The importer's saved value choices (value-map.ts), applied before the row checks. */
  valueMappings?: ValueMappings;
  /** The rows were placed by device-name prefix rules (prefix-rules.ts): a row with no practice matched none. */
  byPrefix?: boolean;
  /** ICB code → the Windows edition it assumes when neither file nor register gives one (policy default_os_edition). */
  editionDefaults?: Map<string, string>;
}

/** Distinct values tracked for the check page's value mapping; more are still row errors. */
export const VALUE_FINDINGS_MAX = 500;

/** A device a "replace this practice's inventory" import retires: at the practice, not disposed, not in the file. */
export interface RetireRow {
  id: number;
  version: number;
  practice_code: string;
  asset_tag: string | null;
  serial_number: string | null;
  device_name: string | null;
  device_type: string;
  status: string;
  make: string | null;
  model: string | null;
}

/** Fields that record something that has happened, so cannot be later than today. */
const PAST_FIELDS = ["purchase_date", "last_patched", "last_seen", "disposed_date"] as const;

const OS_FIELDS = ["os_family", "os_edition", "os_version", "os_build"] as const;
const DATE_FIELDS = new Set(["purchase_date", "warranty_end", "last_patched", "patch_released", "disposed_date"]);
const BOOL_FIELDS = new Set(["managed", "encrypted", "antivirus_up_to_date"]);

/** Practice codes the rows name (upper case), or the fixed practice. */
export function practiceCodesOf(records: MappedRecord[], fixedPractice: string | null): string[] {
  const codes = new Set<string>();
  if (fixedPractice) codes.add(fixedPractice);
  for (const r of records) {
    const c = r.values.practice_ods_code?.trim().toUpperCase();
    if (c) codes.add(c);
  }
  return [...codes];
}

function normaliseValue(target: ImportTarget, raw: string): string {
  const v = unguardFormula(raw).trim();
  if (v === "") return "";
  if (target === "device_type") return normaliseDeviceType(v);
  if (target === "managed") return normaliseManaged(v);
  if (target === "ownership") return normaliseOwnership(v);
  if (target === "compliance") return normaliseCompliance(v);
  if (target === "last_seen") return checkInDay(v);
  if (target === "status") return normaliseStatus(v);
  if (target === "funded_by") return normaliseFunder(v);
  if (target === "tpm_version") return normaliseTpm(v);
  if (target === "ram_gb") return stripUnit(v, /\s*gb$/i);
  if (target === "cpu_generation") return stripUnit(v, /(st|nd|rd|th)?(\s*gen(eration)?)?$/i);
  if (DATE_FIELDS.has(target)) return stripTime(v);
  if (BOOL_FIELDS.has(target)) return normaliseBoolean(v);
  return v;
}

const same = (a: unknown, b: unknown) => (a ?? null) === (b ?? null);

/** Inventory files repeat a handful of OS names thousands of times: read each once. */
function osReader() {
  const cache = new Map<string, OsIdentity | null>();
  return (raw: string) => {
    let os = cache.get(raw);
    if (os === undefined) {
      os = parseOsName(raw);
      cache.set(raw, os);
    }
    return os;
  };
}

export function validateRecords(records: MappedRecord[], ctx: ValidationContext): Preview {
  const header = new Map<ImportTarget, string>();
  for (const m of ctx.mapping) if (m.target) header.set(m.target, m.header);
  const mapped = (t: ImportTarget) => header.has(t);
  const osFrom = (f: DeviceField) => (mapped(f) ? f : mapped("os_name") && (OS_FIELDS as readonly string[]).includes(f) ? "os_name" : f);
  const columnName = (f: string) => header.get(osFrom(f as DeviceField) as ImportTarget) ?? DEVICE_LABELS[f] ?? f;

  // Existing devices per practice, by lower-case asset tag and serial number.
  const byTag = new Map<string, ExistingDevice>();
  const bySerial = new Map<string, ExistingDevice>();
  for (const d of ctx.devices) {
    if (d.asset_tag) byTag.set(`${d.practice_code}|${String(d.asset_tag).toLowerCase()}`, d);
    if (d.serial_number) bySerial.set(`${d.practice_code}|${String(d.serial_number).toLowerCase()}`, d);
  }
  const sitesByKey = new Map<string, Map<string, string>>();
  for (const [code, sites] of ctx.sites) {
    const m = new Map<string, string>();
    for (const s of sites) {
      m.set(s.name.trim().toLowerCase(), s.code);
      m.set(s.code.toLowerCase(), s.code);
    }
    sitesByKey.set(code, m);
  }

  const readOs = osReader();
  const parseDevice = deviceRowParser();
  const firstTag = new Map<string, number>();
  const firstSerial = new Map<string, number>();
  const claimed = new Map<number, number>();
  const preview: Preview = {
    rowsRead: records.length,
    counts: { create: 0, update: 0, unchanged: 0, rejected: 0 },
    valid: [],
    issues: [],
    warnings: [],
    notes: [],
    groups: [],
    assumptions: [],
  };
  // Counted for the preview's named assumptions: Windows devices with no edition, by ICB and the edition assumed.
  const noEdition = new Map<string, { icbCode: string | null; edition: string | null; devices: number }>();
  const valueFindings = new Map<string, ValueFinding>();
  const noteValue = (column: ValueColumn, practice: string, source: string, mappedTo: string | null) => {
    const text = unguardFormula(source).trim();
    const key = valueKey(text);
    const id = mappingKey(column, practice, key);
    const found = valueFindings.get(id);
    if (found) found.rows++;
    else if (valueFindings.size < VALUE_FINDINGS_MAX)
      valueFindings.set(id, {
        column,
        header: header.get(column) ?? column,
        practice: column === "site_code" ? practice : "",
        key,
        source: text,
        rows: 1,
        mappedTo,
      });
  };
  let inferredType = 0;
  const onlySiteUsed = new Map<string, number>();
  if (!mapped("status"))
    preview.notes.push("The file has no status column: new devices will be recorded as in use, and existing devices keep their status.");

  for (const rec of records) {
    const errors: RowIssue[] = [];
    const err = (field: string, message: string) => errors.push({ row: rec.row, column: columnName(field), message });
    const raw = (t: ImportTarget) => normaliseValue(t, rec.values[t] ?? "");
    // A NUL or other control character cannot be stored: the row is refused here, at preview,
    // so the commit never meets it.
    for (const [t, v] of Object.entries(rec.values)) {
      const problem = v ? controlCharacterProblem(v) : null;
      if (problem) err(t, problem);
    }

    // Practice: from the row, or the practice page the upload started from.
    const rowCode = raw("practice_ods_code").toUpperCase();
    const code = rowCode || ctx.fixedPractice || "";
    let practiceOk = false;
    if (!code) {
      err(
        "practice_ods_code",
        ctx.byPrefix
          ? `No device-name prefix you gave matches ${rec.values.device_name?.trim() ? `"${rec.values.device_name.trim()}"` : "this row (it has no device name)"}: add a prefix for it, or a practice code column`
          : mapped("practice_ods_code")
            ? "Enter the practice ODS code"
            : "The file has no practice code column: choose the practice it is for when you upload it (on the command line, --practice ODS)",
      );
    } else if (ctx.fixedPractice && rowCode && rowCode !== ctx.fixedPractice) {
      err("practice_ods_code", `This row is for practice ${rowCode}, but you are importing into practice ${ctx.fixedPractice}`);
    } else {
      const practice = ctx.practices.get(code);
      if (!practice) err("practice_ods_code", `No practice has ODS code ${code}`);
      else if (!scopeCoversPractice(ctx.scope, practice)) err("practice_ods_code", `You cannot change devices for practice ${code}`);
      else practiceOk = true;
    }

    // The same device twice in one file: the second one is refused.
    let duplicateInFile = false;
    const tag = mapped("asset_tag") ? raw("asset_tag") : "";
    const serial = mapped("serial_number") ? raw("serial_number") : "";
    for (const [value, seen, field, label] of [
      [tag, firstTag, "asset_tag", "Asset tag"],
      [serial, firstSerial, "serial_number", "Serial number"],
    ] as const) {
      if (!value) continue;
      const key = `${code}|${value.toLowerCase()}`;
      const first = seen.get(key);
      if (first !== undefined) {
        err(field, `${label} ${value} appears more than once in this file (rows ${first} and ${rec.row})`);
        duplicateInFile = true;
      } else seen.set(key, rec.row);
    }

    // Match a device at the practice: asset tag first, then serial number.
    let existing: ExistingDevice | null = null;
    if (practiceOk && !duplicateInFile) {
      existing = (tag && byTag.get(`${code}|${tag.toLowerCase()}`)) || (serial && bySerial.get(`${code}|${serial.toLowerCase()}`)) || null;
      if (existing) {
        const other = claimed.get(existing.id);
        if (other !== undefined)
          err(tag ? "asset_tag" : "serial_number", `This row and row ${other} are the same device. Keep one of them.`);
        else claimed.set(existing.id, rec.row);
      }
    }

    // Start from the stored device (columns the file does not have stay as they are), then the file's values.
    const input: Record<string, string> = existing ? deviceToText(existing) : {};
    if (!existing && !mapped("status")) input.status = "in_use";
    // A value the importer mapped (and saved) is read as the value chosen, through the same checks.
    const mappedValues = new Set<string>();
    const fileValue = (f: DeviceField) => {
      const v = rec.values[f] ?? "";
      if (ctx.valueMappings?.size && isValueColumn(f) && v.trim()) {
        const to = ctx.valueMappings.get(mappingKey(f, code, valueKey(unguardFormula(v))));
        if (to !== undefined) {
          noteValue(f, code, v, to);
          mappedValues.add(f);
          return normaliseValue(f, to);
        }
      }
      return raw(f);
    };
    for (const f of DEVICE_FIELDS) if (mapped(f)) input[f] = fileValue(f);
    if (mapped("os_family") && input.os_family && !canonicalOsFamily(input.os_family)) {
      // A full OS name in the family column: read it the same way.
      const os = readOs(input.os_family);
      if (os) {
        input.os_family = os.family;
        input.os_edition ||= os.edition ?? "";
        input.os_version ||= os.version ?? "";
        input.os_build ||= os.build ?? "";
      }
    } else if (input.os_family) input.os_family = canonicalOsFamily(input.os_family) ?? input.os_family;
    if (mapped("os_name")) {
      const name = raw("os_name");
      const os = readOs(name);
      // Intune's OS column holds just "Windows", "iOS", "macOS": the family, or (Windows) decided by the build below.
      const family = os?.family === "Other" ? (canonicalOsFamily(name) ?? (/^windows$/i.test(name) ? "" : os.family)) : os?.family;
      const parsed = { os_family: family, os_edition: os?.edition, os_version: os?.version, os_build: os?.build };
      for (const f of OS_FIELDS) if (!(mapped(f) && input[f])) input[f] = parsed[f] ?? "";
    }
    // "OS version" as device management reports it: a build string (10.0.26100.3476) gives the
    // family and release; a version that cannot be one is refused rather than stored as "Other".
    if (mapped("os_version") && input.os_version) {
      const name = mapped("os_name") ? raw("os_name") : "";
      const windows =
        /windows/i.test(name) || (input.os_family ?? "").startsWith("Windows") || (!input.os_family && /^10\.0\./.test(input.os_version));
      if (windows && isDottedBuild(input.os_version)) {
        const server = /server/i.test(name) || input.os_family === "Windows Server";
        const reading = windowsFromBuild(input.os_version, server);
        if (reading.ok) {
          input.os_family = reading.family;
          input.os_version = reading.version;
          input.os_build = reading.build;
        } else err("os_version", reading.message);
      } else {
        const problem = versionProblem(input.os_family || (windows ? "Windows" : ""), input.os_version);
        if (problem) err("os_version", problem);
      }
    }
    // An edition the file leaves blank (Intune's SkuFamily often is) is kept from the register when
    // the family is the same: blank there means "not reported", and wiping it would judge an
    // Enterprise device on Home and Pro dates.
    if (!input.os_edition && existing?.os_edition && existing.os_family === input.os_family) input.os_edition = String(existing.os_edition);
    // Intune's SkuFamily says "Professional" where the lifecycle table says Pro.
    if (input.os_edition && /^professional$/i.test(input.os_edition.trim())) input.os_edition = "Pro";
    // Still none: the ICB's own assumption, if it has made one (named on the preview, with a way to change it).
    const icbCode = ctx.practices.get(code)?.icb_code ?? null;
    const assumedEdition =
      !input.os_edition && (input.os_family === "Windows 10" || input.os_family === "Windows 11")
        ? (ctx.editionDefaults?.get(icbCode ?? "") ?? null)
        : undefined;
    if (assumedEdition) input.os_edition = assumedEdition;
    // An edition the lifecycle table does not name is kept, but offered for mapping.
    if (mapped("os_edition") && input.os_edition && !mappedValues.has("os_edition") && !recognised("os_edition", input.os_edition))
      noteValue("os_edition", code, rec.values.os_edition ?? "", null);

    // A new device with no type: its operating system or model range may say (an assumption, named on the preview).
    if (!existing && !input.device_type) {
      const guess = inferDeviceType(input.os_family, input.model);
      if (guess) {
        input.device_type = guess;
        inferredType++;
      }
    }

    // A site may be written as its code or its name; it is stored as the code.
    if (practiceOk && mapped("site_code") && input.site_code) {
      const site = sitesByKey.get(code)?.get(input.site_code.toLowerCase());
      if (site) input.site_code = site;
      else {
        if (!mappedValues.has("site_code")) noteValue("site_code", code, rec.values.site_code ?? "", null);
        const known = (ctx.sites.get(code) ?? []).map((s) => s.code);
        err(
          "site_code",
          `Site ${input.site_code} is not one of practice ${code}'s sites${known.length ? ` (${known.slice(0, 6).join(", ")})` : ""}`,
        );
        input.site_code = "";
      }
    }

    // A new device at a practice with one site is at that site.
    if (practiceOk && !existing && !input.site_code) {
      const only = ctx.sites.get(code);
      if (only?.length === 1) {
        input.site_code = only[0].code;
        onlySiteUsed.set(only[0].code, (onlySiteUsed.get(only[0].code) ?? 0) + 1);
      }
    }

    const parsed = parseDevice(input);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? "asset_tag");
        // A file's own word for an enumerated value: offered for mapping on the check page.
        if (isValueColumn(field) && field !== "site_code" && mapped(field) && !mappedValues.has(field) && (rec.values[field] ?? "").trim())
          noteValue(field, code, rec.values[field] ?? "", null);
        let message = issue.message;
        if (field === "device_type") {
          message = input.device_type
            ? `Type "${input.device_type}" is not recognised. Use one of: ${Object.values(DEVICE_TYPES).join(", ")}`
            : mapped("device_type")
              ? "Enter the type of device"
              : "A new device needs a type: add a type column to the file";
        } else if (field === "status" && input.status) {
          message = `Status "${input.status}" is not recognised. Use one of: ${Object.values(DEVICE_STATUSES).join(", ")}`;
        } else if (field === "managed" && input.managed) {
          message = `Managed by "${input.managed}" is not recognised. Use Intune, Co-managed, ConfigMgr, yes or no`;
        } else if (field === "ownership" && input.ownership) {
          message = `Ownership "${input.ownership}" is not recognised. Use one of: ${Object.values(OWNERSHIPS).join(", ")}`;
        } else if (field === "compliance" && input.compliance) {
          message = `Compliance "${input.compliance}" is not recognised. Use one of: Compliant, Noncompliant, In grace period, Conflict, Error, ConfigMgr, Unknown (${Object.keys(COMPLIANCE_STATES).length} states)`;
        }
        err(field, message);
      }
    }

    const data: DeviceInput | null = parsed.success ? parsed.data : null;
    if (data) {
      for (const f of PAST_FIELDS) {
        const v = data[f];
        if (v && v > ctx.asOf && (mapped(f) || !existing))
          err(f, `${DEVICE_LABELS[f]} ${formatDate(v)} is in the future: it must be today or earlier`);
      }
    }
    if (data && practiceOk) {
      // A changed tag or serial must not take another device's.
      for (const [field, index, label] of [
        ["asset_tag", byTag, "Asset tag"],
        ["serial_number", bySerial, "Serial number"],
      ] as const) {
        const value = data[field];
        const owner = value ? index.get(`${code}|${value.toLowerCase()}`) : undefined;
        if (owner && existing && owner.id !== existing.id) {
          err(
            field,
            `${label} ${value} already belongs to another device at practice ${code}${owner.asset_tag ? ` (asset tag ${owner.asset_tag})` : ""}`,
          );
        }
      }
    }

    if (errors.length || !data || !practiceOk) {
      preview.issues.push(...errors);
      preview.counts.rejected++;
      continue;
    }
    const changed = existing ? DEVICE_FIELDS.filter((f) => !same(existing[f], data[f])) : [];
    const action: RowAction = !existing ? "create" : changed.length ? "update" : "unchanged";
    preview.counts[action]++;
    preview.valid.push({ row: rec.row, practice_code: code, action, data, existing, changed });
    if (assumedEdition !== undefined) {
      const key = `${icbCode ?? ""} ${assumedEdition ?? ""}`;
      const n = noEdition.get(key) ?? { icbCode, edition: assumedEdition, devices: 0 };
      n.devices++;
      noEdition.set(key, n);
    }

    if (action !== "unchanged") {
      if (data.warranty_end && data.warranty_end < ctx.asOf && data.status !== "disposed") {
        preview.warnings.push({
          row: rec.row,
          column: columnName("warranty_end"),
          message: `Warranty ended on ${formatDate(data.warranty_end)}`,
        });
      }
      if (data.os_family && supportStatus(data, ctx.lifecycle, ctx.asOf).state === "unknown") {
        const os = [data.os_family, data.os_edition, data.os_version].filter(Boolean).join(" ");
        preview.warnings.push({
          row: rec.row,
          column: columnName("os_family"),
          message: `${os} is not in the OS lifecycle table, so its end of support is not known`,
        });
      }
    }
  }
  preview.groups = groupProblems(preview.issues);
  preview.values = [...valueFindings.values()].sort(
    (a, b) => b.rows - a.rows || a.column.localeCompare(b.column) || a.key.localeCompare(b.key),
  );
  if (ctx.replace && ctx.fixedPractice) {
    // Every device the file names (even on a rejected row) stays; the rest of the practice's are retired.
    preview.retire = ctx.devices
      .filter((d) => d.practice_code === ctx.fixedPractice && d.status !== "disposed" && !claimed.has(d.id))
      .map((d) => ({
        id: d.id,
        version: d.version,
        practice_code: d.practice_code,
        asset_tag: (d.asset_tag as string | null) ?? null,
        serial_number: (d.serial_number as string | null) ?? null,
        device_name: (d.device_name as string | null) ?? null,
        device_type: String(d.device_type),
        status: String(d.status),
        make: (d.make as string | null) ?? null,
        model: (d.model as string | null) ?? null,
      }));
  }
  if (inferredType) {
    preview.assumptions.push(
      `Type not in the file for ${inferredType} new ${inferredType === 1 ? "device" : "devices"}: worked out from the operating system (iPhone and Android: mobile phone; iPad: tablet) or the model's range (Latitude, ThinkPad, EliteBook: laptop; OptiPlex, ThinkCentre, EliteDesk: desktop).`,
    );
  }
  for (const [site, n] of onlySiteUsed) {
    preview.assumptions.push(
      `Site not in the file for ${n} new ${n === 1 ? "device" : "devices"}: recorded at the practice's only site (${site}).`,
    );
  }
  preview.editions = [...noEdition.values()]
    .sort((a, b) => (a.icbCode ?? "").localeCompare(b.icbCode ?? "") || (a.edition ?? "").localeCompare(b.edition ?? ""))
    .map((e) => ({ ...e, text: editionAssumption(e.devices, e.edition, e.icbCode) }));
  preview.assumptions.push(...preview.editions.map((e) => e.text));
  return preview;
}

/** The sentence naming an edition assumption ("Edition not in the file for 12 Windows devices: assumed Enterprise, …"). */
function editionAssumption(devices: number, edition: string | null, icbCode: string | null) {
  const what = `Edition not in the file for ${devices} Windows ${devices === 1 ? "device" : "devices"}`;
  const icb = icbCode ? `the ICB's (${icbCode})` : "the";
  if (edition) return `${what}: assumed ${edition}, ${icb} default.`;
  return `${what}: judged on the Home and Pro end of support dates, the shorter ones, as ${icb} default says the edition is not known (no reference says NHS practices' devices run Enterprise). If they run Enterprise or Education, add Intune's SkuFamily column or an Edition column to the file, or change the default.`;
}
