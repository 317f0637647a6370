import { sql, type Kysely } from "kysely";

/**
 * Supplier contracts (issue 15 item 4): what a practice, or an ICB for its practices, has bought
 * from whom, under which framework, from when to when, with its notice period, annual cost (pence,
 * ex VAT) and who pays. A contract belongs to exactly one practice or one ICB; `holder` is that
 * code (practice ODS codes and ICB codes never coincide), so the contract reference is unique per
 * holder and supplier and a file imported twice adds nothing. `ended_on` is set when a contract is
 * ended before (or on) its end date; `version` guards edits made from a stale page.
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table supplier_contract (
      id bigserial primary key,
      practice_code text references practice (ods_code),
      icb_code text references icb (code),
      holder text generated always as (coalesce(practice_code, icb_code)) stored,
      supplier text not null check (length(supplier) between 1 and 120),
      category text not null check (category in ('telephony', 'clinical_system', 'online_consultation', 'connectivity', 'support', 'other')),
      service text check (length(service) <= 200),
      framework text check (framework in ('better_purchasing_framework', 'digital_care_services', 'tech_innovation_framework', 'gp_it_futures', 'other')),
      starts_on date not null,
      ends_on date not null,
      notice_months integer not null default 0 check (notice_months between 0 and 60),
      annual_cost_pence bigint not null check (annual_cost_pence >= 0),
      paid_by text not null check (paid_by in ('icb', 'practice', 'other')),
      reference text not null check (length(reference) between 1 and 60),
      ended_on date,
      version integer not null default 1,
      source_file text,
      source_date date,
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      check ((practice_code is null) <> (icb_code is null)),
      check (ends_on >= starts_on),
      check (ended_on is null or ended_on >= starts_on)
    )`.execute(db);
  await sql`create unique index supplier_contract_key on supplier_contract (holder, lower(supplier), lower(reference))`.execute(db);
  await sql`create index supplier_contract_practice_idx on supplier_contract (practice_code, ends_on) where practice_code is not null`.execute(
    db,
  );
  await sql`create index supplier_contract_icb_idx on supplier_contract (icb_code, ends_on) where icb_code is not null`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`drop table if exists supplier_contract`.execute(db);
}
