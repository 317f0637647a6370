import type { Db } from "#db/connect";
import type { Role } from "#db/types";
import { hashPassword } from "~/utils/password.server";

export const TEST_PASSWORD = "correct horse battery staple";
let passwordHash: Promise<string> | undefined;

/**
 * Two real ICBs with real practices (from ../shared/data): North East London (QMF) with two
 * practices in one PCN, and North East and North Cumbria (QHM) with one. Enough to prove scoping.
 */
export async function seedOrgs(db: Db) {
  await db
    .insertInto("region")
    .values([
      { code: "Y56", name: "London" },
      { code: "Y63", name: "North East and Yorkshire" },
    ])
    .execute();
  await db
    .insertInto("icb")
    .values([
      { code: "QMF", name: "NHS North East London Integrated Care Board", region_code: "Y56" },
      { code: "QHM", name: "NHS North East and North Cumbria Integrated Care Board", region_code: "Y63" },
    ])
    .execute();
  await db
    .insertInto("sub_icb")
    .values([
      { code: "A3A8R", name: "NHS North East London ICB - A3A8R", icb_code: "QMF" },
      { code: "16C", name: "NHS North East and North Cumbria ICB - 16C", icb_code: "QHM" },
    ])
    .execute();
  await db
    .insertInto("pcn")
    .values([
      {
        code: "U05451",
        name: "HACKNEY MARSHES PCN",
        sub_icb_code: "A3A8R",
        open_date: "2019-07-01",
        close_date: null,
        address: null,
        postcode: null,
      },
      {
        code: "U89141",
        name: "STOCKTON PCN",
        sub_icb_code: "16C",
        open_date: "2019-07-01",
        close_date: null,
        address: null,
        postcode: null,
      },
    ])
    .execute();
  const base = {
    status: "A",
    country: "England",
    prescribing_setting: 4,
    phone: null,
    open_date: "1974-04-01",
    close_date: null,
    clinical_system_detail: null,
    clinical_system_source: null,
    list_size_date: "2026-04-01",
  };
  await db
    .insertInto("practice")
    .values([
      {
        ...base,
        ods_code: "F84003",
        name: "LOWER CLAPTON GENERAL PRACTICE",
        address: "THE PORTICO, 34 LINSCOTT ROAD, LONDON",
        postcode: "E5 0RD",
        region_code: "Y56",
        icb_code: "QMF",
        sub_icb_code: "A3A8R",
        pcn_code: "U05451",
        clinical_system: "EMIS",
        list_size: 11000,
      },
      {
        ...base,
        ods_code: "F84013",
        name: "STAMFORD HILL GROUP PRACTICE",
        address: "LONDON",
        postcode: "N16 6UA",
        region_code: "Y56",
        icb_code: "QMF",
        sub_icb_code: "A3A8R",
        pcn_code: "U05451",
        clinical_system: "EMIS",
        list_size: 15000,
      },
      {
        ...base,
        ods_code: "A81001",
        name: "THE DENSHAM SURGERY",
        address: "THE HEALTH CENTRE, LAWSON STREET, STOCKTON ON TEES",
        postcode: "TS18 1HU",
        region_code: "Y63",
        icb_code: "QHM",
        sub_icb_code: "16C",
        pcn_code: "U89141",
        clinical_system: "TPP",
        list_size: 4000,
      },
    ])
    .execute();
}

export async function createUser(
  db: Db,
  opts: { email: string; name?: string; memberships: { role: Role; icb_code?: string; practice_code?: string }[]; active?: boolean },
) {
  passwordHash ??= hashPassword(TEST_PASSWORD);
  const user = await db
    .insertInto("app_user")
    .values({ email: opts.email, name: opts.name ?? opts.email, password_hash: await passwordHash, is_active: opts.active ?? true })
    .returning("id")
    .executeTakeFirstOrThrow();
  if (opts.memberships.length) {
    await db
      .insertInto("membership")
      .values(
        opts.memberships.map((m) => ({
          user_id: user.id,
          role: m.role,
          icb_code: m.icb_code ?? null,
          practice_code: m.practice_code ?? null,
        })),
      )
      .execute();
  }
  return user.id;
}

/** One user per role, as the scoping tests need them. */
export async function createRoleUsers(db: Db) {
  return {
    admin: await createUser(db, { email: "admin@test.nhs.test", memberships: [{ role: "admin" }] }),
    icbLead: await createUser(db, { email: "lead@test.nhs.test", memberships: [{ role: "icb_lead", icb_code: "QMF" }] }),
    partnerIcb: await createUser(db, { email: "dp@test.nhs.test", memberships: [{ role: "delivery_partner", icb_code: "QMF" }] }),
    partnerPractice: await createUser(db, {
      email: "dp2@test.nhs.test",
      memberships: [{ role: "delivery_partner", practice_code: "F84013" }],
    }),
    practiceManager: await createUser(db, {
      email: "pm@test.nhs.test",
      memberships: [{ role: "practice_manager", practice_code: "F84003" }],
    }),
    nobody: await createUser(db, { email: "none@test.nhs.test", memberships: [] }),
  };
}
