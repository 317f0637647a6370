import { z } from "zod";
import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { forbidden, notFound } from "~/utils/errors";
import { scopeCoversPractice, scopeFor, type MembershipLike } from "~/utils/permissions";
import * as repo from "./repository.server";
import {
  allowedValues,
  BLANK_CHOICE,
  isValueColumn,
  mappingKey,
  VALUE_COLUMN_LABELS,
  VALUE_COLUMNS,
  valueKey,
  type ValueMappings,
} from "./value-map";

/**
 * An importer's value choices (value-map.ts): saved per user from the check page, applied to
 * every row of their files from then on, listed and deleted on their saved-choices page. A
 * choice is refused unless its value is one the column allows (a site: one of the practice's),
 * its practice is the upload's (or, for a file of many practices, one the user may change), and
 * the upload is the user's own. Every save and delete writes an audit event with the change.
 */

const KIND = "devices";
/** Distinct values one save may carry (the check page shows at most this many). */
export const VALUE_CHOICES_MAX = 200;

export const ValueChoiceSchema = z.object({
  column: z.enum(VALUE_COLUMNS),
  practice: z
    .string()
    .trim()
    .toUpperCase()
    .regex(/^([A-Z0-9]{3,10})?$/, "Practice code not valid"),
  source: z.string().trim().min(1).max(200),
  target: z.string().trim().max(60),
});
export type ValueChoice = z.infer<typeof ValueChoiceSchema>;

/** Reads `value-N-column`, `value-N-practice`, `value-N-source` and `value-N` from the check page's form. */
export function valueChoicesFromForm(form: FormData) {
  const n = Math.min(Number(form.get("value-count")) || 0, VALUE_CHOICES_MAX);
  const raw = Array.from({ length: n }, (_, i) => ({
    column: String(form.get(`value-${i}-column`) ?? ""),
    practice: String(form.get(`value-${i}-practice`) ?? ""),
    source: String(form.get(`value-${i}-source`) ?? ""),
    target: String(form.get(`value-${i}`) ?? ""),
  }));
  return z.array(ValueChoiceSchema).max(VALUE_CHOICES_MAX).safeParse(raw);
}

/** The user's saved choices, keyed as the check reads them. */
export async function valueMappingsFor(db: Db, userId: number): Promise<ValueMappings> {
  const rows = await repo.listValueMappings(db, userId);
  const out: ValueMappings = new Map();
  for (const r of rows)
    if (isValueColumn(r.column_name)) out.set(mappingKey(r.column_name, r.practice_code, r.source_value), r.target_value);
  return out;
}

/**
 * Saves the choices made on an upload's check page. A blank target ("leave as a row error")
 * forgets any saved choice for that value. Nothing is saved if any choice is refused.
 */
export async function saveValueChoices(
  db: Db,
  opts: { uploadId: string; user: { id: number; memberships: MembershipLike[] }; choices: ValueChoice[] },
): Promise<{ ok: true; saved: number; forgotten: number } | { ok: false; errors: Record<string, string> }> {
  const upload = await repo.getUpload(db, opts.uploadId, opts.user.id, KIND);
  if (!upload) throw notFound("upload");
  const scope = scopeFor(opts.user.memberships, "estate.icb:write");
  const errors: Record<string, string> = {};
  const practices = [...new Set(opts.choices.filter((c) => c.column === "site_code").map((c) => c.practice))];
  for (const code of practices) {
    if (!code) throw forbidden("A site can only be chosen for a practice.");
    if (upload.practice_code && code !== upload.practice_code)
      throw forbidden(`This file is for practice ${upload.practice_code}, not ${code}.`);
    const practice = await repo.getPractice(db, code);
    if (!practice || !scopeCoversPractice(scope, practice)) throw forbidden(`You cannot change devices for practice ${code}.`);
  }
  const sites = await repo.loadSites(db, practices);
  const save: { column: string; practice: string; key: string; label: string; target: string }[] = [];
  const forget: { column: string; practice: string; key: string }[] = [];
  opts.choices.forEach((c, i) => {
    if (c.column !== "site_code" && c.practice) throw forbidden("Only a site choice belongs to a practice.");
    const key = valueKey(c.source);
    const practice = c.column === "site_code" ? c.practice : "";
    // "" is "leave as a row error" (forget the choice); BLANK_CHOICE is the allowed value "not known".
    if (c.target === "") {
      forget.push({ column: c.column, practice, key });
      return;
    }
    const target = c.target === BLANK_CHOICE ? "" : c.target;
    const allowed = allowedValues(
      c.column,
      sites.filter((s) => s.practice_code === practice),
    );
    if (!Object.prototype.hasOwnProperty.call(allowed, target)) {
      errors[`value-${i}`] =
        `"${c.target}" is not one of the values allowed for ${VALUE_COLUMN_LABELS[c.column]}. Choose one from the list.`;
      return;
    }
    save.push({ column: c.column, practice, key, label: c.source, target });
  });
  if (Object.keys(errors).length) return { ok: false, errors };
  if (save.length === 0 && forget.length === 0) return { ok: true, saved: 0, forgotten: 0 };
  return db.transaction().execute(async (trx) => {
    const before = await repo.getValueMappings(trx, opts.user.id, [...save, ...forget]);
    await repo.upsertValueMappings(trx, opts.user.id, save);
    const gone = await repo.deleteValueMappings(trx, opts.user.id, forget);
    await recordAudit(trx, {
      userId: opts.user.id,
      action: "import_value_mapping.save",
      entityType: "import_value_mapping",
      entityId: String(opts.user.id),
      before: { choices: before.map(auditRow) },
      after: { choices: save.map((s) => ({ column: s.column, practice: s.practice, value: s.label, to: s.target })), upload: upload.id },
    });
    return { ok: true as const, saved: save.length, forgotten: gone.length };
  });
}

const auditRow = (r: repo.ValueMappingRow) => ({
  column: r.column_name,
  practice: r.practice_code,
  value: r.source_label,
  to: r.target_value,
});

/** The user's saved choices, labelled, for their saved-choices page. */
export async function listSavedValueChoices(db: Db, userId: number) {
  const rows = await repo.listValueMappings(db, userId);
  return rows.map((r) => {
    const column = isValueColumn(r.column_name) ? r.column_name : null;
    const labels = column && column !== "site_code" ? allowedValues(column) : {};
    return {
      id: r.id,
      column: column ? VALUE_COLUMN_LABELS[column] : r.column_name,
      practice: r.practice_code || null,
      source: r.source_label,
      target: labels[r.target_value] ?? r.target_value,
      updatedAt: r.updated_at.toISOString(),
    };
  });
}

/** Deletes one saved choice of the user's own: 404 for anyone else's (it does not exist for them). */
export async function deleteSavedValueChoice(db: Db, userId: number, id: number) {
  if (!Number.isSafeInteger(id) || id <= 0) throw notFound("saved choice");
  await db.transaction().execute(async (trx) => {
    const gone = await repo.deleteValueMappingById(trx, userId, id);
    if (!gone) throw notFound("saved choice");
    await recordAudit(trx, {
      userId,
      action: "import_value_mapping.delete",
      entityType: "import_value_mapping",
      entityId: String(id),
      before: auditRow(gone),
      after: null,
    });
  });
}
