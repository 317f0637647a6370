import { FilterForm } from "~/components/FilterForm";
import { FilterSelect } from "~/components/FilterSelect";
import { titleCase } from "~/utils/format";
import { CATEGORIES, DOMAINS } from "~/modules/catalogue";
import { RESPONSIBILITY_LABELS } from "~/modules/gaps/labels";
import { financialYearChoices, GAP_GROUPS, GAP_SORTS, GAP_STATUS_FILTERS, type ParsedGapFilters } from "~/modules/gaps/register";
import type { RegisterOptions } from "~/modules/gaps/register.server";
import type { OrgOption } from "~/modules/gaps/options-wire";
import { financialYearLabel } from "~/modules/pricing/financial-year";

/** A label map as select options, with an "any" choice first when given. */
const entries = (m: Record<string, string>, blank?: string): [string, string][] => [
  ...(blank !== undefined ? ([["", blank]] as [string, string][]) : []),
  ...Object.entries(m),
];
/** Organisations as select options: "Name (CODE)". */
const orgChoices = (list: OrgOption[], blank: string): [string, string][] => [
  ["", blank],
  ...list.map((o) => [o.code, `${titleCase(o.name)} (${o.code})`] as [string, string]),
];

/**
 * The gap register's filters, sort and grouping (a GET form), with an error summary linking to a
 * filter the server refused. Organisation filters are choices when the user's scope is small and
 * typed codes when it is the whole country.
 */
export function GapFilters({
  f,
  errors,
  options,
  currentYear,
}: {
  f: ParsedGapFilters["filters"];
  errors: ParsedGapFilters["errors"];
  options: RegisterOptions;
  currentYear: number;
}) {
  return (
    <>
      {Object.keys(errors).length > 0 ? (
        <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title" id="error-summary-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <ul className="nhsuk-list nhsuk-error-summary__list">
              {Object.entries(errors).map(([k, m]) => (
                <li key={k}>
                  <a href={`#filter-${k}`}>{m}</a>
                </li>
              ))}
            </ul>
          </div>
        </div>
      ) : null}
      <FilterForm heading="Filter, sort and group" clearTo="/gaps">
        {options.icbs.length || f.icb ? (
          <FilterSelect name="icb" label="ICB" value={f.icb} options={orgChoices(options.icbs, "Any ICB")} />
        ) : null}
        {options.subIcbs.length || f.sub_icb ? (
          <FilterSelect
            name="sub_icb"
            label="Sub-ICB location"
            value={f.sub_icb}
            options={orgChoices(options.subIcbs, "Any sub-ICB location")}
          />
        ) : null}
        {options.pcns === null ? (
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-pcn">
              PCN code
            </label>
            <input
              className="nhsuk-input nhsuk-input--width-5"
              id="filter-pcn"
              name="pcn"
              type="search"
              spellCheck={false}
              defaultValue={f.pcn ?? ""}
            />
          </div>
        ) : options.pcns.length || f.pcn ? (
          <FilterSelect name="pcn" label="PCN" value={f.pcn} options={orgChoices(options.pcns, "Any PCN")} />
        ) : null}
        {options.practices === null || errors.practice ? (
          <div className={`nhsuk-form-group${errors.practice ? " nhsuk-form-group--error" : ""}`}>
            <label className="nhsuk-label" htmlFor="filter-practice">
              Practice ODS code
            </label>
            {errors.practice ? (
              <span className="nhsuk-error-message" id="filter-practice-error">
                <span className="nhsuk-u-visually-hidden">Error:</span> {errors.practice}
              </span>
            ) : null}
            <input
              className={`nhsuk-input nhsuk-input--width-5${errors.practice ? " nhsuk-input--error" : ""}`}
              id="filter-practice"
              name="practice"
              type="search"
              spellCheck={false}
              defaultValue={f.practice ?? ""}
              aria-describedby={errors.practice ? "filter-practice-error" : undefined}
            />
          </div>
        ) : options.practices.length || f.practice ? (
          <FilterSelect name="practice" label="Practice" value={f.practice} options={orgChoices(options.practices, "Any practice")} />
        ) : null}
        <FilterSelect name="domain" label="Domain" value={f.domain} options={entries(DOMAINS, "Any domain")} />
        <FilterSelect name="category" label="Category" value={f.category} options={entries(CATEGORIES, "Any category")} />
        <FilterSelect name="funder" label="Responsibility" value={f.funder} options={entries(RESPONSIBILITY_LABELS, "Anyone")} />
        <FilterSelect name="status" label="Status" value={f.status} options={entries(GAP_STATUS_FILTERS)} />
        <FilterSelect
          name="fy"
          label="Financial year of deadline"
          value={f.fy}
          options={[
            ["", "Any year"],
            ...financialYearChoices(currentYear, f.fy).map((y) => [String(y), financialYearLabel(y)] as [string, string]),
          ]}
        />
        <FilterSelect name="sort" label="Sort by" value={f.sort} options={entries(GAP_SORTS)} />
        <FilterSelect name="group" label="Group by" value={f.group} options={entries(GAP_GROUPS)} />
      </FilterForm>
    </>
  );
}
