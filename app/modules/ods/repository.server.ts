import { sql, type Kysely, type Selectable } from "kysely";
import type { Db } from "#db/connect";
import type {
  IcbTable,
  PcnTable,
  PracticeListSizeTable,
  PracticePcnMembershipTable,
  PracticeTable,
  RegionTable,
  SiteTable,
  SubIcbTable,
} from "#db/types";
import type { OdsEntity } from "./types";

/** The columns an import owns in each table (database-generated ids and timestamps left out). */
export interface OdsRows {
  region: Selectable<RegionTable>;
  icb: Selectable<IcbTable>;
  sub_icb: Selectable<SubIcbTable>;
  pcn: Selectable<PcnTable>;
  practice: Omit<Selectable<PracticeTable>, "created_at" | "updated_at">;
  practice_pcn_membership: Omit<Selectable<PracticePcnMembershipTable>, "id">;
  practice_list_size: Selectable<PracticeListSizeTable>;
  /** Only the ODS facts: estate columns other modules add to site are never touched here. */
  site: Pick<
    Selectable<SiteTable>,
    "code" | "practice_code" | "kind" | "name" | "address" | "postcode" | "phone" | "open_date" | "close_date"
  >;
}

type PgType = "text" | "date" | "integer";

interface TableSpec {
  key: string[];
  /** Every managed column with its PostgreSQL type, for casts in bulk statements. */
  columns: Record<string, PgType>;
  /** A timestamp column to bump when a row really changes. */
  touch?: string;
  /** An optimistic-lock counter to increment, so a user's edit started before the import is refused as stale. */
  version?: string;
}

const T = "text" as const;
const D = "date" as const;
const I = "integer" as const;

const SPECS: Record<OdsEntity, TableSpec> = {
  region: { key: ["code"], columns: { code: T, name: T } },
  icb: { key: ["code"], columns: { code: T, name: T, region_code: T } },
  sub_icb: { key: ["code"], columns: { code: T, name: T, icb_code: T } },
  pcn: {
    key: ["code"],
    columns: { code: T, name: T, sub_icb_code: T, open_date: D, close_date: D, address: T, postcode: T },
  },
  practice: {
    key: ["ods_code"],
    columns: {
      ods_code: T,
      name: T,
      address: T,
      postcode: T,
      phone: T,
      status: T,
      open_date: D,
      close_date: D,
      prescribing_setting: I,
      country: T,
      region_code: T,
      icb_code: T,
      sub_icb_code: T,
      pcn_code: T,
      clinical_system: T,
      clinical_system_detail: T,
      clinical_system_source: T,
      list_size: I,
      list_size_date: D,
    },
    touch: "updated_at",
  },
  practice_pcn_membership: {
    key: ["practice_code", "pcn_code", "start_date"],
    columns: { practice_code: T, pcn_code: T, start_date: D, end_date: D },
  },
  practice_list_size: {
    key: ["practice_code", "extract_date"],
    columns: { practice_code: T, extract_date: D, patients: I },
  },
  site: {
    key: ["code"],
    columns: {
      code: T,
      practice_code: T,
      kind: T,
      name: T,
      address: T,
      postcode: T,
      phone: T,
      open_date: D,
      close_date: D,
    },
    version: "version",
  },
};

type AnyRow = Record<string, unknown>;
// Table names and columns here come from SPECS, never from input, so the untyped builder is safe.
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- table names come from SPECS (see above)
const untyped = (db: Db) => db as unknown as Kysely<any>;

/** Bind-parameter budget per statement: PostgreSQL allows 65,535; stay well under. */
const MAX_PARAMS = 30_000;
const chunkSize = (columns: number) => Math.max(1, Math.min(1000, Math.floor(MAX_PARAMS / columns)));

function chunks<R>(rows: R[], size: number): R[][] {
  const out: R[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

export function keyOf(entity: OdsEntity, row: AnyRow): string {
  return SPECS[entity].key.map((k) => String(row[k])).join("\u0000");
}

/** Existing rows for the given keys, in one query (composite keys matched through unnest). */
export async function loadByKeys<E extends OdsEntity>(db: Db, entity: E, keys: Partial<OdsRows[E]>[]): Promise<Map<string, OdsRows[E]>> {
  const spec = SPECS[entity];
  const found = new Map<string, OdsRows[E]>();
  if (keys.length === 0) return found;
  const arrays = spec.key.map((k) => sql`${keys.map((r) => (r as AnyRow)[k])}::${sql.raw(spec.columns[k])}[]`);
  const keyCols = sql.join(spec.key.map((k) => sql.ref(k)));
  const rows = await sql<AnyRow>`
    select ${sql.join(Object.keys(spec.columns).map((c) => sql.ref(c)))}
    from ${sql.table(entity)}
    where (${keyCols}) in (select * from unnest(${sql.join(arrays)}))`.execute(db);
  for (const row of rows.rows) found.set(keyOf(entity, row), row as OdsRows[E]);
  return found;
}

export async function insertRows<E extends OdsEntity>(db: Db, entity: E, rows: OdsRows[E][]) {
  const columns = Object.keys(SPECS[entity].columns);
  for (const part of chunks(rows, chunkSize(columns.length))) {
    const values = part.map((r) => Object.fromEntries(columns.map((c) => [c, (r as AnyRow)[c] ?? null])));
    await untyped(db).insertInto(entity).values(values).execute();
  }
}

/**
 * Rewrites the managed columns of existing rows with one `update ... from (values ...)` per
 * chunk, rather than a statement per row. Parameters arrive untyped, hence the casts.
 */
export async function updateRows<E extends OdsEntity>(db: Db, entity: E, rows: OdsRows[E][]) {
  const spec = SPECS[entity];
  const columns = Object.keys(spec.columns);
  const assign = columns.filter((c) => !spec.key.includes(c)).map((c) => sql`${sql.ref(c)} = v.${sql.ref(c)}::${sql.raw(spec.columns[c])}`);
  if (spec.touch) assign.push(sql`${sql.ref(spec.touch)} = now()`);
  if (spec.version) assign.push(sql`${sql.ref(spec.version)} = t.${sql.ref(spec.version)} + 1`);
  const match = sql.join(
    spec.key.map((k) => sql`t.${sql.ref(k)} = v.${sql.ref(k)}::${sql.raw(spec.columns[k])}`),
    sql` and `,
  );
  for (const part of chunks(rows, chunkSize(columns.length))) {
    const values = part.map((r) => sql`(${sql.join(columns.map((c) => (r as AnyRow)[c] ?? null))})`);
    await sql`
      update ${sql.table(entity)} as t set ${sql.join(assign)}
      from (values ${sql.join(values)}) as v(${sql.join(columns.map((c) => sql.ref(c)))})
      where ${match}`.execute(db);
  }
}

export interface RowChange<R> {
  key: string;
  row: R;
  before: Partial<R>;
  after: Partial<R>;
}

export interface SyncOutcome<R> {
  created: R[];
  updated: RowChange<R>[];
  unchanged: number;
}

/**
 * Brings a table in line with a batch: loads the rows the batch names in one query, lets `merge`
 * decide each desired row from (existing, input) — returning null leaves the row alone — then
 * inserts the new ones and updates only rows whose managed columns really differ.
 * Inputs naming the same key are merged in order, each seeing the previous result.
 */
export async function syncRows<E extends OdsEntity, In>(
  db: Db,
  entity: E,
  inputs: In[],
  keyFor: (input: In) => Partial<OdsRows[E]>,
  merge: (existing: OdsRows[E] | undefined, input: In) => OdsRows[E] | null,
): Promise<SyncOutcome<OdsRows[E]>> {
  const spec = SPECS[entity];
  const keys = new Map<string, Partial<OdsRows[E]>>();
  for (const input of inputs) {
    const key = keyFor(input);
    keys.set(keyOf(entity, key as AnyRow), key);
  }
  const existing = await loadByKeys(db, entity, [...keys.values()]);

  const desired = new Map<string, OdsRows[E]>();
  for (const input of inputs) {
    const k = keyOf(entity, keyFor(input) as AnyRow);
    const next = merge(desired.get(k) ?? existing.get(k), input);
    if (next) desired.set(k, next);
  }

  const outcome: SyncOutcome<OdsRows[E]> = { created: [], updated: [], unchanged: 0 };
  for (const [k, row] of desired) {
    const prev = existing.get(k);
    if (!prev) {
      outcome.created.push(row);
      continue;
    }
    const before: AnyRow = {};
    const after: AnyRow = {};
    for (const c of Object.keys(spec.columns)) {
      const a = (prev as AnyRow)[c] ?? null;
      const b = (row as AnyRow)[c] ?? null;
      if (a !== b) {
        before[c] = a;
        after[c] = b;
      }
    }
    if (Object.keys(after).length === 0) outcome.unchanged++;
    else outcome.updated.push({ key: k, row, before: before as Partial<OdsRows[E]>, after: after as Partial<OdsRows[E]> });
  }
  await insertRows(db, entity, outcome.created);
  await updateRows(
    db,
    entity,
    outcome.updated.map((u) => u.row),
  );
  return outcome;
}

/** Codes of practices already filed under one ICB (for restricting files with no ICB column). */
export async function practiceCodesInIcb(db: Db, icbCode: string): Promise<Set<string>> {
  const rows = await db.selectFrom("practice").select("ods_code").where("icb_code", "=", icbCode).execute();
  return new Set(rows.map((r) => r.ods_code));
}

export async function subIcbCodesInIcb(db: Db, icbCode: string): Promise<Set<string>> {
  const rows = await db.selectFrom("sub_icb").select("code").where("icb_code", "=", icbCode).execute();
  return new Set(rows.map((r) => r.code));
}

export async function insertImportRun(
  db: Db,
  run: { kind: string; fileName: string; userId: number | null; counts: unknown; startedAt: Date },
): Promise<number> {
  const row = await db
    .insertInto("import_run")
    .values({
      kind: run.kind,
      file_name: run.fileName,
      user_id: run.userId,
      counts: JSON.stringify(run.counts),
      started_at: run.startedAt,
    })
    .returning("id")
    .executeTakeFirstOrThrow();
  return row.id;
}
