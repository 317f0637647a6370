import { formatNumber } from "~/utils/format";
import { scrollRegion } from "~/components/scroll-region";
import type { YearSummary } from "~/modules/compliance/forecast/summary";
import { formatPence } from "~/modules/pricing/money";

type Row = Pick<YearSummary, "year" | "label" | "worse" | "practices" | "estimatedPence" | "inYearPence" | "noEstimate">;

/**
 * Changes for the worse by financial year: the practice's forecast page and the ICB dashboard's
 * forecast section show the same figures, so one table. The ICB's adds a Practices column and
 * rounds to whole pounds, as the rest of the dashboard does.
 */
export function ForecastByYearTable({ caption, rows, icb = false }: { caption: string; rows: Row[]; icb?: boolean }) {
  const money = (p: number) => formatPence(p, icb ? { whole: true } : undefined);
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Financial year</th>
            <th scope="col" className="app-numeric">
              Changes for the worse
            </th>
            {icb ? (
              <th scope="col" className="app-numeric">
                Practices
              </th>
            ) : null}
            <th scope="col" className="app-numeric">
              Estimated cost of the changes (ex VAT)
            </th>
            <th scope="col" className="app-numeric">
              Falls in the year, annual costs recurring
            </th>
            <th scope="col" className="app-numeric">
              No estimate
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((y) => (
            <tr key={y.year}>
              <th scope="row">{y.label}</th>
              <td className="app-numeric">{formatNumber(y.worse)}</td>
              {icb ? <td className="app-numeric">{formatNumber(y.practices)}</td> : null}
              <td className="app-numeric">{money(y.estimatedPence)}</td>
              <td className="app-numeric">{money(y.inYearPence)}</td>
              <td className="app-numeric">{formatNumber(y.noEstimate)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
