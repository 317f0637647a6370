import { Form, Link } from "@remix-run/react";
import { asOfInputValue } from "~/components/Compliance";
import { FilterSelect } from "~/components/FilterSelect";
import { DOMAINS } from "~/modules/catalogue";
import { PRACTICE_STATUS_FILTERS, type PracticeComplianceFilters as Filters } from "~/modules/compliance/schema";

/** A practice's compliance filters: domain, result and the date of the results (a GET form). */
export function PracticeComplianceFilters({
  filters,
  asOf,
  isToday,
  base,
}: {
  filters: Filters;
  asOf: string;
  isToday: boolean;
  base: string;
}) {
  return (
    <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
      <h2 className="nhsuk-heading-s">Filter requirements</h2>
      <div className="app-search-row">
        <FilterSelect name="domain" label="Domain" value={filters.domain} options={[["", "All domains"], ...Object.entries(DOMAINS)]} />
        <FilterSelect
          name="status"
          label="Result"
          value={filters.status}
          options={[["", "Any result"], ...Object.entries(PRACTICE_STATUS_FILTERS)]}
        />
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="filter-as_of">
            Results on
          </label>
          <input
            className="nhsuk-input nhsuk-input--width-10"
            id="filter-as_of"
            name="as_of"
            inputMode="numeric"
            placeholder="Today"
            defaultValue={asOfInputValue(asOf, isToday)}
          />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
          Apply
        </button>
        <Link to={base} className="nhsuk-body-s">
          Clear filters
        </Link>
      </div>
    </Form>
  );
}
