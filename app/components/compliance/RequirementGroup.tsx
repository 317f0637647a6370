import { Link } from "~/components/Link";
import type { ReactNode } from "react";
import { EvidenceList, StatusTag, UnitsList, UpcomingList } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { formatDate } from "~/utils/format";
import { Tag } from "~/components/Tag";
import { STATUS_LABELS } from "~/modules/catalogue/rule-types";
import { isAttestedRow, isSettledRow, type PracticeRow } from "~/modules/compliance/practice-rows";

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
  href,
}: {
  domain: string;
  label: string;
  rows: PracticeRow[];
  base: string;
  ods: string;
  frameworkName: string;
  href: (p: { domain?: string; status?: string }) => string;
}) {
  return (
    <DataTable
      caption={label}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      className="app-reqs"
      scroll
      columns={[{ header: "Requirement" }, { header: "Result" }, { header: "Why" }]}
    >
      {rows
        .filter((x) => !isAttestedRow(x) && !isSettledRow(x))
        .map(({ requirement: r, result, inForce, attested, fix }) => (
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
        ))}
      {(["met", "not_applicable"] as const).map((status) => (
        <FoldedRow
          key={status}
          base={base}
          rows={rows.filter((x) => isSettledRow(x) && x.result?.status === status)}
          tag={<StatusTag status={status} />}
          intro={<Link to={href({ domain, status })} discover="none">{`Why each of these is ${STATUS_LABELS[status].toLowerCase()}`}</Link>}
        />
      ))}
      <FoldedRow
        base={base}
        rows={rows.filter(isAttestedRow)}
        tag={SELF_ASSESSED}
        intro="The registers cannot show these; the practice attests them in its self-assessment:"
      />
    </DataTable>
  );
}
