/**
 * Database-side pieces of `npm run bench`: what the dataset holds, the SQL floors (the minimal
 * SQL a page or a re-evaluation needs, timed at the database alone), and tidying up after the
 * import benchmark. Floors are hand-written here on purpose: they are the yardstick the
 * product's own queries are compared with, not a copy of them.
 */
import { sql } from "kysely";
import type { Db } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";

export const BENCH_ASSET_PREFIX = "BENCH-IMPORT-";

export interface Dataset {
  practices: number;
  devices: number;
  pcns: number;
  icbs: number;
  largestIcb: { code: string; name: string | null; practices: number; devices: number };
  /** The practice with the most devices in the largest ICB. */
  largestPractice: { ods_code: string; devices: number };
  /** The PCN with the most practices in the largest ICB. */
  largestPcn: { code: string; practices: number };
  /** A spread of the largest ICB's practices, for the load run. */
  samplePractices: string[];
  /** Practices the import benchmark writes to: spread across England. */
  importPractices: string[];
}

export async function describeDataset(db: Db): Promise<Dataset> {
  const totals = await sql<{ practices: number; devices: number; pcns: number; icbs: number }>`
    select
      (select count(*) from practice where status = 'A' and country = 'England') as practices,
      (select count(*) from device) as devices,
      (select count(*) from pcn where close_date is null) as pcns,
      (select count(distinct icb_code) from practice where status = 'A' and country = 'England') as icbs`.execute(db);
  const icb = await sql<{ code: string; name: string | null; practices: number }>`
    select i.code, i.name, count(*) as practices
    from practice p join icb i on i.code = p.icb_code
    where p.status = 'A' and p.country = 'England'
    group by i.code, i.name order by count(*) desc, i.code limit 1`.execute(db);
  if (!icb.rows[0]) throw new Error("The database holds no practices: run `npm run db:seed -- --national` first.");
  const code = icb.rows[0].code;
  const perPractice = await sql<{ ods_code: string; pcn_code: string | null; devices: number }>`
    select p.ods_code, p.pcn_code, count(d.id) as devices
    from practice p left join device d on d.practice_code = p.ods_code
    where p.icb_code = ${code} and p.status = 'A'
    group by p.ods_code, p.pcn_code order by p.ods_code`.execute(db);
  const rows = perPractice.rows;
  const largestPractice = rows.reduce((a, b) => (b.devices > a.devices ? b : a));
  const pcnCounts = new Map<string, number>();
  for (const r of rows) if (r.pcn_code) pcnCounts.set(r.pcn_code, (pcnCounts.get(r.pcn_code) ?? 0) + 1);
  const [pcnCode, pcnPractices] = [...pcnCounts.entries()].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))[0] ?? ["", 0];
  const step = Math.max(1, Math.floor(rows.length / 20));
  const all = (
    await db
      .selectFrom("practice")
      .select("ods_code")
      .where("status", "=", "A")
      .where("country", "=", "England")
      .orderBy("ods_code")
      .execute()
  ).map((r) => r.ods_code);
  const importCount = Math.min(500, all.length);
  return {
    ...totals.rows[0],
    largestIcb: { code, name: icb.rows[0].name, practices: icb.rows[0].practices, devices: rows.reduce((s, r) => s + r.devices, 0) },
    largestPractice: { ods_code: largestPractice.ods_code, devices: largestPractice.devices },
    largestPcn: { code: pcnCode, practices: pcnPractices },
    samplePractices: rows.filter((_, i) => i % step === 0).map((r) => r.ods_code),
    importPractices: Array.from({ length: importCount }, (_, i) => all[Math.floor((i * all.length) / importCount)]),
  };
}

/**
 * Floor for a re-evaluation: every row the rules read for the scope (practices, sites, current
 * devices, current telephony, digital services, and the outcomes in force), one plain statement
 * per table for the whole scope.
 */
export async function evaluationFloor(db: Db, icb: string | null, asOf: string) {
  const inScope =
    icb === null
      ? sql`select ods_code from practice where status = 'A'`
      : sql`select ods_code from practice where status = 'A' and icb_code = ${icb}`;
  await sql`select ods_code, name, icb_code, pcn_code, list_size, clinical_system from practice where ods_code in (${inScope})`.execute(db);
  await sql`select practice_code, code, name, kind, open_date, close_date, hscn_connected, bandwidth_mbps, resilient_line, wifi_staff,
              wifi_patient, comms_room_ok, ups_present, records_storage_m2, analogue_lines
            from site where practice_code in (${inScope})`.execute(db);
  await sql`select practice_code, id, site_code, asset_tag, serial_number, device_type, make, model, status, os_family, os_edition, os_version,
              purchase_date, warranty_end, funded_by, managed, encrypted, antivirus_up_to_date, last_patched, tpm_version, cpu_model,
              cpu_generation, ram_gb, esu_years
            from device where status <> 'disposed' and practice_code in (${inScope})`.execute(db);
  await sql`select * from telephony_system where is_current and practice_code in (${inScope})`.execute(db);
  await sql`select practice_code, id, service_key, status, supplier, since_date from digital_service where practice_code in (${inScope})`.execute(
    db,
  );
  await sql`select distinct on (practice_code, requirement_id) practice_code, requirement_id, as_of, outcome_hash
            from evaluation_result where as_of <= ${asOf} and practice_code in (${inScope})
            order by practice_code, requirement_id, as_of desc`.execute(db);
  // The tables the rules came to read after this floor was first written (paper, records,
  // DSPT, Cyber Essentials, cloud telephony data, verified answers): "every row the rules need"
  // includes them. Added in session 18; they are about 5% of the floor on the national dataset.
  await sql`select practice_code, id, site_code, period_start, period_end, sheets_printed, recycled_share_pct, letters_posted,
              sms_sent, nhs_app_messages, emails_sent
            from paper_activity where practice_code in (${inScope})`.execute(db);
  await sql`select practice_code, envelopes_on_site, envelopes_elsewhere, digitised, destroyed, new_envelopes_since_2021, supplier,
              supplier_approved, contract_start, contract_end, destruction_approved_on
            from lloyd_george_record where practice_code in (${inScope})`.execute(db);
  await sql`select practice_code, id, cycle, status, outcome, published_on from dspt_status where practice_code in (${inScope})`.execute(
    db,
  );
  await sql`select practice_code, id, level, certificate_number, certification_body, issued_on, expires_on
            from cyber_essentials_certificate where practice_code in (${inScope})`.execute(db);
  await sql`select practice_code, month, inbound, answered, callback_made from cbt_month where practice_code in (${inScope})`.execute(db);
  await sql`select p.ods_code, c.month from cbt_publication c join practice p on p.region_code = c.region_code
            where p.ods_code in (${inScope})`.execute(db);
  await sql`select a.practice_code, ans.requirement_id, ans.answer, ans.id, ans.reviewed_at
            from assessment_answer ans join assessment a on a.id = ans.assessment_id
            where ans.review_status = 'verified' and ans.answer is not null and a.practice_code in (${inScope})`.execute(db);
}

/** Floor for an ICB compliance page: the status in force of every requirement at every open practice, with weights. */
export async function icbPageFloor(db: Db, icb: string, asOf: string) {
  await sql`select l.practice_code, l.status, q.domain, q.weight from (
              select distinct on (r.practice_code, r.requirement_id) r.practice_code, r.requirement_id, r.status
              from evaluation_result r join practice p on p.ods_code = r.practice_code
              where p.icb_code = ${icb} and p.status = 'A' and r.as_of <= ${asOf}
              order by r.practice_code, r.requirement_id, r.as_of desc) l
            join requirement q on q.id = l.requirement_id`.execute(db);
}

/** Floor for a practice compliance page: the practice, and each requirement's result in force with its text. */
export async function practicePageFloor(db: Db, ods: string, asOf: string) {
  await sql`select * from practice where ods_code = ${ods}`.execute(db);
  await sql`select q.id, q.title, q.domain, q.category, q.funder, l.status, l.reason, l.evidence, l.units, l.as_of
            from requirement q left join (
              select distinct on (requirement_id) * from evaluation_result
              where practice_code = ${ods} and as_of <= ${asOf} order by requirement_id, as_of desc) l on l.requirement_id = q.id
            where q.retired_at is null order by q.sort_order`.execute(db);
}

/** Floor for the practice overview: the practice and its estate counted by kind. */
export async function practiceOverviewFloor(db: Db, ods: string) {
  await sql`select * from practice where ods_code = ${ods}`.execute(db);
  await sql`select device_type, count(*) from device where practice_code = ${ods} and status <> 'disposed' group by device_type`.execute(
    db,
  );
  await sql`select * from site where practice_code = ${ods}`.execute(db);
}

/**
 * Floor for one page of a device list: the 25 ids in order and how many match, in one pass
 * over the sort key alone (no other columns, no join).
 */
export async function deviceListFloor(
  db: Db,
  where: { practice?: string; type?: string },
  orderBy: "warranty_end" | "asset_tag",
  offset: number,
) {
  const filters = [sql`status <> 'disposed'`];
  if (where.practice) filters.push(sql`practice_code = ${where.practice}`);
  if (where.type) filters.push(sql`device_type = ${where.type}`);
  const cond = sql.join(filters, sql` and `);
  const order = orderBy === "warranty_end" ? sql`warranty_end asc nulls last, id` : sql`asset_tag asc nulls last, id`;
  await sql`select id, count(*) over () as total from device where ${cond} order by ${order} limit 25 offset ${offset}`.execute(db);
}

/** Removes what the import benchmark added and re-checks those practices, so the next run starts the same. */
export async function removeImportedDevices(db: Db, asOf: string) {
  const gone = await db.deleteFrom("device").where("asset_tag", "like", `${BENCH_ASSET_PREFIX}%`).returning("practice_code").execute();
  const practices = [...new Set(gone.map((r) => r.practice_code))];
  if (practices.length) await evaluateScope(db, { practices }, asOf);
  return { devices: gone.length, practices: practices.length };
}

/** A device CSV in the shape people export from their asset tools: `rows` new devices across `practices`. */
export function importCsv(rows: number, practices: string[]): Buffer {
  const lines = [
    "Practice Code;Asset No;Serial Number;Device Type;Manufacturer;Model;Operating System;Purchase Date;Warranty Expiry;Status;Encrypted;Last Patched;RAM (GB);Notes",
  ];
  for (let i = 0; i < rows; i++) {
    const laptop = i % 3 === 0;
    lines.push(
      [
        practices[i % practices.length],
        `${BENCH_ASSET_PREFIX}${i}`,
        `BSN${String(i * 7919).padStart(9, "0")}`,
        laptop ? "Laptop" : "Desktop",
        laptop ? "Lenovo" : "Dell",
        laptop ? "ThinkPad T14" : '"OptiPlex, 7090"',
        i % 5 === 0 ? "Microsoft Windows 10 Pro 10.0.19045" : "Microsoft Windows 11 Enterprise 10.0.22631",
        `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/2022`,
        `${String((i % 28) + 1).padStart(2, "0")}/0${(i % 9) + 1}/2027`,
        "In use",
        i % 2 ? "Y" : "N",
        "01/11/2026",
        String(8 * ((i % 4) + 1)),
        i % 10 === 0 ? '"Reception; desk 2"' : "",
      ].join(";"),
    );
  }
  return Buffer.from(lines.join("\r\n") + "\r\n");
}

/**
 * Floor for the ICB dashboard: the status in force on each of 13 dates counted by status and
 * weight (one pass over the change points), the open gaps with their units, the funding
 * requests summed by year and stage, and in-use devices counted by operating system. The
 * forecast is CPU work kept between loads, so it has no SQL floor (the benchmark times it apart).
 */
export async function dashboardFloor(db: Db, icb: string, dates: string[]) {
  await sql`with d as (select cast(x as date) as d from unnest(string_to_array(${dates.join(",")}, ',')) x),
              s as (select r.practice_code, r.requirement_id, r.status, r.as_of,
                           lead(r.as_of) over (partition by r.practice_code, r.requirement_id order by r.as_of) as until
                    from evaluation_result r join practice p on p.ods_code = r.practice_code
                    where p.icb_code = ${icb} and p.status = 'A')
            select d.d, s.status, q.weight, count(*) from d join s on s.as_of <= d.d and (s.until is null or s.until > d.d)
            join requirement q on q.id = s.requirement_id group by 1, 2, 3`.execute(db);
  await sql`select g.units, q.domain, g.deadline, p.list_size from gap g join practice p on p.ods_code = g.practice_code
            join requirement q on q.id = g.requirement_id where p.icb_code = ${icb} and g.status <> 'closed'`.execute(db);
  await sql`select financial_year, status, count(*), sum(amount_pence) from funding_request where icb_code = ${icb} group by 1, 2`.execute(
    db,
  );
  await sql`select p.pcn_code, d.os_family, d.os_edition, d.os_version, d.esu_years, count(*) from device d
            join practice p on p.ods_code = d.practice_code where p.icb_code = ${icb} and p.status = 'A' and d.status = 'in_use'
            group by 1, 2, 3, 4, 5`.execute(db);
}

/**
 * Floor for the gap register filtered to one PCN: the PCN's open gaps with their units, list
 * sizes and requirement facts, and the price list rows that can apply (costing and priority are
 * arithmetic on these rows).
 */
export async function gapRegisterFloor(db: Db, pcn: string) {
  await sql`select g.id, g.practice_code, g.requirement_id, g.status, g.result_status, g.reason, g.units, g.first_seen, g.deadline,
                   p.name, p.list_size, p.icb_code, q.title, q.domain, q.category, q.funder
            from gap g join practice p on p.ods_code = g.practice_code join requirement q on q.id = g.requirement_id
            where p.pcn_code = ${pcn} and g.status <> 'closed'`.execute(db);
  await sql`select * from price_list_entry where icb_code is null or icb_code in (select icb_code from practice where pcn_code = ${pcn})`.execute(
    db,
  );
}

/**
 * The device list's last page but one for in-use desktops (of one practice, or of England), the
 * "deep page" the benchmark and the load mix ask for.
 */
export async function deepDesktopPage(db: Db, practice?: string) {
  const { n } = await db
    .selectFrom("device")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .where("status", "<>", "disposed")
    .where("device_type", "=", "desktop")
    .$if(practice !== undefined, (q) => q.where("practice_code", "=", practice!))
    .executeTakeFirstOrThrow();
  return Math.max(1, Math.ceil(Number(n) / 25) - 1);
}
