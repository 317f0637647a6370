import { Link } from "~/components/Link";
import { FilterDate, FilterForm, FilterText } from "~/components/FilterForm";
import { FilterSelect } from "~/components/FilterSelect";
import { plural, titleCase } from "~/utils/format";
import { DOMAINS } from "~/modules/catalogue";
import { ICB_SORTS } from "~/modules/compliance/schema";
import type { IcbPage } from "./types";

/** The ICB compliance page's practice filters (a GET form: every filter is in the URL, so a view can be shared). */
// A loop, not pcns.map with a closure made per request (docs/performance.md, session 17, load scaling).
function pcnOptions(pcns: readonly { code: string; name: string }[]): [string, string][] {
  const out: [string, string][] = [["", "All PCNs"]];
  for (const p of pcns) out.push([p.code, titleCase(p.name)]);
  return out;
}

export function IcbPracticeFilters({
  f,
  pcns,
  asOf,
  isToday,
  base,
}: {
  f: IcbPage["filters"];
  pcns: IcbPage["pcns"];
  asOf: string;
  isToday: boolean;
  base: string;
}) {
  return (
    <FilterForm
      clearTo={`${base}#practices`}
      sort={{ value: f.sort, options: Object.entries(ICB_SORTS), dir: f.dir, order: ["Lowest first", "Highest first"] }}
    >
      <FilterText name="q" label="Practice name or ODS code" value={f.q} width={20} />
      <FilterSelect name="pcn" label="PCN" value={f.pcn} options={pcnOptions(pcns)} />
      <FilterSelect
        name="domain"
        label="Scores and counts for"
        value={f.domain}
        options={[["", "All domains"], ...Object.entries(DOMAINS)]}
      />
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="filter-min">
          Score from (%)
        </label>
        <input className="nhsuk-input nhsuk-input--width-4" id="filter-min" name="min" inputMode="decimal" defaultValue={f.min ?? ""} />
      </div>
      <div className="nhsuk-form-group">
        <label className="nhsuk-label" htmlFor="filter-max">
          Score to (%)
        </label>
        <input className="nhsuk-input nhsuk-input--width-4" id="filter-max" name="max" inputMode="decimal" defaultValue={f.max ?? ""} />
      </div>
      <FilterSelect
        name="checked"
        label="Checked"
        value={f.checked}
        options={[
          ["", "All practices"],
          ["yes", "Checked"],
          ["no", "Not checked yet"],
        ]}
      />
      <FilterDate label="Results on" asOf={asOf} isToday={isToday} />
    </FilterForm>
  );
}

/**
 * What the list below is showing, in words, with a way out: where a heat-map link (or the form)
 * lands, the first thing read is "Showing 12 practices in PCN X scored on Devices".
 */
export function FilterSummary({ f, pcns, total, base }: { f: IcbPage["filters"]; pcns: IcbPage["pcns"]; total: number; base: string }) {
  const parts: string[] = [];
  if (f.pcn === "none") parts.push("with no PCN");
  else if (f.pcn) parts.push(`in ${titleCase(pcns.find((p) => p.code === f.pcn)?.name ?? f.pcn)}`);
  if (f.q) parts.push(`matching \u201c${f.q}\u201d`);
  if (f.checked === "yes") parts.push("checked");
  if (f.checked === "no") parts.push("not checked yet");
  if (f.min !== undefined && f.max !== undefined) parts.push(`scoring ${f.min}% to ${f.max}%`);
  else if (f.min !== undefined) parts.push(`scoring ${f.min}% or more`);
  else if (f.max !== undefined) parts.push(`scoring up to ${f.max}%`);
  if (f.domain) parts.push(`scored on ${DOMAINS[f.domain]}`);
  const filtered = parts.length > 0;
  return (
    <p role="status" id="practices-summary">
      <strong>
        Showing {plural(total, "practice")}
        {filtered ? ` ${parts.join(", ")}` : " (every practice in the ICB)"}
      </strong>
      {filtered ? (
        <>
          {" "}
          &mdash; <Link to={`${base}#practices`}>clear filter</Link>
        </>
      ) : null}
    </p>
  );
}
