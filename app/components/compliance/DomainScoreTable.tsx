import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { STATUSES, STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";
import { formatScore } from "~/modules/compliance/display";
import { countLink, filterHref, type FilterLinks } from "./filter-links";

type Counts = Record<Status, number>;

type DomainRow = { key: string; label: string; selfAssessed: number; summary: { score: number | null; counts: Counts } | null };

const COLUMNS = [
  { header: "Domain" },
  { header: "Score", numeric: true },
  ...STATUSES.map((s) => ({ header: STATUS_LABELS[s], numeric: true })),
  { header: "Self-assessed", numeric: true },
];

/*
 * Rows rendered by module-level functions with loops rather than closures made on each render
 * (`domains.map((d) => …)`): V8 drops the optimized code of closures made per request at every
 * full collection (docs/performance.md, session 16, optimized code dropped at every full
 * collection).
 */
function domainRow(d: DomainRow, links: FilterLinks) {
  const counts: ReactNode[] = [];
  for (const s of STATUSES) {
    counts.push(
      <td key={s}>
        {countLink(links, d.summary?.counts[s] ?? 0, { domain: d.key, status: s }, `${STATUS_LABELS[s].toLowerCase()} in ${d.label}`)}
      </td>,
    );
  }
  return (
    <tr key={d.key}>
      <th scope="row">
        <Link to={filterHref(links, { domain: d.key })} discover="none">
          {d.label}
        </Link>
      </th>
      <td>{d.summary ? formatScore(d.summary.score) : <span className="app-muted app-nowrap">No checks</span>}</td>
      {counts}
      <td>{countLink(links, d.selfAssessed, { domain: d.key, status: "attestation" }, `self-assessed in ${d.label}`)}</td>
    </tr>
  );
}

function totalCounts(counts: Counts, links: FilterLinks) {
  const cells: ReactNode[] = [];
  for (const s of STATUSES) {
    cells.push(
      <td key={s}>
        <strong>{countLink(links, counts[s], { status: s }, STATUS_LABELS[s].toLowerCase())}</strong>
      </td>,
    );
  }
  return cells;
}

/**
 * A practice's score and count of each result by domain, with a total row; each count links to the
 * requirements behind it (`countLink`, filter-links.tsx), so the table doubles as the page's filter. Every data
 * cell is a figure: aligned by the table's class, not one on each cell; and the span in each
 * count's link, the words a screen reader says after the figure, is visually hidden by the
 * table's class too (app-count-links in compliance.css).
 */
export function DomainScoreTable({
  domains,
  score,
  selfAssessed,
  links,
}: {
  domains: readonly DomainRow[];
  score: { score: number | null; counts: Counts };
  selfAssessed: number;
  /** Where each count and domain links: this page, filtered. */
  links: FilterLinks;
}) {
  const rows: ReactNode[] = [];
  for (const d of domains) rows.push(domainRow(d, links));
  return (
    <DataTable caption="Score and results by domain" scroll className="app-numeric-cells app-count-links" columns={COLUMNS}>
      {rows}
      <tr>
        <th scope="row">All domains</th>
        <td>
          <strong>{formatScore(score.score)}</strong>
        </td>
        {totalCounts(score.counts, links)}
        <td>
          <strong>{countLink(links, selfAssessed, { status: "attestation" }, "self-assessed")}</strong>
        </td>
      </tr>
    </DataTable>
  );
}
