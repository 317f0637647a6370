import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { notFound } from "~/utils/errors";
import { scopeFor, type MembershipLike } from "~/utils/permissions";
import { DEFAULT_AUTHORITY, DEFAULT_GRAPH } from "./client.server";
import type { Rule } from "./map";
import * as repo from "./repository.server";
import { parseRules, rulesToText, type ConnectionForm } from "./schema";
import { canStoreSecrets, encryptSecret, NO_KEY_MESSAGE, SecretKeyError } from "./secret.server";

/**
 * Graph connections and who may see and change them. A connection belongs to an ICB; it is
 * managed by whoever may change devices across that ICB ("estate.icb:write" for the ICB: its
 * delivery partner, admins). Its rules may only place devices in that ICB's practices; the sync
 * changes devices with that ICB as its scope, through the device import's checks.
 */

/** The ICBs a user manages connections for; null means all (admins). */
export function managedIcbs(memberships: readonly MembershipLike[]): string[] | null {
  const scope = scopeFor(memberships, "estate.icb:write");
  return scope.all ? null : scope.icbCodes;
}

export const canManageAny = (memberships: readonly MembershipLike[]) => {
  const icbs = managedIcbs(memberships);
  return icbs === null || icbs.length > 0;
};

/** Only an admin sets where a connection signs in and reads from: anyone else gets Microsoft's addresses. */
export const canSetUrls = (memberships: readonly MembershipLike[]) => scopeFor(memberships, "user:manage").all;

/** A connection the user manages, or 404 (never 403: another ICB's connections do not exist for them). */
export async function requireConnection(db: Db, memberships: readonly MembershipLike[], id: number) {
  const conn = Number.isSafeInteger(id) && id > 0 ? await repo.getConnection(db, id) : undefined;
  const icbs = managedIcbs(memberships);
  if (!conn || (icbs !== null && !icbs.includes(conn.icb_code))) throw notFound("connection");
  return conn;
}

export async function listForUser(db: Db, memberships: readonly MembershipLike[]) {
  const icbs = managedIcbs(memberships);
  const rows = await repo.listConnections(db, icbs);
  return rows.map((r) => ({
    ...r,
    last_finished_at: r.last_finished_at ? new Date(r.last_finished_at).toISOString() : null,
    last_counts: (r.last_counts ?? null) as Record<string, number> | null,
  }));
}

export const icbChoices = async (db: Db, memberships: readonly MembershipLike[]) =>
  (await repo.icbsByCodes(db, managedIcbs(memberships))).map((i) => ({ code: i.code, name: i.name ?? i.code }));

/** The connection as the edit form shows it: never the secret, only whether one is stored. */
export async function connectionForForm(db: Db, memberships: readonly MembershipLike[], id: number) {
  const conn = await requireConnection(db, memberships, id);
  const rules = await repo.listRules(db, id);
  return {
    id: conn.id,
    icb_code: conn.icb_code,
    icb_name: conn.icb_name,
    name: conn.name,
    tenant_id: conn.tenant_id,
    client_id: conn.client_id,
    has_secret: conn.client_secret_enc !== null,
    authority_url: conn.authority_url,
    graph_url: conn.graph_url,
    ods_field: conn.ods_field ?? "",
    sync_every_hours: conn.sync_every_hours === null ? "" : String(conn.sync_every_hours),
    missing_after_days: String(conn.missing_after_days),
    prefix_rules: rulesToText(rules as Rule[], "prefix"),
    group_rules: rulesToText(rules as Rule[], "group"),
    version: conn.version,
    rules,
    next_sync_at: conn.next_sync_at ? new Date(conn.next_sync_at).toISOString() : null,
  };
}

export type SaveResult = { ok: true; id: number } | { ok: false; fieldErrors: Record<string, string>; formError?: string };

/**
 * Creates (id null) or updates a connection and its rules in one transaction with an audit
 * event. Field problems come back by field: the ICB outside the user's scope, a rule for a
 * practice outside the connection's ICB (however the form was altered), a secret with no key
 * to encrypt it.
 */
export async function saveConnection(
  db: Db,
  user: { id: number; memberships: readonly MembershipLike[] },
  form: ConnectionForm,
  id: number | null,
): Promise<SaveResult> {
  const existing = id === null ? null : await requireConnection(db, user.memberships, id);
  const icbCode = existing ? existing.icb_code : form.icb_code;
  const icbs = managedIcbs(user.memberships);
  const errors: Record<string, string> = {};
  if (!existing && icbs !== null && !icbs.includes(icbCode)) errors.icb_code = "Choose one of your ICBs";

  const prefix = parseRules(form.prefix_rules, "prefix");
  const group = parseRules(form.group_rules, "group");
  const rules = [...prefix.rules, ...group.rules];
  const practices = new Map((await repo.loadPractices(db, [...new Set(rules.map((r) => r.practice_code))])).map((p) => [p.ods_code, p]));
  for (const [field, parsed] of [
    ["prefix_rules", prefix],
    ["group_rules", group],
  ] as const) {
    const problems = [...parsed.problems];
    for (const r of parsed.rules) {
      const p = practices.get(r.practice_code);
      if (!p) problems.push(`"${r.value}": no practice has ODS code ${r.practice_code}`);
      else if (p.icb_code !== icbCode)
        problems.push(`"${r.value}": practice ${r.practice_code} is not in this connection's ICB (${icbCode})`);
    }
    if (problems.length)
      errors[field] = problems.slice(0, 5).join(". ") + (problems.length > 5 ? `. And ${problems.length - 5} more.` : "");
  }

  const secret = form.client_secret.trim();
  if (!existing && !secret) errors.client_secret = "Enter the client secret";
  let secretEnc: string | undefined;
  if (secret) {
    if (!canStoreSecrets()) errors.client_secret = NO_KEY_MESSAGE;
    else {
      try {
        secretEnc = encryptSecret(secret);
      } catch (e) {
        if (!(e instanceof SecretKeyError)) throw e;
        errors.client_secret = e.message;
      }
    }
  }
  if (Object.keys(errors).length) return { ok: false, fieldErrors: errors };

  const urls = canSetUrls(user.memberships)
    ? { authority_url: form.authority_url ?? DEFAULT_AUTHORITY, graph_url: form.graph_url ?? DEFAULT_GRAPH }
    : { authority_url: existing?.authority_url ?? DEFAULT_AUTHORITY, graph_url: existing?.graph_url ?? DEFAULT_GRAPH };
  const values = {
    name: form.name,
    tenant_id: form.tenant_id,
    client_id: form.client_id,
    ...urls,
    ods_field: form.ods_field,
    sync_every_hours: form.sync_every_hours,
    missing_after_days: form.missing_after_days,
  };
  const summary = { ...values, icb_code: icbCode, rules: rules.length };
  return db.transaction().execute(async (trx) => {
    if (!existing) {
      const newId = await repo.insertConnection(trx, {
        ...values,
        icb_code: icbCode,
        client_secret_enc: secretEnc ?? null,
        created_by: user.id,
      });
      await repo.replaceRules(trx, newId, rules);
      await recordAudit(trx, {
        userId: user.id,
        action: "graph_connection.create",
        entityType: "graph_connection",
        entityId: String(newId),
        after: { ...summary, secret: "stored encrypted" },
      });
      return { ok: true as const, id: newId };
    }
    // A new schedule starts now; an unchanged one keeps its next run.
    const next =
      values.sync_every_hours === null
        ? null
        : values.sync_every_hours === existing.sync_every_hours && existing.next_sync_at
          ? new Date(existing.next_sync_at)
          : new Date();
    const updated = await repo.updateConnection(trx, existing.id, form.version ?? -1, {
      ...values,
      next_sync_at: next,
      ...(secretEnc ? { client_secret_enc: secretEnc } : {}),
    });
    if (updated === null)
      return {
        ok: false as const,
        fieldErrors: {},
        formError: "Someone else changed this connection while you were editing it. Reload the page and make your changes again.",
      };
    await repo.replaceRules(trx, existing.id, rules);
    const before = {
      name: existing.name,
      tenant_id: existing.tenant_id,
      client_id: existing.client_id,
      authority_url: existing.authority_url,
      graph_url: existing.graph_url,
      ods_field: existing.ods_field,
      sync_every_hours: existing.sync_every_hours,
      missing_after_days: existing.missing_after_days,
    };
    await recordAudit(trx, {
      userId: user.id,
      action: "graph_connection.update",
      entityType: "graph_connection",
      entityId: String(existing.id),
      before,
      after: { ...summary, ...(secretEnc ? { secret: "replaced (stored encrypted)" } : {}) },
    });
    return { ok: true as const, id: existing.id };
  });
}

export const RUNS_PER_PAGE = 20;

/** The connection's page: settings (no secret), rules, runs, and the devices flagged missing. */
export async function connectionPage(db: Db, memberships: readonly MembershipLike[], id: number, page: number) {
  const form = await connectionForForm(db, memberships, id);
  const conn = await repo.getConnection(db, id);
  const cutoff = new Date(Date.now() - Number(form.missing_after_days) * 86_400_000);
  const [runs, total, missing] = await Promise.all([
    repo.listRuns(db, id, RUNS_PER_PAGE, (page - 1) * RUNS_PER_PAGE),
    repo.countRuns(db, id),
    repo.listMissing(db, id, cutoff),
  ]);
  return {
    connection: { ...form, updated_at: conn ? new Date(conn.updated_at).toISOString() : null },
    runs: runs.map((r) => ({
      ...r,
      counts: r.counts as Record<string, number>,
      started_at: new Date(r.started_at).toISOString(),
      finished_at: new Date(r.finished_at).toISOString(),
    })),
    total,
    pageCount: Math.max(1, Math.ceil(total / RUNS_PER_PAGE)),
    missing: missing.map((m) => ({
      ...m,
      missing_since: m.missing_since ? new Date(m.missing_since).toISOString() : null,
      last_present_at: new Date(m.last_present_at).toISOString(),
    })),
  };
}

export interface RunChange {
  action: "create" | "update";
  practice_code: string;
  device_name: string | null;
  serial_number: string | null;
  fields: { field: string; before: unknown; after: unknown }[];
}
export interface UnmappedDevice {
  graph_id: string;
  device_name: string | null;
  serial_number: string | null;
  reason: string;
}
export interface RunIssue {
  device_name: string | null;
  serial_number: string | null;
  practice_code: string;
  column: string;
  message: string;
}

/** One run of a connection the user manages. */
export async function runPage(db: Db, memberships: readonly MembershipLike[], connectionId: number, runId: number) {
  const conn = await requireConnection(db, memberships, connectionId);
  const run = Number.isSafeInteger(runId) ? await repo.getRun(db, runId) : undefined;
  if (!run || run.connection_id !== conn.id) throw notFound("sync run");
  return {
    connection: { id: conn.id, name: conn.name, icb_name: conn.icb_name },
    run: {
      id: run.id,
      trigger: run.trigger,
      status: run.status,
      error: run.error,
      user_name: run.user_name,
      started_at: new Date(run.started_at).toISOString(),
      finished_at: new Date(run.finished_at).toISOString(),
      counts: run.counts as Record<string, number>,
      changes: run.changes as RunChange[],
      unmapped: run.unmapped as UnmappedDevice[],
      issues: run.issues as RunIssue[],
    },
  };
}

/** The practice's devices flagged missing from Intune, by serial number (for the device pages). */
export async function missingFromIntune(db: Db, practiceCode: string) {
  const rows = await repo.missingAtPractice(db, practiceCode);
  return rows.map((r) => ({ ...r, missing_since: r.missing_since ? new Date(r.missing_since).toISOString() : null }));
}
