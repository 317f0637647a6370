import { sql, type Kysely } from "kysely";

// Frozen. Single sign-on through OpenID Connect (issue 14).
export async function up(db: Kysely<any>): Promise<void> {
  // An admin invites a person by email with their roles and no password: they sign in through
  // the organisation's identity provider. Local passwords stay for break-glass admins, and an
  // admin can switch password sign-in off per person (a password that still exists stops working).
  await sql`alter table app_user alter column password_hash drop not null`.execute(db);
  await sql`alter table app_user add column password_sign_in boolean not null default true`.execute(db);

  // The link between an account and the provider's identity. The first sign-in matches a
  // verified email; every later one matches the provider's stable subject, so a changed email
  // at the provider cannot move the link to another account. One identity per issuer per user.
  await sql`
    create table sso_identity (
      id serial primary key,
      user_id integer not null references app_user (id) on delete cascade,
      issuer text not null,
      subject text not null,
      email text not null,
      linked_at timestamptz not null default now(),
      last_sign_in_at timestamptz,
      unique (issuer, subject),
      unique (user_id, issuer)
    )`.execute(db);

  // The ID token a session was started with, sent back as id_token_hint when the person also
  // signs out of the provider (RP-initiated logout). Null for password sessions.
  await sql`alter table session add column id_token text`.execute(db);
}

export async function down(db: Kysely<any>): Promise<void> {
  await sql`alter table session drop column if exists id_token`.execute(db);
  await sql`drop table if exists sso_identity`.execute(db);
  await sql`alter table app_user drop column if exists password_sign_in`.execute(db);
  await sql`update app_user set password_hash = '!' where password_hash is null`.execute(db);
  await sql`alter table app_user alter column password_hash set not null`.execute(db);
}
