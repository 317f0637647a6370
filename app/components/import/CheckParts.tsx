import { Form, useNavigation } from "@remix-run/react";
import { formatNumber, plural } from "~/utils/format";
import { DEVICE_LABELS, DEVICE_TYPES } from "~/modules/devices/schema";

/** Parts of the device import's check page (app/routes/estate.import.$id.tsx). */

export const typeLabel = (t: string) => DEVICE_TYPES[t as keyof typeof DEVICE_TYPES] ?? t;

/** "Import 30 rows", "… and skip 2 rejected rows", "… and retire 4 devices". */
export function commitLabel(rows: number, rejected: number, retire: number) {
  const parts = [`Import ${plural(rows, "row", "rows")}`];
  if (retire > 0) parts.push(`retire ${plural(retire, "device", "devices")}`);
  if (rejected > 0) parts.push(`skip ${plural(rejected, "rejected row", "rejected rows")}`);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Add and update only, or replace the practice's inventory (devices missing from the file are retired). */
export function ModeForm({ replace, practiceName, busy }: { replace: boolean; practiceName: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="mode" />
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Is this file every device at {practiceName}?</legend>
          <div className="nhsuk-radios">
            <div className="nhsuk-radios__item">
              <input className="nhsuk-radios__input" id="mode-add" name="mode" type="radio" value="add" defaultChecked={!replace} />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor="mode-add">
                No: add new devices and update the ones in the file, keep the rest
              </label>
            </div>
            <div className="nhsuk-radios__item">
              <input
                className="nhsuk-radios__input"
                id="mode-replace"
                name="mode"
                type="radio"
                value="replace"
                defaultChecked={replace}
                aria-describedby="mode-replace-hint"
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor="mode-replace">
                Yes: replace this practice's inventory
              </label>
              <div className="nhsuk-hint nhsuk-radios__hint" id="mode-replace-hint">
                Devices recorded at the practice but not in the file are retired (recorded as disposed of today). You will see how many, and
                which, before importing.
              </div>
            </div>
          </div>
        </fieldset>
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        Save and check again
      </button>
    </Form>
  );
}

export function Count({ label, value }: { label: string; value: number }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="nhsuk-table__cell--numeric">{formatNumber(value)}</td>
    </tr>
  );
}

/** One line per kind of problem: "304 rows: Type "Desktops" is not recognised", with example rows. */
export function ProblemGroups({
  groups,
  total,
}: {
  groups: { column: string; message: string; rows: number; examples: number[] }[];
  total: number;
}) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">Problems by kind, most rows first</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">Rows</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
          <th scope="col">For example, rows</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {groups.map((g) => (
          <tr key={`${g.column}|${g.message}`}>
            <td className="nhsuk-table__cell--numeric">{formatNumber(g.rows)}</td>
            <td>{g.column}</td>
            <td>{g.message}</td>
            <td>{`${g.examples.join(", ")}${g.rows > g.examples.length ? ` and ${formatNumber(g.rows - g.examples.length)} more` : ""}`}</td>
          </tr>
        ))}
      </tbody>
      {total > groups.length ? (
        <tfoot>
          <tr>
            <td colSpan={4}>{`Showing the ${formatNumber(groups.length)} most common of ${plural(total, "kind")} of problem.`}</td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

export function IssueTable({ caption, issues }: { caption: string; issues: { row: number; column: string; message: string }[] }) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {issues.map((x, i) => (
          <tr key={`${x.row}-${i}`}>
            <td>{x.row}</td>
            <td>{x.column}</td>
            <td>{x.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export interface SampleRow {
  row: number;
  practice_code: string;
  asset_tag: string | null;
  serial_number: string | null;
  device_type: string;
  make: string | null;
  model: string | null;
  changed: string[];
}

export function Samples({ title, rows, total, showChanges }: { title: string; rows: SampleRow[]; total: number; showChanges?: boolean }) {
  if (total === 0) return null;
  return (
    <>
      <h2>{title}</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          {total > rows.length ? `The first ${rows.length} of ${formatNumber(total)}` : `All ${formatNumber(total)}`}
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Practice</th>
            <th scope="col">Asset tag</th>
            <th scope="col">Serial number</th>
            <th scope="col">Type</th>
            <th scope="col">Make and model</th>
            {showChanges ? <th scope="col">Changes</th> : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((r) => (
            <tr key={r.row}>
              <td>{r.row}</td>
              <td>{r.practice_code}</td>
              <td>{r.asset_tag}</td>
              <td>{r.serial_number}</td>
              <td>{typeLabel(r.device_type)}</td>
              <td>{[r.make, r.model].filter(Boolean).join(" ")}</td>
              {showChanges ? <td>{r.changed.map((c) => DEVICE_LABELS[c] ?? c).join(", ")}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The confirmation: a plain form post that queues the import and moves to its job's page, which
 * shows its progress (with or without JavaScript). The button is disabled while the post is on
 * its way; a second post of the same file is refused by the server anyway.
 */
export function ImportCommitForm({
  expected,
  label,
}: {
  expected: { create: number; update: number; rejected: number; retire: number };
  label: string;
}) {
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formData?.get("intent") === "commit";
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="commit" />
      <input type="hidden" name="expected_create" value={expected.create} />
      <input type="hidden" name="expected_update" value={expected.update} />
      <input type="hidden" name="expected_rejected" value={expected.rejected} />
      <input type="hidden" name="expected_retire" value={expected.retire} />
      <button className="nhsuk-button" type="submit" disabled={sending} aria-disabled={sending}>
        {sending ? "Starting the import…" : label}
      </button>
      <p className="nhsuk-body-s">
        The import runs in the background: the next page shows how far it has gone, and you can leave it and come back.
      </p>
    </Form>
  );
}

/** Replace mode: how many devices the import retires, and the first of them. */
export function RetireSection({
  retire,
  count,
  practiceName,
}: {
  retire: {
    id: number;
    asset_tag: string | null;
    serial_number: string | null;
    device_name: string | null;
    device_type: string;
    make: string | null;
    model: string | null;
  }[];
  count: number;
  practiceName: string;
}) {
  return (
    <>
      <h2 id="retire">Devices to retire</h2>
      <p>
        {count === 0
          ? "Every device recorded at this practice is in the file: none will be retired."
          : `${plural(count, "device")} recorded at ${practiceName} ${count === 1 ? "is" : "are"} not in this file and will be retired: recorded as disposed of today, kept in the register and its history.`}
      </p>
      {count > 0 ? (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            {count > retire.length ? `The first ${retire.length} of ${formatNumber(count)}` : `All ${formatNumber(count)}`}
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Asset tag</th>
              <th scope="col">Serial number</th>
              <th scope="col">Device name</th>
              <th scope="col">Type</th>
              <th scope="col">Make and model</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {retire.map((d) => (
              <tr key={d.id}>
                <td>{d.asset_tag}</td>
                <td>{d.serial_number}</td>
                <td>{d.device_name}</td>
                <td>{typeLabel(d.device_type)}</td>
                <td>{[d.make, d.model].filter(Boolean).join(" ")}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : null}
    </>
  );
}
