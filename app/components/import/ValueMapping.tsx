import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { formatNumber, plural } from "~/utils/format";

export interface ValueLine {
  column: string;
  header: string;
  practice: string;
  source: string;
  rows: number;
  mappedTo: string | null;
  options: { value: string; label: string }[];
}

/**
 * One line per distinct value the import did not recognise in an enumerated column ("'Desktops'
 * in Category, 212 rows"), with the values it may be mapped to, or "leave as a row error". A
 * value a saved choice mapped shows that choice, to change. Choices are saved for the user and
 * the file is checked again with them.
 */
export function ValueMapping({
  lines,
  total,
  errors,
  busy,
}: {
  lines: ValueLine[];
  total: number;
  errors: Record<string, string | undefined>;
  busy: boolean;
}) {
  if (lines.length === 0) return null;
  const unrecognised = lines.filter((l) => l.mappedTo === null).length;
  return (
    <>
      <h2 id="values">Values</h2>
      <p>
        {unrecognised > 0
          ? "Some values in your file are not ones the register uses. Choose what each one means: your choice applies to every row with that value, and is saved for your next import."
          : "Values in your file mapped by choices you saved before. You can change them here."}{" "}
        <Link to="/estate/import/mappings">See all your saved choices</Link>.
      </p>
      <Form method="post">
        <input type="hidden" name="intent" value="values" />
        <input type="hidden" name="value-count" value={lines.length} />
        {lines.map((l, i) => {
          const id = `field-value-${i}`;
          const error = errors[`value-${i}`];
          return (
            <div key={`${l.column}|${l.practice}|${l.source}`} className={`nhsuk-form-group${error ? " nhsuk-form-group--error" : ""}`}>
              <input type="hidden" name={`value-${i}-column`} value={l.column} />
              <input type="hidden" name={`value-${i}-practice`} value={l.practice} />
              <input type="hidden" name={`value-${i}-source`} value={l.source} />
              <label className="nhsuk-label" htmlFor={id}>
                {`"${l.source}" in ${l.header}, ${plural(l.rows, "row")}`}
              </label>
              {l.mappedTo !== null ? (
                <div className="nhsuk-hint" id={`${id}-hint`}>
                  Mapped by your saved choice: change it here if it is wrong.
                </div>
              ) : null}
              {error ? (
                <span className="nhsuk-error-message" id={`${id}-error`}>
                  <span className="nhsuk-u-visually-hidden">Error:</span> {error}
                </span>
              ) : null}
              <select
                className={`nhsuk-select${error ? " nhsuk-select--error" : ""}`}
                id={id}
                name={`value-${i}`}
                defaultValue={l.mappedTo === null ? "" : l.mappedTo === "" ? "-" : l.mappedTo}
                aria-describedby={
                  [l.mappedTo !== null ? `${id}-hint` : "", error ? `${id}-error` : ""].filter(Boolean).join(" ") || undefined
                }
              >
                <option value="">{l.column === "os_edition" ? "Keep it as the file says" : "Leave as a row error (not imported)"}</option>
                {l.options.map((o) => (
                  <option key={o.value} value={o.value}>
                    {o.label}
                  </option>
                ))}
              </select>
            </div>
          );
        })}
        {total > lines.length ? (
          <p className="nhsuk-body-s">{`Showing the ${formatNumber(lines.length)} values with the most rows of ${formatNumber(total)}.`}</p>
        ) : null}
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
          Save values and check again
        </button>
      </Form>
    </>
  );
}
