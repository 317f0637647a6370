import { FilterDate, FilterForm } from "~/components/FilterForm";
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
    <FilterForm heading="Filter requirements" clearTo={base}>
      <FilterSelect name="domain" label="Domain" value={filters.domain} options={[["", "All domains"], ...Object.entries(DOMAINS)]} />
      <FilterSelect
        name="status"
        label="Result"
        value={filters.status}
        options={[["", "Any result"], ...Object.entries(PRACTICE_STATUS_FILTERS)]}
      />
      <FilterDate label="Results on" asOf={asOf} isToday={isToday} />
    </FilterForm>
  );
}
