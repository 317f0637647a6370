/** A select's choices: [value, label] pairs; the first is usually the "Any …" choice with value "". */
export type FilterOptions = readonly (readonly [string, string])[];

/** Choices from a map of value to label, after a blank "Any …" choice when `blank` is given. */
export const filterOptions = (map: Record<string, string>, blank?: string): FilterOptions => [
  ...(blank !== undefined ? [["", blank] as const] : []),
  ...Object.entries(map),
];

/**
 * A labelled select in a GET filter form (id `filter-<name>`, so an error summary can link to it).
 * Its value comes from the URL, so it is uncontrolled: the page reloads with the new filter.
 */
export function FilterSelect({
  name,
  label,
  value,
  options,
}: {
  name: string;
  label: string;
  value: string | number | undefined | null;
  options: FilterOptions;
}) {
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={`filter-${name}`}>
        {label}
      </label>
      <select
        className="nhsuk-select"
        id={`filter-${name}`}
        name={name}
        defaultValue={value === undefined || value === null ? "" : String(value)}
      >
        {options.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </div>
  );
}
