import type { Db } from "#db/connect";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { findIcb, findPracticeKey } from "~/modules/org/repository.server";
import { OdsCodeSchema } from "~/modules/org/schema";
import { badRequest, conflict, forbidden, notFound } from "~/utils/errors";
import { toPage, PAGE_SIZE } from "~/utils/pagination";
import { scopeCoversIcb, scopeCoversPractice, scopeFor, type MembershipLike, type Scope } from "~/utils/permissions";
import * as repo from "./repository.server";
import { type ContractEditInput, type ContractEndInput, type ContractFilters, type ContractInput } from "./schema";

export const CONTRACT_ENTITY = "supplier_contract";

const CHANGED_MESSAGE =
  "Someone else changed this contract since you opened this page, so nothing was saved. Reload the page to see their changes, then make yours again.";

/** Whose contract: a practice (with its ICB, for the scope check) or an ICB. */
export type HolderKey =
  { kind: "practice"; code: string; icbCode: string | null; name: string } | { kind: "icb"; code: string; name: string };

/** Can `scope` reach this holder? Practices by their own code or ICB; an ICB's own contracts need that ICB. */
export function scopeCoversHolder(scope: Scope, h: HolderKey) {
  return h.kind === "practice" ? scopeCoversPractice(scope, { ods_code: h.code, icb_code: h.icbCode }) : scopeCoversIcb(scope, h.code);
}

/** Who may add, change and end contracts of this holder: ICB leads and delivery partners in scope, and admins. */
export function canManageContracts(memberships: readonly MembershipLike[], h: HolderKey) {
  return scopeCoversHolder(scopeFor(memberships, "contract:manage"), h);
}

export function holderOf(c: repo.ContractRecord): HolderKey {
  return c.practice_code
    ? { kind: "practice", code: c.practice_code, icbCode: c.practice_icb_code, name: c.practice_name ?? c.practice_code }
    : { kind: "icb", code: c.icb_code!, name: c.icb_name ?? c.icb_code! };
}

/**
 * The holder named by `?practice=` or `?icb=` for a new contract: 404 when the user cannot see it
 * (so its existence is not confirmed), 403 when they can see it but not manage its contracts.
 */
export async function resolveHolderToManage(
  db: Db,
  memberships: readonly MembershipLike[],
  q: { practice?: string | null; icb?: string | null },
): Promise<HolderKey> {
  const readScope = scopeFor(memberships, "org:read");
  let holder: HolderKey | null = null;
  if (q.practice) {
    const code = OdsCodeSchema.safeParse(q.practice);
    const p = code.success ? await findPracticeKey(db, code.data) : undefined;
    if (p) holder = { kind: "practice", code: p.ods_code, icbCode: p.icb_code, name: p.name };
  } else if (q.icb) {
    const code = OdsCodeSchema.safeParse(q.icb);
    const i = code.success ? await findIcb(db, code.data) : undefined;
    if (i) holder = { kind: "icb", code: i.code, name: i.name ?? i.code };
  }
  if (!holder || !scopeCoversHolder(readScope, holder)) throw notFound(q.icb && !q.practice ? "ICB" : "practice");
  if (!canManageContracts(memberships, holder))
    throw forbidden("Only the ICB's digital lead or its GP IT delivery partner can change its contracts.");
  return holder;
}

/** A contract the user may change: 404 beyond their read scope, 403 when they may read but not manage it. */
export async function getContractToManage(db: Db, memberships: readonly MembershipLike[], id: number) {
  const c = await getContract(db, scopeFor(memberships, "org:read"), id);
  if (!canManageContracts(memberships, holderOf(c)))
    throw forbidden("Only the ICB's digital lead or its GP IT delivery partner can change its contracts.");
  return c;
}

/** Where a holder's contracts are listed. */
export const holderHref = (h: HolderKey) => (h.kind === "practice" ? `/practices/${h.code}/contracts` : `/icbs/${h.code}/contracts`);

/** A contract the reader can see (org:read scope), else 404 so its existence is not confirmed. */
export async function getContract(db: Db, readScope: Scope, id: number) {
  const c = Number.isSafeInteger(id) && id > 0 ? await repo.findContract(db, id) : undefined;
  if (!c || !scopeCoversHolder(readScope, holderOf(c))) throw notFound("contract");
  return c;
}

export async function listContractsPage(db: Db, holder: repo.Holder, filters: Partial<ContractFilters>, today: string, page: number) {
  const r = await repo.listContracts(db, holder, filters, today, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return { ...toPage(r.rows, r.total, page), costs: r.costs };
}

/** The facts the audit trail keeps (no bookkeeping). */
function auditable(c: Partial<repo.ContractRecord> & object) {
  const {
    practice_name: _n,
    practice_icb_code: _i,
    icb_name: _m,
    source_file: _f,
    source_date: _d,
    ...rest
  } = c as Record<string, unknown>;
  return rest;
}

export async function createContract(db: Db, userId: number, holder: HolderKey, input: ContractInput) {
  try {
    return await db.transaction().execute(async (trx) => {
      const { id } = await repo.insertContract(
        trx,
        { practiceCode: holder.kind === "practice" ? holder.code : null, icbCode: holder.kind === "icb" ? holder.code : null },
        input,
      );
      const after = (await repo.findContract(trx, id))!;
      await recordAudit(trx, {
        userId,
        action: "contract.create",
        entityType: CONTRACT_ENTITY,
        entityId: String(id),
        after: auditable(after),
      });
      return after;
    });
  } catch (e) {
    if (repo.isContractKeyViolation(e))
      throw badRequest(
        `A contract with ${input.supplier} under reference ${input.reference} is already recorded for ${holder.name}. Edit that one instead.`,
      );
    throw e;
  }
}

/** Changes a contract at the version the form was opened at: 409 when someone changed it since. */
export async function updateContract(db: Db, userId: number, id: number, input: ContractEditInput) {
  const { version, ...facts } = input;
  try {
    return await db.transaction().execute(async (trx) => {
      const before = await repo.findContract(trx, id);
      if (!before) throw notFound("contract");
      if (!(await repo.updateContract(trx, id, version, facts))) throw conflict(CHANGED_MESSAGE);
      const after = (await repo.findContract(trx, id))!;
      await recordAudit(trx, {
        userId,
        action: "contract.update",
        entityType: CONTRACT_ENTITY,
        entityId: String(id),
        before: auditable(before),
        after: auditable(after),
      });
      return after;
    });
  } catch (e) {
    if (repo.isContractKeyViolation(e))
      throw badRequest(`Another contract with ${input.supplier} under reference ${input.reference} is already recorded for this holder.`);
    throw e;
  }
}

/** The problem with an end date for this contract, if any (shown next to the field). */
export function endDateProblem(c: { starts_on: string; ends_on: string }, endedOn: string) {
  if (endedOn < c.starts_on) return "The contract cannot end before it started";
  if (endedOn > c.ends_on) return "The contract already ends on its end date: enter a date on or before it";
  return null;
}

/** Ends a contract early (or records that it ended on its end date), at the version read: 409 when stale. */
export async function endContract(db: Db, userId: number, id: number, input: ContractEndInput) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findContract(trx, id);
    if (!before) throw notFound("contract");
    const problem = endDateProblem(before, input.ended_on);
    if (problem) throw badRequest(problem);
    if (!(await repo.endContract(trx, id, input.version, input.ended_on))) throw conflict(CHANGED_MESSAGE);
    const after = (await repo.findContract(trx, id))!;
    await recordAudit(trx, {
      userId,
      action: "contract.end",
      entityType: CONTRACT_ENTITY,
      entityId: String(id),
      before: auditable(before),
      after: auditable(after),
    });
    return after;
  });
}

export const contractHistory = (db: Db, id: number) => listAuditForEntity(db, CONTRACT_ENTITY, String(id));
