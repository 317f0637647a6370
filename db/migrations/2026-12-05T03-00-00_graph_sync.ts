import { sql, type Kysely } from "kysely";

/**
 * Device management sync from Microsoft Graph / Intune (issue 15, item 1).
 *
 * - `graph_connection`: one app registration per ICB (its owner); the client secret is stored
 *   only encrypted (AES-256-GCM, key from GRAPH_SECRET_KEY: app/modules/device-sync/secret.server.ts).
 * - `graph_rule`: which practice a device belongs to, by device-name prefix or Entra group.
 * - `graph_sync_run`: every run with its counts, the per-device changes and the devices no rule mapped.
 *   Its job and import run are plain ids, not foreign keys: those rows may be cleared on their own.
 * - `graph_device_seen`: each Intune device the connection has seen, when it was last in the
 *   source, and since when it has been missing (devices are flagged, never deleted).
 */
export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create table graph_connection (
      id serial primary key,
      icb_code text not null references icb (code),
      name text not null check (length(name) between 1 and 100),
      tenant_id text not null,
      client_id text not null,
      client_secret_enc text,
      authority_url text not null default 'https://login.microsoftonline.com',
      graph_url text not null default 'https://graph.microsoft.com',
      ods_field text,
      sync_every_hours integer check (sync_every_hours between 1 and 744),
      missing_after_days integer not null default 14 check (missing_after_days between 1 and 365),
      next_sync_at timestamptz,
      created_by integer references app_user (id),
      created_at timestamptz not null default now(),
      updated_at timestamptz not null default now(),
      version integer not null default 1
    )`.execute(db);
  await sql`create index graph_connection_icb_idx on graph_connection (icb_code)`.execute(db);
  await sql`
    create table graph_rule (
      id serial primary key,
      connection_id integer not null references graph_connection (id) on delete cascade,
      kind text not null check (kind in ('prefix', 'group')),
      value text not null,
      practice_code text not null references practice (ods_code),
      unique (connection_id, kind, value)
    )`.execute(db);
  await sql`
    create table graph_sync_run (
      id serial primary key,
      connection_id integer not null references graph_connection (id) on delete cascade,
      job_id integer unique,
      trigger text not null check (trigger in ('manual', 'schedule')),
      user_id integer references app_user (id),
      status text not null check (status in ('done', 'failed')),
      import_run_id integer,
      counts jsonb not null default '{}',
      changes jsonb not null default '[]',
      unmapped jsonb not null default '[]',
      issues jsonb not null default '[]',
      error text,
      started_at timestamptz not null,
      finished_at timestamptz not null default now()
    )`.execute(db);
  await sql`create index graph_sync_run_connection_idx on graph_sync_run (connection_id, id desc)`.execute(db);
  await sql`
    create table graph_device_seen (
      connection_id integer not null references graph_connection (id) on delete cascade,
      graph_id text not null,
      device_name text,
      serial_number text,
      practice_code text references practice (ods_code),
      fingerprint text not null,
      first_seen_at timestamptz not null default now(),
      last_present_at timestamptz not null,
      missing_since timestamptz,
      primary key (connection_id, graph_id)
    )`.execute(db);
  await sql`create index graph_device_seen_practice_idx on graph_device_seen (practice_code, serial_number)`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  for (const t of ["graph_device_seen", "graph_sync_run", "graph_rule", "graph_connection"]) {
    await sql.raw(`drop table if exists ${t}`).execute(db);
  }
}
