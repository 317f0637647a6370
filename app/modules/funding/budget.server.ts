import type { Db } from "#db/connect";
import type { FundingRequestStatus } from "#db/types";
import { recordAudit } from "~/modules/audit/repository.server";
import type { SessionUser } from "~/modules/auth/service.server";
import { canManagePolicy } from "~/utils/permissions";
import { financialYearLabel, financialYearOf } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { conflict, forbidden } from "~/utils/errors";
import * as repo from "./repository.server";
import type { BudgetInput } from "./schema";
import { potPosition, type Pot, type PotPosition } from "./split";
import { budgetPosition, COMMITTED_STATUSES } from "./workflow";

export const BUDGET_ENTITY = "icb_budget";

export interface YearRow {
  year: number;
  label: string;
  budgetPence: number | null;
  version: number | null;
  setBy: string | null;
  updatedAt: Date | null;
  /** Amounts by request status (drafts and rejections included, for the full picture). */
  byStatus: Record<FundingRequestStatus, number>;
  committedPence: number;
  remainingPence: number | null;
  /** The year's capital and revenue pots: amount (null: not set), committed and left. */
  pots: Record<Pot, PotPosition>;
}

/**
 * A budget row's two pots. A row written before the split (or by hand) with neither pot set
 * holds its whole amount as revenue: the migration's rule (docs/money.md, "Budgets").
 */
export function potsOf(
  b: { amount_pence: number; capital_pence: number | null; revenue_pence: number | null } | undefined,
): Record<Pot, number | null> {
  if (!b) return { capital: null, revenue: null };
  const capital = b.capital_pence === null ? null : Number(b.capital_pence);
  const revenue = b.revenue_pence === null ? (capital === null ? Number(b.amount_pence) : null) : Number(b.revenue_pence);
  return { capital, revenue };
}

const emptyStatus = (): Record<FundingRequestStatus, number> => ({
  draft: 0,
  submitted: 0,
  approved: 0,
  rejected: 0,
  funded: 0,
  delivered: 0,
});

/**
 * An ICB's budget per financial year with what is submitted, approved, funded and delivered
 * against it and what is left. Shows this year and next even before a budget is set, and any
 * year that has a budget or a request.
 */
export async function getBudgetYears(db: Db, icbCode: string, today: string): Promise<YearRow[]> {
  const [budgets, totals] = await Promise.all([repo.listBudgets(db, icbCode), repo.yearStatusTotals(db, [icbCode])]);
  const current = financialYearOf(today);
  const years = new Set<number>([current, current + 1, ...budgets.map((b) => b.financial_year), ...totals.map((t) => t.year)]);
  return [...years]
    .sort((a, b) => a - b)
    .map((year) => {
      const b = budgets.find((x) => x.financial_year === year);
      const byStatus = emptyStatus();
      let committedCapital = 0;
      for (const t of totals) {
        if (t.year !== year) continue;
        byStatus[t.status] += t.pence;
        if (COMMITTED_STATUSES.includes(t.status)) committedCapital += t.capitalPence;
      }
      const committed = COMMITTED_STATUSES.reduce((s, k) => s + byStatus[k], 0);
      const position = budgetPosition(b ? Number(b.amount_pence) : null, committed);
      const pots = potsOf(b);
      return {
        year,
        label: financialYearLabel(year),
        budgetPence: position.budgetPence,
        version: b?.version ?? null,
        setBy: b?.set_by_name ?? null,
        updatedAt: b?.updated_at ?? null,
        byStatus,
        committedPence: committed,
        remainingPence: position.remainingPence,
        pots: { capital: potPosition(pots.capital, committedCapital), revenue: potPosition(pots.revenue, committed - committedCapital) },
      };
    });
}

export async function getBudgetHistory(db: Db, icbCode: string, years: readonly number[]) {
  return repo.auditFor(
    db,
    BUDGET_ENTITY,
    years.map((y) => `${icbCode}:${y}`),
    50,
  );
}

const CHANGED =
  "Someone else changed this year's budget since you opened the page, so nothing was saved. Reload the page to see it, then try again.";

/**
 * Sets or changes one year's budget: a new year needs no version (a year someone else has just
 * set is a conflict); a change must carry the version the page showed. Audited in the same transaction.
 */
export async function setBudget(db: Db, user: SessionUser, icbCode: string, input: BudgetInput) {
  if (!canManagePolicy(user.memberships, icbCode)) throw forbidden("Only the ICB's digital lead can set its budgets.");
  return db.transaction().execute(async (trx) => {
    const before = await repo.findBudget(trx, icbCode, input.financial_year, { forUpdate: true });
    const entityId = `${icbCode}:${input.financial_year}`;
    // "budget" is the year's total (capital + revenue), as before the split.
    const view = (p: { capital: number | null; revenue: number | null }) => ({
      financial_year: financialYearLabel(input.financial_year),
      capital: p.capital === null ? "Not set" : formatPence(p.capital),
      revenue: p.revenue === null ? "Not set" : formatPence(p.revenue),
      budget: formatPence((p.capital ?? 0) + (p.revenue ?? 0)),
    });
    const amount = input.capital + input.revenue;
    const after = view({ capital: input.capital, revenue: input.revenue });
    if (!before) {
      if (input.version !== undefined) throw conflict(CHANGED);
      const row = await repo.insertBudget(trx, {
        icb_code: icbCode,
        financial_year: input.financial_year,
        amount_pence: amount,
        capital_pence: input.capital,
        revenue_pence: input.revenue,
        set_by: user.id,
      });
      if (!row) throw conflict(CHANGED);
      await recordAudit(trx, { userId: user.id, action: "budget.set", entityType: BUDGET_ENTITY, entityId, after });
      return row;
    }
    if (input.version === undefined || input.version !== before.version) throw conflict(CHANGED);
    const row = await repo.updateBudget(trx, icbCode, input.financial_year, input.version, {
      amount_pence: amount,
      capital_pence: input.capital,
      revenue_pence: input.revenue,
      set_by: user.id,
    });
    if (!row) throw conflict(CHANGED);
    await recordAudit(trx, {
      userId: user.id,
      action: "budget.change",
      entityType: BUDGET_ENTITY,
      entityId,
      before: view(potsOf(before)),
      after,
    });
    return row;
  });
}
