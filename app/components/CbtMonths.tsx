import { formatNumber as n } from "~/utils/format";

export interface CbtMonthView {
  month: string;
  inbound: number | null;
  answered: number | null;
  missed: number | null;
  callback_requested: number | null;
  callback_made: number | null;
  practices?: number;
}

const MONTH = new Intl.DateTimeFormat("en-GB", { month: "long", year: "numeric", timeZone: "UTC" });
const monthLabel = (iso: string) => MONTH.format(new Date(`${iso}T00:00:00Z`));
const share = (part: number | null, whole: number | null) =>
  part === null || !whole ? "Not known" : `${Math.round((part / whole) * 100)}%`;
const count = (v: number | null) => (v === null ? "Not known" : n(Number(v)));

/**
 * NHS England's cloud telephony data by month, newest first: calls in, the share answered and
 * missed (of inbound calls), call-backs requested and made. Shares are of inbound calls and
 * outcomes are not exclusive in the data (feeds.md section 1), so they need not add to 100%.
 */
export function CbtMonths({ rows, caption }: { rows: CbtMonthView[]; caption: string }) {
  const withPractices = rows.some((r) => r.practices !== undefined);
  return (
    <div className="app-table-wrap" role="region" aria-label={caption} tabIndex={0}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Month</th>
            {withPractices ? (
              <th scope="col" className="app-numeric">
                Practices
              </th>
            ) : null}
            <th scope="col" className="app-numeric">
              Inbound calls
            </th>
            <th scope="col" className="app-numeric">
              Answered
            </th>
            <th scope="col" className="app-numeric">
              Missed or abandoned
            </th>
            <th scope="col" className="app-numeric">
              Call-backs requested
            </th>
            <th scope="col" className="app-numeric">
              Call-backs made
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((r) => (
            <tr key={r.month}>
              <td>{monthLabel(r.month)}</td>
              {withPractices ? <td className="app-numeric">{n(Number(r.practices ?? 0))}</td> : null}
              <td className="app-numeric">{count(r.inbound)}</td>
              <td className="app-numeric">
                {share(r.answered === null ? null : Number(r.answered), r.inbound === null ? null : Number(r.inbound))}
              </td>
              <td className="app-numeric">
                {share(r.missed === null ? null : Number(r.missed), r.inbound === null ? null : Number(r.inbound))}
              </td>
              <td className="app-numeric">{count(r.callback_requested)}</td>
              <td className="app-numeric">{count(r.callback_made)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
