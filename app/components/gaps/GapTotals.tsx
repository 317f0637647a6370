import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { titleCase } from "~/utils/format";
import { TotalsCells } from "~/components/Gaps";
import { GAP_GROUPS, type ParsedGapFilters } from "~/modules/gaps/register";
import type { getGapRegister } from "~/modules/gaps/register.server";

/** "Sub-ICB location" → "sub-ICB location"; "PCN" and "ICB" stay as they are. */
const inSentence = (label: string) => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

/**
 * The register's totals, by the chosen group (each row links to its gaps) or overall, and why a
 * practice's patients may count in more than one group.
 */
export function GapTotals({
  group,
  summary,
  query,
}: {
  group: ParsedGapFilters["filters"]["group"];
  summary: Awaited<ReturnType<typeof getGapRegister>>["summary"];
  /** The register's query string with these changes (a row's filter). */
  query: (extra: Record<string, string | number | undefined>) => string;
}) {
  return (
    <>
      <DataTable
        caption={group === "none" ? "Totals" : `Gaps by ${inSentence(GAP_GROUPS[group])}`}
        scroll
        columns={[
          { header: group === "none" ? "" : GAP_GROUPS[group] },
          ...["Gaps", "Patients affected", "Estimated cost (ex VAT)", "Inc VAT", "Gaps with no estimate"].map((header) => ({
            header,
            numeric: true,
          })),
        ]}
      >
        {group !== "none"
          ? summary.rows.map((r) => (
              <tr key={r.key}>
                <th scope="row">
                  {Object.keys(r.filter).length ? (
                    <Link to={`/gaps?${query({ ...r.filter, group: undefined })}`}>{titleCase(r.label)}</Link>
                  ) : (
                    r.label
                  )}
                </th>
                <TotalsCells t={r} />
              </tr>
            ))
          : null}
        <tr>
          <th scope="row">
            <strong>Total</strong>
          </th>
          <TotalsCells t={summary.total} />
        </tr>
      </DataTable>
      {group !== "none" && !summary.patientsAdditive ? (
        <p className="nhsuk-body-s">
          A practice with gaps in more than one {inSentence(GAP_GROUPS[group])} counts its patients in each of them; the total counts each
          practice once. Gaps, costs and gaps with no estimate in the total are the sum of the rows.
        </p>
      ) : null}
    </>
  );
}
