import type { KyselyPlugin } from "kysely";
import { expect } from "vitest";
import type { Db } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { seedEstate } from "~/modules/seed/estate.server";
import { getDb, getDbHandle, setDbHandle } from "~/utils/db.server";
import { ensureLifecycleSeed } from "../support/estate-seed";
import { createUser } from "../support/factories";
import { call, cookieFor, get } from "../support/requests";

/**
 * Two ICBs that differ only in size: QSM with 10 practices in one PCN and QBG with 100 in
 * another, each practice with a main site and synthetic estate from the demo generator. The
 * first practice of each ICB is small (list 2,000) or large (list 40,000), so a practice page
 * can be compared across a tenfold difference in devices too.
 */
export const SMALL = { icb: "QSM", pcn: "U90001", practices: 10, first: "S00001" };
export const LARGE = { icb: "QBG", pcn: "U90002", practices: 100, first: "L00001" };

export async function seedTwoSizes() {
  const db = getDb();
  await ensureLifecycleSeed(db);
  await db.insertInto("region").values({ code: "Y99", name: "Test region" }).execute();
  for (const [s, prefix, list] of [
    [SMALL, "S", 2000],
    [LARGE, "L", 40000],
  ] as const) {
    await db
      .insertInto("icb")
      .values({ code: s.icb, name: `Test ICB ${s.icb}`, region_code: "Y99" })
      .execute();
    await db
      .insertInto("sub_icb")
      .values({ code: `${s.icb}1`, name: `Sub-ICB of ${s.icb}`, icb_code: s.icb })
      .execute();
    await db
      .insertInto("pcn")
      .values({
        code: s.pcn,
        name: `PCN of ${s.icb}`,
        sub_icb_code: `${s.icb}1`,
        open_date: "2019-07-01",
        close_date: null,
        address: null,
        postcode: null,
      })
      .execute();
    const codes = Array.from({ length: s.practices }, (_, i) => `${prefix}${String(i + 1).padStart(5, "0")}`);
    await db
      .insertInto("practice")
      .values(
        codes.map((ods_code, i) => ({
          ods_code,
          name: `Practice ${ods_code}`,
          address: null,
          postcode: null,
          phone: null,
          status: "A",
          open_date: "2000-01-01",
          close_date: null,
          prescribing_setting: 4,
          country: "England",
          region_code: "Y99",
          icb_code: s.icb,
          sub_icb_code: `${s.icb}1`,
          pcn_code: s.pcn,
          clinical_system: "EMIS",
          clinical_system_detail: null,
          clinical_system_source: null,
          list_size: i === 0 ? list : 6000 + i * 10,
          list_size_date: "2026-04-01",
        })),
      )
      .execute();
    await db
      .insertInto("site")
      .values(
        codes.map((code) => ({
          code,
          practice_code: code,
          kind: "main" as const,
          name: `${code} surgery`,
          address: null,
          postcode: null,
          phone: null,
          open_date: null,
          close_date: null,
        })),
      )
      .execute();
    await seedEstate(db, codes);
    await evaluateScope(db, { icb: s.icb }, new Date().toISOString().slice(0, 10));
  }
  await createUser(db, { email: "qc-admin@test.nhs.test", memberships: [{ role: "admin" }] });
  return cookieFor("qc-admin@test.nhs.test");
}

export async function deviceCount(ods: string) {
  const r = await getDb()
    .selectFrom("device")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("practice_code", "=", ods)
    .executeTakeFirstOrThrow();
  return Number(r.n);
}

type Loader = (args: any) => unknown;

/**
 * Loads a page through its loader with every SQL statement counted (raw SQL and statements
 * inside transactions included), after one uncounted load so one-off work such as the
 * catalogue check does not count.
 */
/** A handle on `db` that counts every statement it sends (raw SQL and statements in transactions included). */
export function countingDb(db: Db) {
  const counter = { n: 0 };
  const plugin: KyselyPlugin = {
    transformQuery(args) {
      counter.n++;
      return args.node;
    },
    async transformResult(args) {
      return args.result;
    },
  };
  return { db: db.withPlugin(plugin) as Db, counter };
}

/** Statements the second of two loads sends; `beforeCounted` runs between them (to empty a cache, say). */
export async function statementsFor(
  loader: Loader,
  path: string,
  params: Record<string, string>,
  cookie: string,
  beforeCounted?: () => void,
) {
  const original = getDbHandle();
  const first = await call(loader, get(path, cookie), params);
  expect(first.status, `${path} should load`).toBe(200);
  beforeCounted?.();
  const { db, counter } = countingDb(original.db);
  setDbHandle({ ...original, db });
  try {
    const r = await call(loader, get(path, cookie), params);
    expect(r.status, `${path} should load`).toBe(200);
  } finally {
    setDbHandle(original);
  }
  if (process.env.QUERY_COUNT_DEBUG) console.log(path, counter.n);
  return counter.n;
}
