import { Link } from "~/components/Link";
import { formatNumber, plural, titleCase } from "~/utils/format";
import type { ImpactPreview as Impact, PracticeImpact } from "~/modules/devices/import/impact.server";
import type { GapTotals } from "~/modules/compliance/what-if.server";
import { formatPence } from "~/modules/pricing/money";

const money = (t: GapTotals) =>
  `${formatPence(t.pence, { whole: true })} ex VAT (${formatPence(t.pence + t.vatPence, { whole: true })} inc VAT)${t.unpriced ? `, ${formatNumber(t.unpriced)} without an estimate` : ""}`;

/**
 * "If you import this file": per practice, the requirements whose judgement changes and the open
 * gaps and estimate before → after, as the compliance rules work them out in memory (nothing is
 * stored until the import runs), with the assumptions they rest on.
 */
export function ImpactPreview({
  impact,
  assumptions,
  links = {},
}: {
  impact: Impact;
  assumptions: string[];
  /** Where to change an assumption that is a setting rather than the file's columns (the ICB's default edition). */
  links?: Record<string, { href: string; label: string }>;
}) {
  return (
    <>
      <h2 id="impact">If you import this file</h2>
      <p>
        How each practice&apos;s compliance and estimated cost would change, judged by the same rules as its compliance page on the register
        as it would be after the import. Nothing has been changed yet.
      </p>
      {assumptions.length > 0 ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>This rests on what we assumed where the file says nothing:</p>
          <ul className="nhsuk-list nhsuk-list--bullet">
            {assumptions.map((a) => (
              <li key={a}>
                {a} {links[a] ? <Link to={links[a].href}>{links[a].label}</Link> : <a href="#columns">Change the columns</a>}
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {impact.practices.map((p) => (
        <PracticeSection key={p.odsCode} p={p} />
      ))}
      {impact.practiceCount > impact.practices.length ? (
        <p className="nhsuk-body-s">
          {`Showing the ${plural(impact.practices.length, "practice")} with the most devices changing, of ${formatNumber(impact.practiceCount)}. The others' compliance is worked out again when the file is imported.`}
        </p>
      ) : null}
    </>
  );
}

function PracticeSection({ p }: { p: PracticeImpact }) {
  const b = p.gapsBefore;
  const a = p.gapsAfter;
  return (
    <section aria-labelledby={`impact-${p.odsCode}`}>
      <h3 id={`impact-${p.odsCode}`}>{`${titleCase(p.name)} (${p.odsCode})`}</h3>
      <dl className="nhsuk-summary-list">
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Open gaps</dt>
          <dd className="nhsuk-summary-list__value">{`${formatNumber(b.count)} → ${formatNumber(a.count)}`}</dd>
        </div>
        <div className="nhsuk-summary-list__row">
          <dt className="nhsuk-summary-list__key">Estimated cost of the gaps</dt>
          <dd className="nhsuk-summary-list__value">
            {money(b)} → {money(a)}
          </dd>
        </div>
      </dl>
      {p.requirements.length === 0 ? (
        <p>No requirement&apos;s judgement changes.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Requirements whose judgement changes</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Requirement</th>
              <th scope="col">Now</th>
              <th scope="col">After the import</th>
              <th scope="col">What changes</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {p.requirements.map((r) => (
              <tr key={r.requirementId}>
                <td>{`${r.requirementId} ${r.title}`}</td>
                <td>{r.beforeLabel}</td>
                <td>{r.afterLabel}</td>
                <td>{r.units.length ? r.units.join("; ") : r.reason}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
