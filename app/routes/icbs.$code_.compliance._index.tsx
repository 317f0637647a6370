import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import type { ReactElement } from "react";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { BandLegend, formatDateTime } from "~/components/Compliance";
import { IcbHeatmap } from "~/components/compliance/IcbHeatmap";
import { compactHeatRow } from "~/components/compliance/types";
import { FilterSummary, IcbPracticeFilters } from "~/components/compliance/IcbPracticeFilters";
import { IcbPracticeTable } from "~/components/compliance/IcbPracticeTable";
import { ActiveJobNotice, AlreadyRunning, StartRecheckForm } from "~/components/Jobs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, plural, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { AUTOMATIC_REQUIREMENTS, DOMAINS } from "~/modules/catalogue";
import { formatScore } from "~/modules/compliance/display";
import { canRecheckIcb, findIcbInScope, getIcbCompliancePage } from "~/modules/compliance/icb-view.server";
import { startRecheck } from "~/modules/jobs/recheck.server";
import { activeRecheck } from "~/modules/jobs/view.server";
import { packIcbHeatRows, packIcbPracticeRows, unpackIcbHeatRows, unpackIcbPracticeRows } from "~/modules/compliance/icb-rows-wire";
import { IcbComplianceFiltersSchema } from "~/modules/compliance/schema";
import { packOrgs, unpackOrgs } from "~/modules/gaps/options-wire";
import complianceCss from "~/styles/compliance.css?url";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { formAction, pageLoader } from "~/utils/route.server";

/** A data page: the heat map and the practice list take the full width (nothing clipped at 1,280 px). */
export const handle = { fullWidth: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compliance – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const filters = IcbComplianceFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const [page, activeJob] = await Promise.all([
    getIcbCompliancePage(getDb(), icb, filters, pageFromUrl(url), todayIso()),
    activeRecheck(getDb(), { icb: icb.code }),
  ]);
  // The heat map shows each cell's score, practices and unknowns; its counts by status (what the
  // cell's link lists) stay on the server, and the page draws each row's and column's link
  // (listHref, as the service does). Its rows, the page of practices and the PCNs to filter by go
  // as arrays rather than objects (icb-rows-wire.ts), unpacked by the page. Of the ICB's overall
  // figures the page shows the score alone.
  return {
    ...page,
    overall: { score: page.overall.score },
    heatmap: packIcbHeatRows(page.heatmap.map(compactHeatRow)),
    pcns: packOrgs(page.pcns),
    page: { ...page.page, rows: packIcbPracticeRows(page.page.rows) },
    canRecheck: canRecheckIcb(user.memberships, icb.code),
    activeJob,
  };
});

/**
 * Queues a re-check of every practice in this ICB for today and moves to its progress page (it
 * runs in the background); refused, naming who started it, while one is already running.
 */
export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const r = await startRecheck(getDb(), user, { icb: icb.code }, todayIso());
  if (r.queued) return redirect(`/jobs/${r.jobId}`);
  return { ok: false as const, existing: r.existing };
});

// A loop and a module-level function, not a map with a closure made per request
// (docs/performance.md, session 17, load scaling). The same elements and keys.
function automaticItems(base: string) {
  const out: ReactElement[] = [];
  for (const r of AUTOMATIC_REQUIREMENTS) {
    out.push(
      <li key={r.id}>
        <Link to={`${base}/${r.id}`}>
          {r.id} {r.title}
        </Link>
      </li>,
    );
  }
  return out;
}

export default function IcbCompliance() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const { icb, asOf, isToday, filters: f, overall, openPractices, checked, notChecked, bands, domains, page, canRecheck, lastRun } = data;
  const heatmap = unpackIcbHeatRows(data.heatmap);
  const pcns = unpackOrgs(data.pcns);
  const base = `/icbs/${icb.code}/compliance`;
  const on = isToday ? "today" : `on ${formatDate(asOf)}`;
  const domainLabel = f.domain ? DOMAINS[f.domain] : null;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>Compliance</h1>
      {actionData && !actionData.ok && actionData.existing ? <AlreadyRunning what="this ICB" existing={actionData.existing} /> : null}
      <p>
        Results {on} for the ICB's {formatNumber(openPractices)} open practices.{" "}
        {lastRun ? (
          <>
            Last full re-check: {formatDateTime(lastRun.finishedAt)} (for {formatDate(lastRun.asOf)}).
          </>
        ) : (
          "No full re-check of this ICB has been run yet."
        )}{" "}
        <Link to={`/icbs/${icb.code}/policy`}>Local policy</Link>
      </p>
      {data.policyChangedSinceRun ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            The ICB's local policy changed on {formatDateTime(data.lastPolicyChange)}, after the last full re-check. Results for practices
            not re-checked since still use the earlier policy.
          </p>
        </div>
      ) : null}
      {data.activeJob ? (
        <ActiveJobNotice what="this ICB" job={data.activeJob} />
      ) : canRecheck && isToday ? (
        <StartRecheckForm label={`Re-check all ${plural(openPractices, "practice")} in this ICB`} />
      ) : null}

      <h2>Summary {on}</h2>
      <ul className="nhsuk-list">
        <li>
          Overall score: <strong>{formatScore(overall.score)}</strong>
        </li>
        <li>
          <Link to={checked.href}>{plural(checked.practices, "practice")} checked</Link>
          {notChecked.practices > 0 ? (
            <>
              {" "}
              · <Link to={notChecked.href}>{formatNumber(notChecked.practices)} not checked yet</Link>
            </>
          ) : null}
        </li>
        {bands.map((b) => (
          <li key={b.key}>
            <span className={`app-legend__swatch app-band--${b.key}`} aria-hidden="true" />
            {b.practices > 0 ? (
              <Link
                to={b.href}
              >{`${formatNumber(b.practices)} ${b.practices === 1 ? "practice scores" : "practices score"} ${b.label.toLowerCase()}`}</Link>
            ) : (
              `No practices score ${b.label.toLowerCase()}`
            )}
          </li>
        ))}
      </ul>

      <h2>Score by PCN and domain</h2>
      {heatmap.length === 0 ? (
        <p>No practice in this ICB has been checked {on}.</p>
      ) : (
        <>
          <p className="nhsuk-body-s">
            Each cell is the PCN's weighted score in that domain, over the practices shown in it. Follow a PCN to list its practices, or a
            domain to list every practice's score in it. Colours only repeat the number:
          </p>
          <BandLegend />
          <IcbHeatmap heatmap={heatmap} domains={domains} base={base} asOf={isToday ? null : asOf} />
        </>
      )}

      <h2 id="practices">Practices</h2>
      <IcbPracticeFilters f={f} pcns={pcns} asOf={asOf} isToday={isToday} base={base} />
      <FilterSummary f={f} pcns={pcns} total={page.total} base={base} />
      {page.total === 0 ? (
        <p>No practices match these filters.</p>
      ) : (
        <IcbPracticeTable rows={unpackIcbPracticeRows(page.rows)} domain={f.domain} domainLabel={domainLabel} asOf={asOf} />
      )}
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="practices" />

      <h2>One requirement across the ICB</h2>
      <details className="nhsuk-details">
        <summary className="nhsuk-details__summary">
          <span className="nhsuk-details__summary-text">
            Requirements checked from the registers ({formatNumber(AUTOMATIC_REQUIREMENTS.length)})
          </span>
        </summary>
        <div className="nhsuk-details__text">
          <ul className="nhsuk-list">{automaticItems(base)}</ul>
        </div>
      </details>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
