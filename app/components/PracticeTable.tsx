import { Link } from "~/components/Link";
import { formatNumber, practiceStatus, titleCase } from "~/utils/format";
import { scrollRegion } from "~/components/scroll-region";
import { ListSizeVintage } from "~/components/ListSizeVintage";

export interface PracticeRow {
  ods_code: string;
  name: string;
  postcode: string | null;
  status: string;
  country: string;
  list_size: number | null;
  /** The extract date of the list size (shown as its month); absent where a caller does not load it. */
  list_size_date?: string | null;
  clinical_system: string | null;
  pcn_name: string | null;
}

export function PracticeTable({ rows, caption }: { rows: PracticeRow[]; caption: string }) {
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Practice</th>
            <th scope="col">ODS code</th>
            <th scope="col">Postcode</th>
            <th scope="col">PCN</th>
            <th scope="col">Clinical system</th>
            <th scope="col" className="app-numeric">
              List size (month)
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((p) => (
            <tr key={p.ods_code}>
              <td>
                <Link to={`/practices/${p.ods_code}`}>{titleCase(p.name)}</Link>
                {p.status !== "A" ? (
                  <strong className="nhsuk-tag nhsuk-tag--grey nhsuk-u-margin-left-2">{practiceStatus(p.status)}</strong>
                ) : null}
                {p.country !== "England" ? <strong className="nhsuk-tag nhsuk-tag--blue nhsuk-u-margin-left-2">{p.country}</strong> : null}
              </td>
              <td>{p.ods_code}</td>
              <td>{p.postcode}</td>
              <td>{titleCase(p.pcn_name)}</td>
              <td>{p.clinical_system}</td>
              <td className="app-numeric">
                {formatNumber(p.list_size)}
                {p.list_size !== null && p.list_size_date !== undefined ? <ListSizeVintage date={p.list_size_date} /> : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
