import { Link } from "~/components/Link";
import { formatDate, formatNumber } from "~/utils/format";
import { SourceList } from "~/components/SourceList";
import { scrollRegion } from "~/components/scroll-region";

export interface FrameworkVersionRow {
  id: string;
  name: string;
  effectiveFrom: string;
  effectiveFromUnconfirmed: boolean;
  effectiveFromNote: string;
  sources: { ref: string; title: string }[];
  note: string;
  requirements: number;
  inForce: boolean;
}

/** The operating model's versions: effective date (marked when not confirmed), size and source. */
export function FrameworkVersionsTable({
  versions,
  caption,
  showInForce = false,
}: {
  versions: FrameworkVersionRow[];
  caption: string;
  showInForce?: boolean;
}) {
  return (
    <div className="app-table-wrap" {...scrollRegion(caption)}>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--m">{caption}</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Version</th>
            <th scope="col">Effective from</th>
            <th scope="col" className="app-numeric">
              Requirements
            </th>
            <th scope="col">Source</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {versions.map((v) => (
            <tr key={v.id}>
              <th scope="row">
                {v.name}
                {showInForce && v.inForce ? (
                  <>
                    {" "}
                    <strong className="nhsuk-tag nhsuk-tag--green">In force for this ICB</strong>
                  </>
                ) : null}
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">{v.note}</p>
              </th>
              <td>
                {formatDate(v.effectiveFrom)}
                {v.effectiveFromUnconfirmed ? (
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                    <strong className="nhsuk-tag nhsuk-tag--orange">UNCONFIRMED</strong> {v.effectiveFromNote}
                  </div>
                ) : null}
              </td>
              <td className="app-numeric">
                <Link to={`/requirements?version=${v.id}`}>
                  {formatNumber(v.requirements)}
                  <span className="nhsuk-u-visually-hidden"> requirements in the {v.name}</span>
                </Link>
              </td>
              <td>
                <SourceList sources={v.sources} compact />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
