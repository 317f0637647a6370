import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { formatNumber, plural, titleCase } from "~/utils/format";
import { bandFor, formatScore, listHref } from "~/modules/compliance/display";
import type { IcbPage } from "./types";

/** A heat map cell: its band's colour and its score ("–" when no practice is shown in it). */
function HeatCell({ score, children }: { score: number | null | undefined; children?: ReactNode }) {
  return (
    <td className={`app-band--${score === undefined ? "none" : bandFor(score)}`}>
      {score === undefined ? "–" : formatScore(score)}
      {children}
    </td>
  );
}

/*
 * Rows rendered by module-level functions with loops rather than closures made on each render
 * (`heatmap.map((row) => …)`): V8 drops the optimized code of closures made per request at every
 * full collection (docs/performance.md, session 16, optimized code dropped at every full
 * collection).
 */
function heatRows(heatmap: IcbPage["heatmap"], domains: IcbPage["domains"], base: string, asOf: string | null) {
  const rows: ReactNode[] = [];
  for (const row of heatmap) rows.push(heatRow(row, domains, base, asOf));
  return rows;
}

function heatRow(row: IcbPage["heatmap"][number], domains: IcbPage["domains"], base: string, asOf: string | null) {
  const cells: ReactNode[] = [];
  for (let i = 0; i < row.cells.length; i++) {
    const [practices, score, unknown] = row.cells[i];
    cells.push(
      <HeatCell key={domains[i].key} score={practices === 0 ? undefined : score}>
        {practices > 0 && practices < row.practices ? (
          <span>{`${formatNumber(practices)} of ${plural(row.practices, "practice")}`}</span>
        ) : null}
        {unknown > 0 ? <span>{`${formatNumber(unknown)} not known`}</span> : null}
      </HeatCell>,
    );
  }
  return (
    // One link a row (the PCN's practices) and one a column (the domain's scores), not one a
    // cell: a cell is its score and, when they apply, its practices and unknowns, each one
    // text node. The row and column headers name a cell for screen readers. About a fifth
    // of the markup of the linked cells for a 48-PCN ICB. The links land on the list
    // they filter (#practices), not at the top of the page. Each span is a detail
    // (compliance.css styles every span in the map's body so).
    <tr key={row.pcn}>
      <th scope="row">
        <Link to={`${listHref(base, { pcn: row.pcn, checked: "yes" }, asOf)}#practices`}>{titleCase(row.pcn_name)}</Link>
        <span>{plural(row.practices, "practice")}</span>
      </th>
      <HeatCell score={row.score} />
      {cells}
    </tr>
  );
}

/** An ICB's weighted score by PCN (rows) and domain (columns); each row and column links to the practice list it filters. */
export function IcbHeatmap({
  heatmap,
  domains,
  base,
  asOf,
}: {
  heatmap: IcbPage["heatmap"];
  domains: IcbPage["domains"];
  base: string;
  /** The results date when not today (kept in the links). */
  asOf: string | null;
}) {
  return (
    <DataTable
      caption="Weighted score by PCN (rows) and domain (columns)"
      scroll
      className="app-heatmap"
      columns={[
        { header: "PCN" },
        { header: "All domains" },
        ...domains.map((d) => ({ header: <Link to={`${listHref(base, { domain: d.key }, asOf)}#practices`}>{d.label}</Link> })),
      ]}
    >
      {heatRows(heatmap, domains, base, asOf)}
    </DataTable>
  );
}
