import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { EvidenceList, StatusTag, UnitsList, UpcomingList } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { formatDate } from "~/utils/format";
import { Tag } from "~/components/Tag";
import { STATUS_LABELS } from "~/modules/catalogue/rule-types";
import { isAttestedRow, isSettledRow, type PracticeRow } from "~/modules/compliance/practice-rows";
import { filterHref, type FilterLinks } from "./filter-links";

/**
 * A requirement the registers cannot show: the practice attests it in its self-assessment. Those
 * in the framework version in force fold into one row per domain, as do settled results
 * (practice-rows.ts); the others keep their own row, which says so.
 */
const SELF_ASSESSED = <Tag colour="blue">Self-assessed</Tag>;

/**
 * Several requirements in one row, each linking to its page (reason, sources, history): a
 * domain's self-assessed requirements, or in the overview those met or not applicable with nothing
 * coming up. Rows that would each say the same thing, about two thirds of the catalogue.
 */
function FoldedRow({ base, rows, tag, intro }: { base: string; rows: PracticeRow[]; tag: ReactNode; intro: ReactNode }) {
  if (rows.length === 0) return null;
  return (
    <tr>
      <td colSpan={3}>
        {tag}
        <p className="app-lead">{intro}</p>
        <ul className="nhsuk-list">
          {rows.map(({ requirement: r, result }) => (
            <li key={r.id}>
              <Link to={`${base}/${r.id}`} discover="none">{`${r.id} ${r.title}`}</Link>
              {result ? `, since ${formatDate(result.since)}` : null}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

/*
 * Rows rendered by module-level functions with loops rather than closures made on each render
 * (`rows.map(({ requirement: r, … }) => …)`): V8 drops the optimized code of closures made per
 * request at every full collection (docs/performance.md, session 16, optimized code dropped at
 * every full collection).
 */
function requirementRows(rows: PracticeRow[], base: string, ods: string, frameworkName: string) {
  const out: ReactNode[] = [];
  for (const row of rows) if (!isAttestedRow(row) && !isSettledRow(row)) out.push(requirementRow(row, base, ods, frameworkName));
  return out;
}

function requirementRow({ requirement: r, result, inForce, attested, fix }: PracticeRow, base: string, ods: string, frameworkName: string) {
  return (
    <tr key={r.id}>
      <td>
        <Link to={`${base}/${r.id}`} discover="none">
          <strong>{r.id}</strong>
          {` ${r.title}`}
        </Link>
        <div>{r.meta}</div>
      </td>
      <td>
        {result ? <StatusTag status={result.status} /> : SELF_ASSESSED}
        {!inForce ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-top-2">{`Not in the ${frameworkName}`}</div> : null}
      </td>
      <td>
        {result && "reason" in result ? (
          <>
            <p>{result.reason}</p>
            <UpcomingList upcoming={result.upcoming ?? []} bare />
            <EvidenceList
              ods={ods}
              evidence={result.evidence ?? []}
              more={result.more && { ...result.more, href: `${base}/${r.id}` }}
              bare
            />
            <UnitsList units={result.toFix ?? []} cost={fix} bare />
            <p className="app-muted">{`This result since ${formatDate(result.since)}`}</p>
          </>
        ) : (
          <p>{attested ? "The practice attests this in its self-assessment." : "Not checked yet."}</p>
        )}
      </td>
    </tr>
  );
}

const SETTLED = ["met", "not_applicable"] as const;

function foldedSettledRows(rows: PracticeRow[], domain: string, base: string, links: FilterLinks) {
  const out: ReactNode[] = [];
  for (const status of SETTLED) {
    const settled: PracticeRow[] = [];
    for (const x of rows) if (isSettledRow(x) && x.result?.status === status) settled.push(x);
    out.push(
      <FoldedRow
        key={status}
        base={base}
        rows={settled}
        tag={<StatusTag status={status} />}
        intro={
          <Link
            to={filterHref(links, { domain, status })}
            discover="none"
          >{`Why each of these is ${STATUS_LABELS[status].toLowerCase()}`}</Link>
        }
      />,
    );
  }
  return out;
}

/**
 * One domain's requirements at a practice: a row each for those with something to say, the rest
 * folded. Its links to requirements, records and gaps are found when followed (discover="none"),
 * not each announced in the markup for Remix to look up on load: some 300 on a practice's page.
 * The table's class (.app-reqs in compliance.css) gives the cells' paragraphs and lists NHS.UK's
 * small body text and their gaps, and the line under each title its muted style, rather than
 * classes on each of them (issue 12, page weight).
 */
export function RequirementGroup({
  domain,
  label,
  rows,
  base,
  ods,
  frameworkName,
  links,
}: {
  domain: string;
  label: string;
  rows: PracticeRow[];
  base: string;
  ods: string;
  frameworkName: string;
  /** Where the page's filter links go (filter-links.tsx). */
  links: FilterLinks;
}) {
  return (
    <DataTable
      caption={label}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      className="app-reqs"
      scroll
      columns={[{ header: "Requirement" }, { header: "Result" }, { header: "Why" }]}
    >
      {requirementRows(rows, base, ods, frameworkName)}
      {foldedSettledRows(rows, domain, base, links)}
      <FoldedRow
        base={base}
        rows={rows.filter(isAttestedRow)}
        tag={SELF_ASSESSED}
        intro="The registers cannot show these; the practice attests them in its self-assessment:"
      />
    </DataTable>
  );
}
