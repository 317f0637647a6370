import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Pagination } from "~/components/Pagination";
import { formatNumber, titleCase } from "~/utils/format";
import { TotalsCells } from "~/components/Gaps";
import { GAP_GROUPS, type GapGroup, type GroupPage, type ParsedGapFilters } from "~/modules/gaps/register";
import type { getGapRegister } from "~/modules/gaps/register.server";

/** "Sub-ICB location" → "sub-ICB location"; "PCN" and "ICB" stay as they are. */
const inSentence = (label: string) => (/^[A-Z]{2}/.test(label) ? label : label.charAt(0).toLowerCase() + label.slice(1));

/** What the rows of each grouping are, counted ("6,220 practices"). */
const GROUP_PLURALS: Record<Exclude<GapGroup, "none">, string> = {
  icb: "ICBs",
  sub_icb: "sub-ICB locations",
  pcn: "PCNs",
  practice: "practices",
  domain: "domains",
  category: "categories",
  funder: "responsibilities",
  status: "statuses",
  financial_year: "financial years",
};

/** The row of gaps with no such organisation, in a sentence ("all 1,296 PCNs and practices not in a PCN"). */
const UNASSIGNED: Partial<Record<GapGroup, string>> = {
  icb: "practices with no ICB",
  sub_icb: "practices with no sub-ICB location",
  pcn: "practices not in a PCN",
};

/**
 * The register's totals, by the chosen group (each row links to its gaps) or overall, and why a
 * practice's patients may count in more than one group. The group rows come a page at a time
 * (`groupPage`, the `gpage` parameter); the total row is always over every group.
 */
export function GapTotals({
  group,
  summary,
  groupPage,
  query,
}: {
  group: ParsedGapFilters["filters"]["group"];
  /** Its rows are the current page's; its total covers every page. */
  summary: Awaited<ReturnType<typeof getGapRegister>>["summary"];
  groupPage: GroupPage;
  /** The register's query string with these changes (a row's filter). */
  query: (extra: Record<string, string | number | undefined>) => string;
}) {
  const paged = group !== "none" && groupPage.pageCount > 1;
  // "all 6,220 practices"; "all 1,296 PCNs and practices not in a PCN" when a row is for those in none.
  const every =
    group === "none"
      ? ""
      : `all ${formatNumber(groupPage.named)} ${GROUP_PLURALS[group]}${groupPage.named < groupPage.total ? ` and ${UNASSIGNED[group] ?? "the rest"}` : ""}`;
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
            {paged ? ` (${every})` : null}
          </th>
          <TotalsCells t={summary.total} />
        </tr>
      </DataTable>
      {paged ? (
        <>
          <Pagination
            page={groupPage.page}
            pageCount={groupPage.pageCount}
            total={groupPage.total}
            noun={groupPage.named === groupPage.total ? GROUP_PLURALS[group] : "rows"}
            param="gpage"
            label="Pagination of the group totals"
          />
          <p className="nhsuk-body-s">
            The table shows {groupPage.pageSize} rows a page. The total row covers {every}, on every page, not only those shown here
            {summary.patientsAdditive ? ": each of its figures is the sum of the rows on every page." : "."}
          </p>
        </>
      ) : null}
      {group !== "none" && !summary.patientsAdditive ? (
        <p className="nhsuk-body-s">
          A practice with gaps in more than one {inSentence(GAP_GROUPS[group])} counts its patients in each of them; the total counts each
          practice once. Gaps, costs and gaps with no estimate in the total are the sum of the rows{paged ? " on every page" : ""}.
        </p>
      ) : null}
    </>
  );
}
