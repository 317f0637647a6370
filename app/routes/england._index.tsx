import type { LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { BandLegend, ScoreCell } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { formatScore } from "~/modules/compliance/display";
import { STATUS_LABELS } from "~/modules/catalogue/rule-types";
import { getEnglandSummary } from "~/modules/england/service.server";
import complianceCss from "~/styles/compliance.css?url";
import { getDb } from "~/utils/db.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";
import { pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction = () => [{ title: "All of England – GP digital estate" }];

/** Every ICB side by side: for users whose scope is all of England (admins); 403 for anyone else. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const { cache: _cache, ...summary } = await getEnglandSummary(getDb(), scope, todayIso());
  return summary;
});

const pct = (n: number, of: number) => (of ? `${Math.round((n / of) * 1000) / 10}%` : "–");

export default function England() {
  const d = useLoaderData<typeof loader>();
  const t = d.total;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
        ]}
      />
      <h1>All of England</h1>
      <p>
        Figures for {formatDate(d.today)} across {formatNumber(t.icbs)} ICBs and {formatNumber(t.practices)} open practices (
        {formatNumber(t.patients)} registered patients). Each ICB links to its compliance page and commissioner dashboard, where every
        figure breaks down to practices.
      </p>
      <ul className="nhsuk-list app-headlines">
        <li>
          Compliance score: <strong>{formatScore(t.score)}</strong> ({formatNumber(t.practicesChecked)} of {formatNumber(t.practices)}{" "}
          practices checked)
        </li>
        <li>
          Requirements met: <strong>{formatNumber(t.counts.met)}</strong>, partly met: <strong>{formatNumber(t.counts.partial)}</strong>,
          not met: <strong>{formatNumber(t.counts.not_met)}</strong>, not known: <strong>{formatNumber(t.counts.unknown)}</strong>
        </li>
        <li>
          Open gaps: <strong>{formatNumber(t.openGaps)}</strong> (<Link to="/gaps">gap register</Link>)
        </li>
        <li>
          In-use devices on an unsupported operating system: <strong>{formatNumber(t.unsupported)}</strong> of{" "}
          {formatNumber(t.devicesInUse)} ({pct(t.unsupported, t.devicesInUse)}; <Link to="/estate/devices">device list</Link>)
        </li>
        <li>
          Practices on analogue or ISDN telephony: <strong>{formatNumber(t.analogueTelephony)}</strong>
        </li>
      </ul>

      <h2 id="domains">Compliance by domain</h2>
      <div className="app-table-wrap" {...scrollRegion("Compliance score and results by domain, all of England")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Compliance score and results by domain, all of England</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Domain</th>
              <th scope="col" className="app-numeric">
                Score
              </th>
              {(["met", "partial", "not_met", "unknown"] as const).map((s) => (
                <th key={s} scope="col" className="app-numeric">
                  {STATUS_LABELS[s]}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.byDomain.map((r) => (
              <tr key={r.key}>
                <td>{r.label}</td>
                <ScoreCell score={r.score} />
                {(["met", "partial", "not_met", "unknown"] as const).map((s) => (
                  <td key={s} className="app-numeric">
                    {formatNumber(r.counts[s])}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>

      <h2 id="icbs">ICBs</h2>
      <BandLegend />
      <div className="app-table-wrap" {...scrollRegion("Every ICB's compliance, gaps and estate risk")}>
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-u-visually-hidden">Every ICB's compliance, gaps and estate risk</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">ICB</th>
              <th scope="col">Region</th>
              <th scope="col" className="app-numeric">
                Open practices
              </th>
              <th scope="col" className="app-numeric">
                Checked
              </th>
              <th scope="col" className="app-numeric">
                Score
              </th>
              <th scope="col" className="app-numeric">
                Not met
              </th>
              <th scope="col" className="app-numeric">
                Open gaps
              </th>
              <th scope="col" className="app-numeric">
                Unsupported devices
              </th>
              <th scope="col" className="app-numeric">
                Analogue telephony
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {d.icbs.map((r) => (
              <tr key={r.code}>
                <td>
                  <Link to={`/icbs/${r.code}/compliance`}>{titleCase(r.name) || r.code}</Link> ({r.code})
                  <br />
                  <Link to={`/icbs/${r.code}/dashboard`} className="nhsuk-body-s">
                    Dashboard
                  </Link>
                </td>
                <td>{r.regionName}</td>
                <td className="app-numeric">{formatNumber(r.practices)}</td>
                <td className="app-numeric">{formatNumber(r.practicesChecked)}</td>
                <ScoreCell score={r.score} />
                <td className="app-numeric">{formatNumber(r.counts.not_met)}</td>
                <td className="app-numeric">
                  <Link to={`/gaps?icb=${r.code}`}>{formatNumber(r.openGaps)}</Link>
                </td>
                <td className="app-numeric">
                  {formatNumber(r.unsupported)} <span className="nhsuk-body-s">of {formatNumber(r.devicesInUse)}</span>
                </td>
                <td className="app-numeric">{formatNumber(r.analogueTelephony)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                All of England
              </th>
              <td className="app-numeric">{formatNumber(t.practices)}</td>
              <td className="app-numeric">{formatNumber(t.practicesChecked)}</td>
              <ScoreCell score={t.score} />
              <td className="app-numeric">{formatNumber(t.counts.not_met)}</td>
              <td className="app-numeric">{formatNumber(t.openGaps)}</td>
              <td className="app-numeric">
                {formatNumber(t.unsupported)} <span className="nhsuk-body-s">of {formatNumber(t.devicesInUse)}</span>
              </td>
              <td className="app-numeric">{formatNumber(t.analogueTelephony)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
