import { Form } from "@remix-run/react";
import { IMPORT_TARGETS, TARGET_LABELS, type ImportTarget } from "~/modules/devices/import/map";

/** "Which column of your file goes where": the device import's column mapping form. */
export function ColumnsForm({
  columns,
  busy,
}: {
  columns: { header: string; target: ImportTarget | null; samples: string[]; notImported: string | null }[];
  busy: boolean;
}) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="mapping" />
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Which column of your file goes where</caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Column in your file</th>
            <th scope="col">Examples</th>
            <th scope="col">Imports into</th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {columns.map((c, i) => (
            <tr key={i}>
              <th scope="row">{c.header}</th>
              <td>
                {c.samples.length ? c.samples.join(", ") : <span className="app-muted">Empty</span>}
                {c.notImported ? (
                  <span className="nhsuk-hint nhsuk-u-font-size-16 nhsuk-u-margin-bottom-0">{`Not imported: ${c.notImported}`}</span>
                ) : null}
              </td>
              <td>
                <label className="nhsuk-u-visually-hidden" htmlFor={`target-${i}`}>
                  {`Imports "${c.header}" into`}
                </label>
                <select className="nhsuk-select" id={`target-${i}`} name={`target-${i}`} defaultValue={c.target ?? ""}>
                  <option value="">Do not import</option>
                  {IMPORT_TARGETS.map((t) => (
                    <option key={t} value={t}>
                      {TARGET_LABELS[t]}
                    </option>
                  ))}
                </select>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        Save columns and check again
      </button>
      <p className="nhsuk-body-s">Your choices are remembered for the next file you upload with the same column names.</p>
    </Form>
  );
}
