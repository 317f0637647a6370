import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { FilterSelect, type FilterOptions } from "~/components/FilterSelect";

/** dd/mm/yyyy for a date input, or "" for today (the placeholder says "Today"). */
const ukDate = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

/**
 * A list's filter form: a GET form, so every filter is in the URL and a view can be shared. The
 * filters go in `children` (FilterSelect, FilterText, FilterDate); the sort and order selects
 * (with `sort`), Apply and "Clear filters" close the row, the same on every list.
 */
export function FilterForm({
  heading,
  clearTo,
  sort,
  children,
}: {
  /** A small heading above the row ("Filter and sort"), if the page has one. */
  heading?: string;
  /** Where "Clear filters" goes: the list without its filters. */
  clearTo: string;
  /** The list's sorts, the chosen one and direction, and what ascending and descending mean here. */
  sort?: { value: string | undefined; options: FilterOptions; dir: string | undefined; order: readonly [asc: string, desc: string] };
  children?: ReactNode;
}) {
  return (
    <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
      {heading ? <h2 className="nhsuk-heading-s">{heading}</h2> : null}
      <div className="app-search-row">
        {children}
        {sort ? (
          <>
            <FilterSelect name="sort" label="Sort by" value={sort.value} options={sort.options} />
            <FilterSelect
              name="dir"
              label="Order"
              value={sort.dir}
              options={[
                ["asc", sort.order[0]],
                ["desc", sort.order[1]],
              ]}
            />
          </>
        ) : null}
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Apply
        </button>
        <Link to={clearTo} className="nhsuk-body-s">
          Clear filters
        </Link>
      </div>
    </Form>
  );
}

/** A labelled search box in a filter form (id `filter-<name>`). */
export function FilterText({
  name,
  label,
  value,
  width,
  spellCheck,
}: {
  name: string;
  label: string;
  value: string | undefined | null;
  /** The NHS.UK input width class (characters): 20 for names, 5 for codes. */
  width: number;
  spellCheck?: boolean;
}) {
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor={`filter-${name}`}>
        {label}
      </label>
      <input
        className={`nhsuk-input nhsuk-input--width-${width}`}
        id={`filter-${name}`}
        name={name}
        type="search"
        spellCheck={spellCheck}
        defaultValue={value ?? ""}
      />
    </div>
  );
}

/** The date the list is worked out for (`as_of`), empty for today. */
export function FilterDate({ label, asOf, isToday }: { label: string; asOf: string; isToday: boolean }) {
  return (
    <div className="nhsuk-form-group">
      <label className="nhsuk-label" htmlFor="filter-as_of">
        {label}
      </label>
      <input
        className="nhsuk-input nhsuk-input--width-10"
        id="filter-as_of"
        name="as_of"
        inputMode="numeric"
        placeholder="Today"
        defaultValue={isToday ? "" : ukDate(asOf)}
      />
    </div>
  );
}
