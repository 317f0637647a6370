import { Link } from "~/components/Link";
import { formatDateTime } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { Money, RequestStatusTag } from "~/components/Funding";
import { NotKnown } from "~/components/NotKnown";
import { Tag } from "~/components/Tag";
import type { getRequestPage } from "~/modules/funding/service.server";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";

type Page = Awaited<ReturnType<typeof getRequestPage>>;

/** A funding request's status, money, justification and who raised and decided it. */
export function RequestFacts({
  r,
  estimateAtRequest,
  estimateNow,
}: {
  r: Page["request"];
  estimateAtRequest: number | null;
  estimateNow: number | null;
}) {
  const diff = estimateAtRequest === null ? null : r.amount_pence - estimateAtRequest;
  return (
    <dl className="nhsuk-summary-list">
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Status</dt>
        <dd className="nhsuk-summary-list__value">
          <RequestStatusTag status={r.status} />
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Amount requested</dt>
        <dd className="nhsuk-summary-list__value">
          <strong>{formatPence(r.amount_pence)}</strong> ex VAT
          {r.vat_pence !== null ? (
            <>
              {" "}
              · {formatPence(r.amount_pence + r.vat_pence)} inc VAT (VAT {formatPence(r.vat_pence)})
            </>
          ) : null}
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Capital {formatPence(r.capital_pence)} · revenue {formatPence(r.revenue_pence)}
          </div>
          <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
            Estimate when requested: <Money pence={estimateAtRequest} />
            {diff ? ` (${diff > 0 ? "+" : "−"}${formatPence(Math.abs(diff))})` : ""} · estimate today: <Money pence={estimateNow} />
          </div>
          {r.amount_reason ? <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Reason for the amount: {r.amount_reason}</div> : null}
        </dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Justification</dt>
        <dd className="nhsuk-summary-list__value app-pre-line">{r.justification}</dd>
      </div>
      <div className="nhsuk-summary-list__row">
        <dt className="nhsuk-summary-list__key">Raised by</dt>
        <dd className="nhsuk-summary-list__value">
          {r.created_by_name ?? "Not recorded"}, {formatDateTime(r.created_at)}
          {r.submitted_at ? ` · submitted ${formatDateTime(r.submitted_at)}` : ""}
        </dd>
      </div>
      {r.decided_at ? (
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Decision</dt>
          <dd className="nhsuk-summary-list__value">
            {r.status === "rejected" ? "Rejected" : "Approved"} by {r.decided_by_name ?? "not recorded"}, {formatDateTime(r.decided_at)}
            {r.decision_reason ? <div>Reason: {r.decision_reason}</div> : null}
            {r.self_approval_reason ? <div>Approved by the person who raised it. Reason: {r.self_approval_reason}</div> : null}
            {r.budget_override_reason ? (
              <div>
                <Tag colour="orange">Over budget</Tag> Override reason: {r.budget_override_reason}
              </div>
            ) : null}
          </dd>
        </div>
      ) : null}
      {r.funded_at || r.delivered_at ? (
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Funding and delivery</dt>
          <dd className="nhsuk-summary-list__value">
            {r.funded_at ? `Funded ${formatDateTime(r.funded_at)}` : ""}
            {r.delivered_at ? ` · delivered ${formatDateTime(r.delivered_at)}` : ""}
          </dd>
        </div>
      ) : null}
    </dl>
  );
}

/** Each budget pot for the request's year against the request's capital and revenue, or that no budget is set. */
export function RequestBudget({ r, budget }: { r: Page["request"]; budget: Page["budget"] }) {
  return (
    <>
      <h2>Budget for {financialYearLabel(budget.year)}</h2>
      {budget.budgetPence === null ? (
        <p>
          No budget is set for {financialYearLabel(budget.year)}. Approved, funded and delivered so far:{" "}
          {formatPence(budget.committedPence)}. <Link to={`/icbs/${r.icb_code}/budgets`}>Budgets</Link>
        </p>
      ) : (
        <>
          <DataTable
            caption={`Each pot against this request's ${formatPence(r.capital_pence)} capital and ${formatPence(r.revenue_pence)} revenue (ex VAT)`}
            rows={["capital", "revenue"] as const}
            rowKey={(pot) => pot}
            columns={[
              { header: "Pot", rowHeader: true, cell: (pot) => (pot === "capital" ? "Capital" : "Revenue") },
              { header: "Budget", numeric: true, cell: (pot) => <Money pence={budget.pots[pot].budgetPence} none="Not set" /> },
              { header: "Approved, funded and delivered", numeric: true, cell: (pot) => formatPence(budget.pots[pot].committedPence) },
              {
                header: "Left",
                numeric: true,
                cell: (pot) => {
                  const left = budget.pots[pot].remainingPence;
                  return left === null ? <NotKnown>No budget</NotKnown> : <strong>{formatPence(left)}</strong>;
                },
              },
            ]}
          />
          <p>
            <Link to={`/icbs/${r.icb_code}/budgets`}>Budgets</Link>
          </p>
        </>
      )}
    </>
  );
}
