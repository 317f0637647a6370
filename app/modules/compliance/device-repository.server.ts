import { sql } from "kysely";
import type { Db } from "#db/connect";
import { DEVICE_RECORD_COLUMNS, type DeviceRecord } from "~/modules/catalogue/rule-types";

/** A device as the rules read it, with its practice (the rows are grouped by practice later). */
export type DeviceRow = DeviceRecord & { practice_code: string };

/** Separates the fields of one device in the compact read: the ASCII unit separator. */
const SEP = "\x1f";

/**
 * The devices the rules read, in the plain form: one column per field. Used when a device's
 * compact row cannot be split safely (below), and by the test that holds the two forms equal.
 */
export function loadDeviceRowsPlain(db: Db, codes: string[]): Promise<DeviceRow[]> {
  return db
    .selectFrom("device")
    .select(["practice_code", "id", ...DEVICE_RECORD_COLUMNS])
    .where("practice_code", "in", codes)
    .where("status", "!=", "disposed")
    .orderBy("practice_code")
    .orderBy("id")
    .execute();
}

// Every device field in the order of the compact row, after the count of nulls: the id first
// (a number, so it can always be found), then the practice and the rules' columns.
const FIELDS = ["id", "practice_code", ...DEVICE_RECORD_COLUMNS] as const;
// The split below names each position: a column added to DEVICE_RECORD_COLUMNS must be added
// there too, and this stops every read until it is (the tests fail at once).
const EXPECTED =
  "site_code asset_tag serial_number device_type make model status os_family os_edition os_version purchase_date warranty_end funded_by managed encrypted antivirus_up_to_date last_patched patch_released tpm_version cpu_model cpu_generation ram_gb esu_years";
if (DEVICE_RECORD_COLUMNS.join(" ") !== EXPECTED)
  throw new Error("DEVICE_RECORD_COLUMNS changed: update loadDeviceRows (device-repository.server.ts).");
// Joined with `||`, not concat_ws: concat_ws takes "any" and looks up each argument's output
// function on every row, which doubled PostgreSQL's CPU for this read.
const ROW_SQL = sql.raw(
  [`num_nulls(${FIELDS.join(", ")})::text`, ...FIELDS.map((f) => `coalesce(${f}::text, '')`)].join(" || E'\\x1f' || "),
);

const text = (v: string) => (v === "" ? null : v);
const int = (v: string) => (v === "" ? null : Number(v));
// `boolean::text` is "true" or "false" (the wire form is "t" or "f").
const bool = (v: string) => (v === "" ? null : v === "true");

/**
 * The devices of these practices, in the order and with the values and types of
 * `loadDeviceRowsPlain`, read as one text per device (issue 12). A national re-evaluation reads
 * 363,000 devices of 25 fields: the driver makes a string for every field it receives (9 million),
 * which cost more of Node's CPU than anything else in reading; one text per device, split here,
 * costs about a third of that, and PostgreSQL's side is the same (the same output functions).
 *
 * A null is sent as an empty field, with the row's count of nulls first, so a row is taken only
 * when its empty fields are exactly its nulls and it has exactly as many fields as asked for:
 * text that is empty but not null, or holds the separator, makes the chunk fall back to the plain
 * read (never seen in real registers, but the rules must see the same values either way).
 */
export async function loadDeviceRows(db: Db, codes: string[]): Promise<DeviceRow[]> {
  const { rows } = await sql<{ d: string }>`select ${ROW_SQL} as d from device
    where practice_code in (${sql.join(codes)}) and status <> 'disposed' order by practice_code, id`.execute(db);
  const out: DeviceRow[] = new Array(rows.length);
  for (let i = 0; i < rows.length; i++) {
    const v = rows[i].d.split(SEP);
    if (v.length !== FIELDS.length + 1) return loadDeviceRowsPlain(db, codes);
    let empty = 0;
    for (let k = 1; k < v.length; k++) if (v[k] === "") empty++;
    if (empty !== Number(v[0])) return loadDeviceRowsPlain(db, codes);
    // The same keys in the same order as the plain read's rows (practice_code, id, then
    // DEVICE_RECORD_COLUMNS), so anything that lists a device's fields sees no difference.
    out[i] = {
      practice_code: v[2],
      id: Number(v[1]),
      site_code: text(v[3]),
      asset_tag: text(v[4]),
      serial_number: text(v[5]),
      device_type: v[6],
      make: text(v[7]),
      model: text(v[8]),
      status: v[9] as DeviceRow["status"],
      os_family: text(v[10]),
      os_edition: text(v[11]),
      os_version: text(v[12]),
      purchase_date: text(v[13]),
      warranty_end: text(v[14]),
      funded_by: text(v[15]) as DeviceRow["funded_by"],
      managed: bool(v[16]),
      encrypted: bool(v[17]),
      antivirus_up_to_date: bool(v[18]),
      last_patched: text(v[19]),
      patch_released: text(v[20]),
      tpm_version: text(v[21]) as DeviceRow["tpm_version"],
      cpu_model: text(v[22]),
      cpu_generation: int(v[23]),
      ram_gb: int(v[24]),
      esu_years: int(v[25]),
    };
  }
  return out;
}
