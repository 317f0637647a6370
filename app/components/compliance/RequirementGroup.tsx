import { Link } from "@remix-run/react";
import type { ComponentProps, ReactNode } from "react";
import { EvidenceList, StatusTag, UnitsList, UpcomingList } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { formatDate } from "~/utils/format";
import { Tag } from "~/components/Tag";
import { STATUS_LABELS, type Status } from "~/modules/catalogue/rule-types";

/** A requirement's row as the practice's compliance page sends it (a settled result carries its status and date alone). */
export type ShownRow = {
  inForce: boolean;
  fix: ComponentProps<typeof UnitsList>["cost"];
  requirement: {
    id: string;
    title: string;
    category: string;
    funder: string;
    weight: number;
    automatic: boolean;
    sources: { ref: string }[];
  };
  result:
    | { settled: true; status: string; since: string }
    | {
        settled: false;
        status: string;
        since: string;
        reason: string;
        upcoming: ComponentProps<typeof UpcomingList>["upcoming"];
        evidence: ComponentProps<typeof EvidenceList>["evidence"];
        evidenceTotal: number;
        evidenceFailing: number;
        units: ComponentProps<typeof UnitsList>["units"];
      }
    | null;
};

/**
 * A requirement the registers cannot show: the practice attests it in its self-assessment. Only
 * requirements in the framework version in force are folded; the others keep their own row,
 * which says so.
 */
const isAttested = (row: ShownRow) => row.inForce && row.result === null && !row.requirement.automatic;
const isSettled = (row: ShownRow) => row.inForce && !!row.result?.settled;

const SELF_ASSESSED = <Tag colour="blue">Self-assessed</Tag>;

/**
 * Several requirements in one row, each linking to its page (reason, sources, history): a
 * domain's self-assessed requirements, or in the overview those met or not applicable with nothing
 * coming up. Rows that would each say the same thing, about two thirds of the catalogue.
 */
function FoldedRow({ base, rows, tag, intro }: { base: string; rows: ShownRow[]; tag: ReactNode; intro: ReactNode }) {
  if (rows.length === 0) return null;
  return (
    <tr>
      <td colSpan={3}>
        {tag}
        <p className="nhsuk-body-s nhsuk-u-margin-top-2 nhsuk-u-margin-bottom-1">{intro}</p>
        <ul className="nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-0">
          {rows.map(({ requirement: r, result }) => (
            <li key={r.id}>
              <Link to={`${base}/${r.id}`}>{`${r.id} ${r.title}`}</Link>
              {result ? `, since ${formatDate(result.since)}` : null}
            </li>
          ))}
        </ul>
      </td>
    </tr>
  );
}

const funderText = (f: string) => (f === "Practice" ? "the practice" : f === "ICB" ? "the ICB" : "national funding");

/** One domain's requirements at a practice: a row each for those with something to say, the rest folded. */
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
  rows: ShownRow[];
  base: string;
  ods: string;
  frameworkName: string;
  href: (p: { domain?: string; status?: string }) => string;
}) {
  return (
    <DataTable
      caption={label}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      scroll
      columns={[{ header: "Requirement" }, { header: "Result" }, { header: "Why" }]}
    >
      {rows
        .filter((x) => !isAttested(x) && !isSettled(x))
        .map(({ requirement: r, result, inForce, fix }) => (
          <tr key={r.id}>
            <td>
              <Link to={`${base}/${r.id}`}>
                <strong>{r.id}</strong>
                {` ${r.title}`}
              </Link>
              <div className="app-requirement-meta">
                {`${r.category} · funded by ${funderText(r.funder)} · weight ${r.weight} · sources ${r.sources.map((x) => x.ref).join(", ")}`}
              </div>
            </td>
            <td>
              {result ? <StatusTag status={result.status as Status} /> : SELF_ASSESSED}
              {!inForce ? <div className="nhsuk-body-s app-muted nhsuk-u-margin-top-2">Not in the {frameworkName}</div> : null}
            </td>
            <td>
              {result && !result.settled ? (
                <>
                  <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">{result.reason}</p>
                  <UpcomingList upcoming={result.upcoming} />
                  <EvidenceList
                    ods={ods}
                    evidence={result.evidence}
                    more={{ total: result.evidenceTotal, failing: result.evidenceFailing, href: `${base}/${r.id}` }}
                  />
                  <UnitsList units={result.units} cost={fix} />
                  <p className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">{`This result since ${formatDate(result.since)}`}</p>
                </>
              ) : (
                <p className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  {r.automatic ? "Not checked yet." : "The practice attests this in its self-assessment."}
                </p>
              )}
            </td>
          </tr>
        ))}
      {(["met", "not_applicable"] as const).map((status) => (
        <FoldedRow
          key={status}
          base={base}
          rows={rows.filter((x) => isSettled(x) && x.result?.status === status)}
          tag={<StatusTag status={status} />}
          intro={<Link to={href({ domain, status })}>{`Why each of these is ${STATUS_LABELS[status].toLowerCase()}`}</Link>}
        />
      ))}
      <FoldedRow
        base={base}
        rows={rows.filter(isAttested)}
        tag={SELF_ASSESSED}
        intro="The registers cannot show these; the practice attests them in its self-assessment:"
      />
    </DataTable>
  );
}
