import type { UseFormRegister } from "react-hook-form";
import { Link } from "~/components/Link";
import type { ContractCategory, ContractFramework, ContractPayer } from "#db/types";
import { DateField, SelectField, TextField } from "~/components/fields";
import { formatDate } from "~/utils/format";
import { scrollRegion } from "~/components/scroll-region";
import { CONTRACT_CATEGORIES, CONTRACT_FRAMEWORKS, CONTRACT_PAYERS, noticeDate } from "~/modules/catalogue/contracts";
import { formatPence, penceToInput } from "~/modules/pricing/money";

type Errors = Record<string, string | undefined>;

const ukDate = (iso: string | null | undefined) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

export interface ContractView {
  id: number;
  holder: string | null;
  practice_code: string | null;
  practice_name?: string | null;
  icb_name?: string | null;
  supplier: string;
  category: ContractCategory;
  service: string | null;
  framework: ContractFramework | null;
  starts_on: string;
  ends_on: string;
  notice_months: number;
  annual_cost_pence: number;
  paid_by: ContractPayer;
  reference: string;
  ended_on: string | null;
}

/** Form values for a contract (blank for a new one); dates as people type them, the cost in pounds. */
export function contractDefaults(c?: Partial<ContractView> | null): Record<string, string> {
  return {
    supplier: c?.supplier ?? "",
    category: c?.category ?? "",
    service: c?.service ?? "",
    framework: c?.framework ?? "",
    starts_on: ukDate(c?.starts_on),
    ends_on: ukDate(c?.ends_on),
    notice_months: c?.notice_months === undefined ? "" : String(c.notice_months),
    annual_cost: penceToInput(c?.annual_cost_pence),
    paid_by: c?.paid_by ?? "",
    reference: c?.reference ?? "",
  };
}

const choices = (map: Record<string, string>, blank: string) => [
  { value: "", label: blank },
  ...Object.entries(map).map(([value, label]) => ({ value, label })),
];

/** The fields of one contract, shared by the add and edit pages. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- shared by the new and edit forms
export function ContractFields({ register, errors }: { register: UseFormRegister<any>; errors: Errors }) {
  return (
    <>
      <TextField {...register("supplier")} label="Supplier" error={errors.supplier} />
      <SelectField
        {...register("category")}
        label="Category"
        error={errors.category}
        options={choices(CONTRACT_CATEGORIES, "Select a category")}
      />
      <TextField
        {...register("service")}
        label="Product or service (optional)"
        hint="For example, Surgery Connect or EMIS Web modules"
        error={errors.service}
      />
      <SelectField
        {...register("framework")}
        label="Framework"
        hint="The national framework or catalogue it was bought through, if any"
        error={errors.framework}
        options={choices(CONTRACT_FRAMEWORKS, "None or not known")}
      />
      <DateField {...register("starts_on")} label="Start date" error={errors.starts_on} />
      <DateField
        {...register("ends_on")}
        label="End date"
        hint="The last day of the contract, for example, 31/03/2028"
        error={errors.ends_on}
      />
      <TextField
        {...register("notice_months")}
        label="Notice period in months"
        hint="How long before the end date notice must be given; 0 if none"
        width={10}
        inputMode="numeric"
        error={errors.notice_months}
      />
      <TextField
        {...register("annual_cost")}
        label="Annual cost in pounds, excluding VAT"
        hint="For example, 4,800 or 4800.50"
        width={10}
        inputMode="decimal"
        error={errors.annual_cost}
      />
      <SelectField {...register("paid_by")} label="Who pays" error={errors.paid_by} options={choices(CONTRACT_PAYERS, "Select who pays")} />
      <TextField
        {...register("reference")}
        label="Contract reference"
        hint="The supplier's or the ICB's reference for the contract"
        width={20}
        error={errors.reference}
      />
    </>
  );
}

/** A table of contracts: holder (when several), supplier, what, dates, notice, cost and who pays. */
export function ContractsTable({
  rows,
  caption,
  showHolder,
  canManage,
}: {
  rows: ContractView[];
  caption: string;
  showHolder: boolean;
  canManage: boolean;
}) {
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            {showHolder ? <th scope="col">Practice or ICB</th> : null}
            <th scope="col">Supplier and reference</th>
            <th scope="col">Category</th>
            <th scope="col">Framework</th>
            <th scope="col">Runs</th>
            <th scope="col">Notice by</th>
            <th scope="col" className="app-numeric">
              Annual cost (ex VAT)
            </th>
            <th scope="col">Paid by</th>
            {canManage ? (
              <th scope="col">
                <span className="nhsuk-u-visually-hidden">Actions</span>
              </th>
            ) : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((c) => {
            const notice = noticeDate(c);
            return (
              <tr key={c.id}>
                {showHolder ? (
                  <td>
                    {c.practice_code ? (
                      <Link to={`/practices/${c.practice_code}/contracts`}>{c.practice_name ?? c.practice_code}</Link>
                    ) : (
                      <>{c.icb_name ?? c.holder} (ICB)</>
                    )}
                  </td>
                ) : null}
                <td>
                  {c.supplier}
                  {c.service ? <>: {c.service}</> : null}
                  <br />
                  <span className="nhsuk-body-s">{c.reference}</span>
                </td>
                <td>{CONTRACT_CATEGORIES[c.category]}</td>
                <td>{c.framework ? CONTRACT_FRAMEWORKS[c.framework] : <span className="app-muted">None recorded</span>}</td>
                <td>
                  {formatDate(c.starts_on)} to {formatDate(c.ends_on)}
                  {c.ended_on ? (
                    <>
                      <br />
                      <strong>Ended {formatDate(c.ended_on)}</strong>
                    </>
                  ) : null}
                </td>
                <td>{notice && !c.ended_on ? formatDate(notice) : <span className="app-muted">—</span>}</td>
                <td className="app-numeric">{formatPence(c.annual_cost_pence)}</td>
                <td>{CONTRACT_PAYERS[c.paid_by]}</td>
                {canManage ? (
                  <td>
                    {c.ended_on ? null : (
                      <>
                        <Link to={`/contracts/${c.id}/edit`}>
                          Change<span className="nhsuk-u-visually-hidden"> {c.reference}</span>
                        </Link>{" "}
                        <Link to={`/contracts/${c.id}/end`}>
                          End<span className="nhsuk-u-visually-hidden"> {c.reference}</span>
                        </Link>
                      </>
                    )}
                  </td>
                ) : null}
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface ContractEventView {
  date: string;
  kind: "notice" | "end";
  contractId: number;
  practiceCode: string | null;
  icbCode: string | null;
  description: string;
  affects: readonly string[];
  successor: boolean | null;
  annualCostPence: number;
  paidBy: ContractPayer;
}

/** The forecast's contract dates: notice dates and ends, each with its annual cost and who pays. */
export function ContractEventsTable({ events, showHolder }: { events: ContractEventView[]; showHolder: boolean }) {
  return (
    <div className="app-table-wrap" {...scrollRegion("Supplier contract dates")}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Supplier contract dates</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Date</th>
            {showHolder ? <th scope="col">Practice or ICB</th> : null}
            <th scope="col">What happens</th>
            <th scope="col" className="app-numeric">
              Annual cost (ex VAT)
            </th>
            <th scope="col">Paid by</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {events.map((e) => (
            <tr key={`${e.contractId}-${e.kind}`}>
              <td>{formatDate(e.date)}</td>
              {showHolder ? <td>{e.practiceCode ?? `${e.icbCode} (ICB)`}</td> : null}
              <td>{e.kind === "end" && e.successor === false ? <strong>{e.description}</strong> : e.description}</td>
              <td className="app-numeric">{formatPence(e.annualCostPence)}</td>
              <td>{CONTRACT_PAYERS[e.paidBy]}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
