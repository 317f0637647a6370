import { sql, type Expression, type ExpressionBuilder, type SqlBool } from "kysely";
import type { Db } from "#db/connect";
import type { Database, DeviceTable } from "#db/types";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import type { Scope } from "~/utils/permissions";
import { englandChangeStamp, icbChangeStamps } from "~/utils/icb-cache.server";
import type { EstateDeviceFilters } from "./estate-list";

const SORT_COLUMN = {
  asset_tag: "d.asset_tag",
  practice: "d.practice_code",
  type: "d.device_type",
  purchase_date: "d.purchase_date",
  warranty_end: "d.warranty_end",
} as const;

const escapeLike = (s: string) => s.replace(/[\\%_]/g, (c) => `\\${c}`);

type Eb = ExpressionBuilder<Database & { d: DeviceTable }, "d">;

/** Every filter as one condition on `device as d`, the scope included. */
function conditions(eb: Eb, scope: Scope, f: EstateDeviceFilters, today: string): Expression<SqlBool> {
  const all: Expression<SqlBool>[] = [];
  if (!scope.all) {
    const { icbCodes, practiceCodes } = scope;
    all.push(
      eb("d.practice_code", "in", (sub) =>
        sub
          .selectFrom("practice")
          .select("ods_code")
          .where((p) =>
            p.or([
              ...(icbCodes.length ? [p("icb_code", "in", icbCodes)] : []),
              ...(practiceCodes.length ? [p("ods_code", "in", practiceCodes)] : []),
            ]),
          ),
      ),
    );
  }
  if (f.icb) all.push(eb("d.practice_code", "in", (sub) => sub.selectFrom("practice").select("ods_code").where("icb_code", "=", f.icb!)));
  if (f.practice) all.push(eb("d.practice_code", "=", f.practice));
  if (f.type) all.push(eb("d.device_type", "=", f.type));
  if (f.status === "current") all.push(eb("d.status", "<>", "disposed"));
  else if (f.status !== "all") all.push(eb("d.status", "=", f.status as DeviceTable["status"]));
  if (f.warranty === "expired") all.push(eb("d.warranty_end", "<", today));
  if (f.q) {
    const like = `%${escapeLike(f.q)}%`;
    all.push(eb.or(["d.asset_tag", "d.serial_number", "d.make", "d.model"].map((c) => eb(sql.ref(c), "ilike", like))));
  }
  return eb.and(all);
}

/**
 * One page of every device in a scope, filtered and sorted in the database: the page's 25 rows
 * (an index walk for the asset tag and warranty end orders, migration 2026-12-03T19-20-00) and the
 * total, counted once and kept while nothing in the scope changes (`deviceTotal`). Blanks sort
 * last either way; ties keep id order.
 */
export async function listEstateDevices(db: Db, scope: Scope, f: EstateDeviceFilters, today: string, page: number) {
  const column = sql.ref(SORT_COLUMN[f.sort]);
  const order = f.dir === "desc" ? sql`${column} desc nulls last, d.id` : sql`${column} asc nulls last, d.id`;
  const [rows, total] = await Promise.all([
    db
      .with("page", (w) =>
        w
          .selectFrom("device as d")
          .select("d.id")
          .where((eb) => conditions(eb, scope, f, today))
          .orderBy(order)
          .limit(PAGE_SIZE)
          .offset((page - 1) * PAGE_SIZE),
      )
      .selectFrom("page")
      .innerJoin("device as d", "d.id", "page.id")
      .innerJoin("practice as p", "p.ods_code", "d.practice_code")
      .select([
        "d.id",
        "d.practice_code",
        "p.name as practice_name",
        "p.icb_code",
        "d.asset_tag",
        "d.serial_number",
        "d.device_type",
        "d.make",
        "d.model",
        "d.status",
        "d.os_family",
        "d.os_edition",
        "d.os_version",
        "d.purchase_date",
        "d.warranty_end",
      ])
      .orderBy(order)
      .execute(),
    deviceTotal(db, scope, f, today),
  ]);
  return toPage(
    rows.map((r) => ({ ...r, warrantyExpired: r.warranty_end !== null && r.warranty_end < today })),
    total,
    page,
  );
}

/** Totals kept per scope and filter (the page and sort do not change them), at most this many. */
const MAX_TOTALS = 500;
const totals = new Map<string, { stamp: string; n: number }>();

/** For tests: forget the kept totals. */
export function clearDeviceTotals() {
  totals.clear();
}

/**
 * How many devices the filters select in the scope. Counting all of England's devices reads the
 * whole table (0.2 s on a busy machine), so for all of England or whole ICBs the count is kept on
 * their change stamps (device rows move them: migration 2026-12-03T14-30-00), read in one
 * statement; a practice user's count is small and always counted. The "warranty expired" filter
 * depends on the date, which is part of the key.
 */
async function deviceTotal(db: Db, scope: Scope, f: EstateDeviceFilters, today: string): Promise<number> {
  const count = async () =>
    Number(
      (
        await db
          .selectFrom("device as d")
          .select((eb) => eb.fn.countAll<number>().as("n"))
          .where((eb) => conditions(eb, scope, f, today))
          .executeTakeFirstOrThrow()
      ).n,
    );
  if (!scope.all && (scope.practiceCodes.length > 0 || scope.icbCodes.length === 0)) return count();
  const stamp = scope.all
    ? await englandChangeStamp(db)
    : [...(await icbChangeStamps(db, [...scope.icbCodes].sort()))].map(([c, v]) => `${c}=${v}`).join(";");
  const { sort: _sort, dir: _dir, ...filters } = f;
  const key = JSON.stringify([scope.all ? "*" : [...scope.icbCodes].sort(), filters, today]);
  const hit = totals.get(key);
  if (hit && hit.stamp === stamp) return hit.n;
  const n = await count();
  totals.delete(key);
  totals.set(key, { stamp, n });
  if (totals.size > MAX_TOTALS) totals.delete(totals.keys().next().value!);
  return n;
}

export type EstateDeviceRow = Awaited<ReturnType<typeof listEstateDevices>>["rows"][number];
