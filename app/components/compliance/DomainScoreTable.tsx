import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";
import { STATUSES, STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";
import { formatScore } from "~/modules/compliance/display";

type Counts = Record<Status, number>;
type Filter = { domain?: string; status?: string };

/**
 * A practice's score and count of each result by domain, with a total row; each count links to the
 * requirements behind it (`countLink`), so the table doubles as the page's filter. Every data
 * cell is a figure: aligned by the table's class, not one on each cell; and the span in each
 * count's link, the words a screen reader says after the figure, is visually hidden by the
 * table's class too (app-count-links in compliance.css).
 */
export function DomainScoreTable({
  domains,
  score,
  selfAssessed,
  href,
  countLink,
}: {
  domains: readonly { key: string; label: string; selfAssessed: number; summary: { score: number | null; counts: Counts } | null }[];
  score: { score: number | null; counts: Counts };
  selfAssessed: number;
  href: (p: Filter) => string;
  countLink: (n: number, p: Filter, label: string) => ReactNode;
}) {
  return (
    <DataTable
      caption="Score and results by domain"
      scroll
      className="app-numeric-cells app-count-links"
      columns={[
        { header: "Domain" },
        { header: "Score", numeric: true },
        ...STATUSES.map((s) => ({ header: STATUS_LABELS[s], numeric: true })),
        { header: "Self-assessed", numeric: true },
      ]}
    >
      {domains.map((d) => (
        <tr key={d.key}>
          <th scope="row">
            <Link to={href({ domain: d.key })} discover="none">
              {d.label}
            </Link>
          </th>
          <td>{d.summary ? formatScore(d.summary.score) : <span className="app-muted app-nowrap">No checks</span>}</td>
          {STATUSES.map((s) => (
            <td key={s}>
              {countLink(d.summary?.counts[s] ?? 0, { domain: d.key, status: s }, `${STATUS_LABELS[s].toLowerCase()} in ${d.label}`)}
            </td>
          ))}
          <td>{countLink(d.selfAssessed, { domain: d.key, status: "attestation" }, `self-assessed in ${d.label}`)}</td>
        </tr>
      ))}
      <tr>
        <th scope="row">All domains</th>
        <td>
          <strong>{formatScore(score.score)}</strong>
        </td>
        {STATUSES.map((s) => (
          <td key={s}>
            <strong>{countLink(score.counts[s], { status: s }, STATUS_LABELS[s].toLowerCase())}</strong>
          </td>
        ))}
        <td>
          <strong>{countLink(selfAssessed, { status: "attestation" }, "self-assessed")}</strong>
        </td>
      </tr>
    </DataTable>
  );
}
