import { z } from "zod";
import { DeviceFieldsSchema, DeviceInputSchema, refineDevice, type DeviceFields, type DeviceInput } from "~/modules/devices/schema";

/**
 * DeviceInputSchema.safeParse for an import's rows, cheaper: an import file repeats the same few
 * values in most columns (types, makes, models, OS names, dates), so each field's parse is
 * remembered by its value for the length of one check. Every field's schema reads its own value
 * and nothing else (no today's date, no other field: those checks are refineDevice's and the
 * importer's), so the same value always parses the same way.
 *
 * The result is DeviceInputSchema's own: a row whose fields all parse, and that passes the checks
 * across fields, gets the object zod would build; any other row is parsed again by
 * DeviceInputSchema itself, so every error message comes from the one schema, in its order.
 * test/unit/device-import-parse-memo.test.ts compares the two on generated rows.
 */

/**
 * The memo's bounds: values remembered per field and check (enough for an estate's types, makes,
 * models and most dates), and the longest value remembered (a category is short; a long value is
 * a note or a hostile file). At most 30 fields × 500 values of 64 characters, under 3 MB with the
 * maps, whatever the file; values beyond either bound are parsed as they come.
 */
export const FIELD_MEMO_MAX = 500;
export const MEMO_VALUE_MAX_LENGTH = 64;

type FieldResult = { ok: true; present: boolean; value: unknown } | { ok: false };
type Parsed = { success: true; data: DeviceInput } | { success: false; error: z.ZodError };

const FIELD_KEYS = Object.keys(DeviceFieldsSchema.shape) as (keyof DeviceFields)[];
const FIELD_SCHEMAS = FIELD_KEYS.map((k) => DeviceFieldsSchema.shape[k]);
/**
 * Each field as a one-key object, for a row without the key: zod decides per key whether an
 * absent one is kept, dropped or an error, and this asks it the same way the whole object does.
 */
const ONE_FIELD = FIELD_KEYS.map((k) => z.object({ [k]: DeviceFieldsSchema.shape[k] }));
/** The checks across fields alone, on values already parsed. */
const CROSS_FIELD = z.custom<DeviceFields>().superRefine(refineDevice);
const ABSENT = Symbol("absent");
type MemoKey = string | typeof ABSENT;

export function deviceRowParser(): (input: Record<string, unknown>) => Parsed {
  // One memo per field (by position in FIELD_KEYS), for this parser's life: one check of one file.
  const memos = FIELD_KEYS.map(() => new Map<MemoKey, FieldResult>());

  const parseField = (i: number, input: Record<string, unknown>): FieldResult => {
    const key = FIELD_KEYS[i];
    const value = input[key];
    const present = value !== undefined || key in input;
    const raw = present ? value : ABSENT;
    // Only short strings (and absence) are remembered: they are what an import row holds, and compare by value.
    const memo = (typeof raw === "string" && raw.length <= MEMO_VALUE_MAX_LENGTH) || raw === ABSENT ? memos[i] : null;
    const known = memo?.get(raw as MemoKey);
    if (known) return known;
    let result: FieldResult;
    if (present) {
      // A key given is kept by the object whatever its value, so its schema alone decides.
      const r = FIELD_SCHEMAS[i].safeParse(raw);
      result = r.success ? { ok: true, present: true, value: r.data } : { ok: false };
    } else {
      const r = ONE_FIELD[i].safeParse({});
      result = r.success ? { ok: true, present: key in r.data, value: (r.data as Record<string, unknown>)[key] } : { ok: false };
    }
    // The values are strings, numbers, booleans or null, so one result can be shared by many rows.
    if (memo && memo.size < FIELD_MEMO_MAX) memo.set(raw as MemoKey, result);
    return result;
  };

  return (input) => {
    const data: Record<string, unknown> = {};
    for (let i = 0; i < FIELD_KEYS.length; i++) {
      const r = parseField(i, input);
      // A field in error: the whole schema again, so the messages and their order are zod's own.
      if (!r.ok) return DeviceInputSchema.safeParse(input);
      if (r.present) data[FIELD_KEYS[i]] = r.value;
    }
    if (!CROSS_FIELD.safeParse(data).success) return DeviceInputSchema.safeParse(input);
    return { success: true, data: data as DeviceInput };
  };
}
