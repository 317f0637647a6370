import type { ReactNode } from "react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { formatNumber, titleCase } from "~/utils/format";
import { ListSizeVintage } from "~/components/ListSizeVintage";
import { NotKnown } from "~/components/NotKnown";
import { STATUSES, STATUS_LABELS } from "~/modules/catalogue/rule-types";
import { formatScore } from "~/modules/compliance/display";
import type { IcbPage } from "./types";

/*
 * Rows rendered by module-level functions with loops rather than closures made on each render:
 * V8 drops the optimized code of closures made per request at every full collection
 * (docs/performance.md, session 16, optimized code dropped at every full collection).
 */
function practiceRows(rows: IcbPage["page"]["rows"], domain: string | undefined, asOf: string) {
  const out: ReactNode[] = [];
  for (const p of rows) out.push(practiceRow(p, domain, asOf));
  return out;
}

function practiceRow(p: IcbPage["page"]["rows"][number], domain: string | undefined, asOf: string) {
  let counts: ReactNode = null;
  if (p.checked) {
    const cells: ReactNode[] = [];
    for (const s of STATUSES) cells.push(<td key={s}>{formatNumber(p.counts?.[s] ?? 0)}</td>);
    counts = (
      <>
        <td>{formatScore(p.score)}</td>
        {cells}
      </>
    );
  }
  return (
    <tr key={p.ods_code}>
      <td>
        <Link to={`/practices/${p.ods_code}/compliance${domain ? `?domain=${domain}` : ""}`}>{titleCase(p.name)}</Link>
        <div className="app-requirement-meta">{p.ods_code}</div>
      </td>
      <td>{p.pcn_name ? titleCase(p.pcn_name) : (p.pcn_code ?? <NotKnown>No PCN</NotKnown>)}</td>
      <td>
        {formatNumber(p.list_size)}
        {p.list_size !== null ? <ListSizeVintage date={p.list_size_date} asOf={asOf} /> : null}
      </td>
      {p.checked ? (
        counts
      ) : (
        <td colSpan={1 + STATUSES.length} className="app-muted">
          Not checked yet
        </td>
      )}
    </tr>
  );
}

/**
 * One page of an ICB's practices with their score and count of each result, in one domain or all.
 * The columns after the practice and its PCN are figures, aligned by the table's class
 * (compliance.css) rather than a class on each of their cells.
 */
export function IcbPracticeTable({
  rows,
  domain,
  domainLabel,
  asOf,
}: {
  rows: IcbPage["page"]["rows"];
  domain: string | undefined;
  domainLabel: string | null;
  asOf: string;
}) {
  return (
    <DataTable
      caption={domainLabel ? `Practices: ${domainLabel}` : "Practices: all domains"}
      scroll
      className="app-figures-from-3"
      columns={[
        { header: "Practice" },
        { header: "PCN" },
        { header: "List size", numeric: true },
        { header: "Score", numeric: true },
        ...STATUSES.map((s) => ({ header: STATUS_LABELS[s], numeric: true })),
      ]}
    >
      {practiceRows(rows, domain, asOf)}
    </DataTable>
  );
}
