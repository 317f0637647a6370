import { Link } from "~/components/Link";
import { DataTable, NUMERIC_CELL } from "~/components/DataTable";
import { Tag } from "~/components/Tag";
import { formatCount, monthLong } from "~/modules/paper/format";
import { kg1, type PaperPage } from "./types";

const ACTION = { header: <span className="nhsuk-u-visually-hidden">Action</span> };
const nothingRecorded = (m: PaperPage["monthly"][number]) => m.status === "missing" && m.missing[0] === "nothing recorded";

/** The figures behind each month (newest first), and any recorded for a single site; editors get a link per row. */
export function PaperMonths({ d, base, canEdit }: { d: Pick<PaperPage, "monthly" | "activity">; base: string; canEdit: boolean }) {
  const recent = d.monthly.slice(-24);
  // A whole-practice record spanning several months is changed from its first month.
  const coveringStart = (month: string) =>
    d.activity
      .find((a) => a.site_code === null && a.period_start.slice(0, 7) <= month && a.period_end.slice(0, 7) >= month)
      ?.period_start.slice(0, 7) ?? month;
  const caption = "Paper and post recorded, and the carbon worked out from them";
  const siteRows = d.activity.filter((a) => a.site_code).reverse();
  return (
    <>
      <DataTable
        caption={caption}
        scroll
        id="paper-months"
        columns={[
          { header: "Month" },
          ...["Sheets printed", "Recycled", "Letters posted", "Digital messages", "Paper and printing", "Post", "Total kg CO2e"].map(
            (header) => ({ header, numeric: true }),
          ),
          canEdit && ACTION,
        ]}
      >
        {[...recent].reverse().map((m) => (
          <tr key={m.month} id={`month-${m.month}`}>
            <th scope="row">{monthLong(m.month)}</th>
            {nothingRecorded(m) ? (
              <td colSpan={7}>
                <Tag colour="grey">Missing</Tag> nothing recorded
              </td>
            ) : (
              <>
                <td className={NUMERIC_CELL}>{formatCount(m.inputs.sheets)}</td>
                <td className={NUMERIC_CELL}>
                  {m.inputs.sheets ? `${Math.round((m.inputs.recycledSheets / m.inputs.sheets) * 100)}%` : "–"}
                </td>
                <td className={NUMERIC_CELL}>{formatCount(m.inputs.letters)}</td>
                <td className={NUMERIC_CELL}>{formatCount(m.inputs.digital)}</td>
                <td className={NUMERIC_CELL}>{m.parts ? kg1(m.parts.paper + m.parts.printing) : "–"}</td>
                <td className={NUMERIC_CELL}>{m.parts ? kg1(m.parts.post + m.parts.digital) : "–"}</td>
                <td className={NUMERIC_CELL}>
                  {m.kg === null ? (
                    <>
                      <Tag colour="grey">Missing</Tag> <span className="nhsuk-body-s">{m.missing.join(", ")}</span>
                    </>
                  ) : (
                    kg1(m.kg)
                  )}
                </td>
              </>
            )}
            {canEdit ? (
              <td>
                <Link to={`${base}/activity?month=${coveringStart(m.month)}`}>
                  {nothingRecorded(m) ? "Record" : "Change"}
                  <span className="nhsuk-u-visually-hidden"> {monthLong(m.month)}</span>
                </Link>
              </td>
            ) : null}
          </tr>
        ))}
      </DataTable>
      {siteRows.length ? (
        <DataTable
          caption="Figures recorded for a single site (included in the months above)"
          rows={siteRows}
          rowKey={(a) => a.id}
          columns={[
            {
              header: "Period",
              cell: (a) => (
                <>
                  {monthLong(a.period_start.slice(0, 7))}
                  {a.period_end.slice(0, 7) !== a.period_start.slice(0, 7) ? ` to ${monthLong(a.period_end.slice(0, 7))}` : ""}
                </>
              ),
            },
            { header: "Site", cell: (a) => a.site_code },
            { header: "Sheets printed", numeric: true, cell: (a) => formatCount(a.sheets_printed) },
            { header: "Letters posted", numeric: true, cell: (a) => formatCount(a.letters_posted) },
            canEdit && {
              ...ACTION,
              cell: (a) => (
                <Link to={`${base}/activity?month=${a.period_start.slice(0, 7)}&site=${a.site_code}`}>
                  Change
                  <span className="nhsuk-u-visually-hidden">
                    {" "}
                    {monthLong(a.period_start.slice(0, 7))} at site {a.site_code}
                  </span>
                </Link>
              ),
            },
          ]}
        />
      ) : null}
    </>
  );
}
