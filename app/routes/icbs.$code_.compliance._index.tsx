import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { ListSizeVintage } from "~/components/ListSizeVintage";
import { redirect } from "@remix-run/node";
import type { ReactNode } from "react";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { asOfInputValue, BandLegend, FilterSelect, formatDateTime } from "~/components/Compliance";
import { ActiveJobNotice, AlreadyRunning, StartRecheckForm } from "~/components/Jobs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, plural, titleCase } from "~/components/format";
import { Pagination } from "~/components/Pagination";
import { AUTOMATIC_REQUIREMENTS, DOMAINS } from "~/modules/catalogue";
import { bandFor, formatScore, listHref } from "~/modules/compliance/display";
import { canRecheckIcb, findIcbInScope, getIcbCompliancePage } from "~/modules/compliance/icb-view.server";
import { startRecheck } from "~/modules/jobs/recheck.server";
import { activeRecheck } from "~/modules/jobs/view.server";
import { STATUSES, STATUS_LABELS } from "~/modules/catalogue/rule-types";
import { ICB_SORTS, IcbComplianceFiltersSchema } from "~/modules/compliance/schema";
import complianceCss from "~/styles/compliance.css?url";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { handle as handleErrors, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";

/** A data page: the heat map and the practice list take the full width (nothing clipped at 1,280 px). */
export const handle = { fullWidth: true };

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compliance – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handleErrors(() => findIcbInScope(getDb(), scope, params.code));
  const url = new URL(request.url);
  const filters = IcbComplianceFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const [page, activeJob] = await Promise.all([
    getIcbCompliancePage(getDb(), icb, filters, pageFromUrl(url), todayIso()),
    activeRecheck(getDb(), { icb: icb.code }),
  ]);
  // The heat map shows each cell's score, practices and unknowns; its counts by status (what the
  // cell's link lists) stay on the server, and the page draws each cell's link (listHref, as the
  // service does): two thirds of the page's data for an ICB of 48 PCNs.
  const heatmap = page.heatmap.map((row) => ({ ...row, cells: row.cells.map(({ counts: _counts, href: _href, ...cell }) => cell) }));
  return { ...page, heatmap, canRecheck: canRecheckIcb(user.memberships, icb.code), activeJob };
}

/**
 * Queues a re-check of every practice in this ICB for today and moves to its progress page (it
 * runs in the background); refused, naming who started it, while one is already running.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handleErrors(() => findIcbInScope(getDb(), scope, params.code));
  const r = await handleErrors(() => startRecheck(getDb(), user, { icb: icb.code }, todayIso()));
  if (r.queued) return redirect(`/jobs/${r.jobId}`);
  return { ok: false as const, existing: r.existing };
}

/** A heat map cell: its band's colour and its score ("–" when no practice is shown in it). */
function HeatCell({ score, children }: { score: number | null | undefined; children?: ReactNode }) {
  return (
    <td className={`app-band--${score === undefined ? "none" : bandFor(score)}`}>
      {score === undefined ? "–" : formatScore(score)}
      {children}
    </td>
  );
}

type Data = ReturnType<typeof useLoaderData<typeof loader>>;

/**
 * What the list below is showing, in words, with a way out: where a heat-map link (or the form)
 * lands, the first thing read is "Showing 12 practices in PCN X scored on Devices".
 */
function FilterSummary({ data, base }: { data: Data; base: string }) {
  const { filters: f, pcns, page } = data;
  const parts: string[] = [];
  if (f.pcn === "none") parts.push("with no PCN");
  else if (f.pcn) parts.push(`in ${titleCase(pcns.find((p) => p.code === f.pcn)?.name ?? f.pcn)}`);
  if (f.q) parts.push(`matching \u201c${f.q}\u201d`);
  if (f.checked === "yes") parts.push("checked");
  if (f.checked === "no") parts.push("not checked yet");
  if (f.min !== undefined && f.max !== undefined) parts.push(`scoring ${f.min}% to ${f.max}%`);
  else if (f.min !== undefined) parts.push(`scoring ${f.min}% or more`);
  else if (f.max !== undefined) parts.push(`scoring up to ${f.max}%`);
  if (f.domain) parts.push(`scored on ${DOMAINS[f.domain]}`);
  const filtered = parts.length > 0;
  return (
    <p role="status" id="practices-summary">
      <strong>
        Showing {plural(page.total, "practice")}
        {filtered ? ` ${parts.join(", ")}` : " (every practice in the ICB)"}
      </strong>
      {filtered ? (
        <>
          {" "}
          &mdash; <Link to={`${base}#practices`}>clear filter</Link>
        </>
      ) : null}
    </p>
  );
}

export default function IcbCompliance() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const {
    icb,
    asOf,
    isToday,
    filters: f,
    overall,
    openPractices,
    checked,
    notChecked,
    bands,
    domains,
    allDomains,
    heatmap,
    pcns,
    page,
    canRecheck,
    lastRun,
  } = data;
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
      {actionData && !actionData.ok ? <AlreadyRunning what="this ICB" existing={actionData.existing} /> : null}
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
          <div className="app-table-wrap" {...scrollRegion("Weighted score by PCN (rows) and domain (columns)")}>
            <table className="nhsuk-table app-heatmap">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Weighted score by PCN (rows) and domain (columns)</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">PCN</th>
                  <th scope="col">All domains</th>
                  {domains.map((d) => (
                    <th scope="col" key={d.key}>
                      <Link to={`${listHref(base, { domain: d.key }, isToday ? null : asOf)}#practices`}>{d.label}</Link>
                    </th>
                  ))}
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {heatmap.map((row) => (
                  // One link a row (the PCN's practices) and one a column (the domain's scores), not one a
                  // cell: a cell is its score and, when they apply, its practices and unknowns, each one
                  // text node. The row and column headers name a cell for screen readers. About a fifth
                  // of the markup of the linked cells for a 48-PCN ICB. The links land on the list
                  // they filter (#practices), not at the top of the page.
                  <tr key={row.pcn}>
                    <th scope="row">
                      <Link to={`${row.href}#practices`}>{titleCase(row.pcn_name)}</Link>
                      <span className="app-heatmap__detail">{plural(row.practices, "practice")}</span>
                    </th>
                    <HeatCell score={row.score} />
                    {row.cells.map((c) => (
                      <HeatCell key={c.domain} score={c.practices === 0 ? undefined : c.score}>
                        {c.practices > 0 && c.practices < row.practices ? (
                          <span className="app-heatmap__detail">{`${formatNumber(c.practices)} of ${plural(row.practices, "practice")}`}</span>
                        ) : null}
                        {c.unknown > 0 ? <span className="app-heatmap__detail">{`${formatNumber(c.unknown)} not known`}</span> : null}
                      </HeatCell>
                    ))}
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}

      <h2 id="practices">Practices</h2>
      <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
        <div className="app-search-row">
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-q">
              Practice name or ODS code
            </label>
            <input className="nhsuk-input nhsuk-input--width-20" id="filter-q" name="q" type="search" defaultValue={f.q ?? ""} />
          </div>
          <FilterSelect
            name="pcn"
            label="PCN"
            value={f.pcn}
            options={[["", "All PCNs"], ...pcns.map((p): [string, string] => [p.code, titleCase(p.name)])]}
          />
          <FilterSelect
            name="domain"
            label="Scores and counts for"
            value={f.domain}
            options={[["", "All domains"], ...allDomains.map((d): [string, string] => [d.key, d.label])]}
          />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-min">
              Score from (%)
            </label>
            <input className="nhsuk-input nhsuk-input--width-4" id="filter-min" name="min" inputMode="decimal" defaultValue={f.min ?? ""} />
          </div>
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-max">
              Score to (%)
            </label>
            <input className="nhsuk-input nhsuk-input--width-4" id="filter-max" name="max" inputMode="decimal" defaultValue={f.max ?? ""} />
          </div>
          <FilterSelect
            name="checked"
            label="Checked"
            value={f.checked}
            options={[
              ["", "All practices"],
              ["yes", "Checked"],
              ["no", "Not checked yet"],
            ]}
          />
          <div className="nhsuk-form-group">
            <label className="nhsuk-label" htmlFor="filter-as_of">
              Results on
            </label>
            <input
              className="nhsuk-input nhsuk-input--width-10"
              id="filter-as_of"
              name="as_of"
              inputMode="numeric"
              placeholder="Today"
              defaultValue={asOfInputValue(asOf, isToday)}
            />
          </div>
          <FilterSelect name="sort" label="Sort by" value={f.sort} options={Object.entries(ICB_SORTS)} />
          <FilterSelect
            name="dir"
            label="Order"
            value={f.dir}
            options={[
              ["asc", "Lowest first"],
              ["desc", "Highest first"],
            ]}
          />
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Apply
          </button>
          <Link to={`${base}#practices`} className="nhsuk-body-s">
            Clear filters
          </Link>
        </div>
      </Form>
      <FilterSummary data={data} base={base} />
      {page.total === 0 ? (
        <p>No practices match these filters.</p>
      ) : (
        <div className="app-table-wrap" {...scrollRegion(domainLabel ? `Practices: ${domainLabel}` : "Practices: all domains")}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">
              {domainLabel ? `Practices: ${domainLabel}` : "Practices: all domains"}
            </caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Practice</th>
                <th scope="col">PCN</th>
                <th scope="col" className="app-numeric">
                  List size
                </th>
                <th scope="col" className="app-numeric">
                  Score
                </th>
                {STATUSES.map((s) => (
                  <th scope="col" className="app-numeric" key={s}>
                    {STATUS_LABELS[s]}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {page.rows.map((p) => (
                <tr key={p.ods_code}>
                  <td>
                    <Link to={`/practices/${p.ods_code}/compliance${f.domain ? `?domain=${f.domain}` : ""}`}>{titleCase(p.name)}</Link>
                    <div className="app-requirement-meta">{p.ods_code}</div>
                  </td>
                  <td>{p.pcn_name ? titleCase(p.pcn_name) : (p.pcn_code ?? <span className="app-muted">No PCN</span>)}</td>
                  <td className="app-numeric">
                    {formatNumber(p.list_size)}
                    {p.list_size !== null ? <ListSizeVintage date={p.list_size_date} asOf={asOf} /> : null}
                  </td>
                  {p.checked ? (
                    <>
                      <td className="app-numeric">{formatScore(p.score)}</td>
                      {STATUSES.map((s) => (
                        <td className="app-numeric" key={s}>
                          {formatNumber(p.counts?.[s] ?? 0)}
                        </td>
                      ))}
                    </>
                  ) : (
                    <td colSpan={1 + STATUSES.length} className="app-muted">
                      Not checked yet
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
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
          <ul className="nhsuk-list">
            {AUTOMATIC_REQUIREMENTS.map((r) => (
              <li key={r.id}>
                <Link to={`${base}/${r.id}`}>
                  {r.id} {r.title}
                </Link>
              </li>
            ))}
          </ul>
        </div>
      </details>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
