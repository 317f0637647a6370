import { sql } from "kysely";
import type { Db } from "#db/connect";

/**
 * Figures worked out from the database and kept in it (table kept_figure, migration
 * 2026-12-05T02-00-00_kept_figures), so every server process, and the next one after a restart,
 * reuses them: the ICB dashboard's forecast share of each practice and figures of each ICB, and
 * each ICB's part of all of England. A row is read only under the exact key it was kept with.
 */
export type KeptKind = "forecast_part" | "icb_dashboard" | "england_part" | "gap_cube" | "sweep_claim";

/**
 * The kept figures (migration 2026-12-05T02-00-00_kept_figures) of `kind` whose owner and key
 * are both as asked: one statement for any number of owners. A row kept under another key (an
 * older date, stamp or code) is left out, so it is worked out again and replaced.
 */
export async function readKeptFigures(db: Db, kind: KeptKind, wanted: readonly { owner: string; key: string }[]) {
  const found = new Map<string, unknown>();
  if (wanted.length === 0) return found;
  const rows = await sql<{ owner: string; value: unknown }>`
    select k.owner, k.value
    from jsonb_to_recordset(${JSON.stringify(wanted)}::jsonb) as w(owner text, key text)
    join kept_figure k on k.kind = ${kind} and k.owner = w.owner and k.key = w.key`.execute(db);
  for (const r of rows.rows) found.set(r.owner, typeof r.value === "string" ? JSON.parse(r.value) : r.value);
  return found;
}

/**
 * Every owner's kept figure of `kind`, with the key it was kept under, whatever that key: for a
 * caller that can prove a figure kept under another key still holds (the dashboard's forecast
 * shares, kept on another day: dashboard/service.server.ts). Any other caller reads through
 * readKeptFigures, which returns a row only under the exact key asked for.
 */
export async function readKeptFiguresOf(db: Db, kind: KeptKind, owners: readonly string[]) {
  const found = new Map<string, { key: string; value: unknown }>();
  if (owners.length === 0) return found;
  const rows = await sql<{ owner: string; key: string; value: unknown }>`
    select k.owner, k.key, k.value from kept_figure k
    where k.kind = ${kind} and k.owner = any(string_to_array(${owners.join(",")}, ','))`.execute(db);
  for (const r of rows.rows) found.set(r.owner, { key: r.key, value: typeof r.value === "string" ? JSON.parse(r.value) : r.value });
  return found;
}

/** At most `limit` kept figures of `kind` whose key starts with `prefix` (such as a date) and that hold no `next` figure yet. */
export async function readKeptFiguresWithoutNext(db: Db, kind: KeptKind, prefix: string, limit: number) {
  const rows = await sql<{ owner: string; key: string; value: unknown }>`
    select k.owner, k.key, k.value from kept_figure k
    where k.kind = ${kind} and starts_with(k.key, ${prefix}) and k.value -> 'next' is null
    order by k.owner limit ${limit}`.execute(db);
  return rows.rows.map((r) => ({ ...r, value: typeof r.value === "string" ? JSON.parse(r.value) : r.value }));
}

/**
 * Adds to each kept figure a `next` one ({ key, value }: the figure worked out ahead, under the key
 * it will be asked for; null for none), where the row is still kept under `key`: a row replaced
 * meanwhile is left.
 */
export async function storeNextFigures(
  db: Db,
  kind: KeptKind,
  rows: readonly { owner: string; key: string; next: { key: string; value: unknown } | null }[],
) {
  for (let i = 0; i < rows.length; i += 500) {
    await sql`
      update kept_figure k set value = k.value || jsonb_build_object('next', x.next)
      from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 500))}::jsonb) as x(owner text, key text, next jsonb)
      where k.kind = ${kind} and k.owner = x.owner and k.key = x.key`.execute(db);
  }
}

/** Keeps figures (replacing each owner's row of that kind): one statement per 500 owners. */
export async function storeKeptFigures(db: Db, kind: KeptKind, unsorted: readonly { owner: string; key: string; value: unknown }[]) {
  // In owner order, so two processes storing the same owners lock their rows in the same order.
  const rows = [...unsorted].sort((a, b) => (a.owner < b.owner ? -1 : a.owner > b.owner ? 1 : 0));
  for (let i = 0; i < rows.length; i += 500) {
    await sql`
      insert into kept_figure (kind, owner, key, value)
      select ${kind}, x.owner, x.key, x.value from jsonb_to_recordset(${JSON.stringify(rows.slice(i, i + 500))}::jsonb) as x(owner text, key text, value jsonb)
      on conflict (kind, owner) do update set key = excluded.key, value = excluded.value, computed_at = now()`.execute(db);
  }
}

/**
 * Keeps `key` as the owner's row of `kind` unless the row already holds that key or a later one
 * (keys that sort in time order, such as "2026-12-07T05"), and says whether this call kept it. One
 * statement, with no transaction held after it: of several processes asking at once, the others
 * wait on the first one's row and then find its key not earlier than theirs, so exactly one is
 * told true. A row left by a process that died holds an earlier key than the next round's, so it
 * never stops that round (housekeeping's claims of a sweep round: housekeeping/schedule.server.ts).
 */
export async function claimKeptKey(db: Db, kind: KeptKind, owner: string, key: string, value: unknown) {
  const r = await sql<{ owner: string }>`
    insert into kept_figure (kind, owner, key, value) values (${kind}, ${owner}, ${key}, ${JSON.stringify(value)}::jsonb)
    on conflict (kind, owner) do update set key = excluded.key, value = excluded.value, computed_at = now()
    where kept_figure.key collate "C" < excluded.key collate "C"
    returning owner`.execute(db);
  return r.rows.length === 1;
}

/** Forgets every kept figure (tests and benchmarks that time the work from nothing). */
export async function forgetKeptFigures(db: Db) {
  await sql`delete from kept_figure`.execute(db);
}
