import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import type { ReactNode } from "react";
import { Form, Link, useLoaderData, useLocation, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import type { FixCost } from "~/modules/compliance/practice-view.server";
import { asOfInputValue, EvidenceList, FilterSelect, formatDateTime, StatusTag, UnitsList, UpcomingList } from "~/components/Compliance";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/components/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { DOMAINS } from "~/modules/catalogue";
import { evidenceExcerpt, formatScore } from "~/modules/compliance/display";
import { getPracticeCompliancePage, recheckPractice } from "~/modules/compliance/practice-view.server";
import { STATUSES, STATUS_LABELS, type EvidenceRef, type Status } from "~/modules/catalogue/rule-types";
import { PRACTICE_STATUS_FILTERS, PracticeComplianceFiltersSchema } from "~/modules/compliance/schema";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import complianceCss from "~/styles/compliance.css?url";
import { getDb } from "~/utils/db.server";
import { forbidden, toResponse } from "~/utils/errors";
import { todayIso } from "~/utils/today";
import { scrollRegion } from "~/components/scroll-region";

/** Records listed under each result on this page (failing or not known); the rest are on the requirement's page. */
const EVIDENCE_SHOWN = 3;

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compliance – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const url = new URL(request.url);
  const filters = PracticeComplianceFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const page = await getPracticeCompliancePage(getDb(), practice.ods_code, filters, todayIso());
  const rechecked = url.searchParams.get("rechecked");
  return {
    practice,
    filters,
    canRecheck: canEditIcbEstate || canEditPracticeEstate,
    rechecked: rechecked !== null && /^\d+$/.test(rechecked) ? Number(rechecked) : null,
    ...page,
    // Only what the table shows of each requirement (not its description, check or evidence
    // kind; its sources by reference only), and the first three records behind each result that is
    // not met in full (none behind a met or not applicable one): some 90 requirements on every
    // load, and a practice with hundreds of failing devices would otherwise list each under several
    // requirements. The requirement's page has the sources' titles and every record (issue 12:
    // the page stays well under 150 KB of HTML).
    rows: page.rows.map(({ requirement: r, result, inForce }) => ({
      inForce,
      fix: (page.fixes as Record<string, FixCost>)[r.id] ?? null,
      requirement: {
        id: r.id,
        title: r.title,
        domain: r.domain,
        category: r.category,
        funder: r.funder,
        weight: r.weight,
        automatic: r.automatic,
        sources: r.sources.map((x) => ({ ref: x.ref })),
      },
      result: result ? shownResult(result, !filters.domain && !filters.status) : null,
    })),
  };
}

/**
 * A result as the table shows it: its records only when it is not met in full, and no computing
 * time (the page gives the run's). In the overview (no filter), a result that is met or not
 * applicable with nothing coming up is "settled": its status and date alone, listed in one row
 * per domain; filtering by domain or result shows its reason (as does the requirement's page).
 */
function shownResult<
  R extends { status: string; since: string; reason: string; evidence: EvidenceRef[]; upcoming: unknown[]; evaluatedAt: unknown },
>({ evaluatedAt: _evaluatedAt, ...result }: R, overview: boolean) {
  const met = result.status === "met" || result.status === "not_applicable";
  if (overview && met && result.upcoming.length === 0) return { settled: true as const, status: result.status, since: result.since };
  const { evidenceTotal, evidenceFailing } = evidenceExcerpt(result.evidence, 0);
  // Records that fail the check or lack data; those that pass are counted, and listed on the requirement's page.
  const listed = met ? [] : result.evidence.filter((e) => e.outcome !== "ok");
  return { ...result, settled: false as const, evidence: evidenceExcerpt(listed, EVIDENCE_SHOWN).evidence, evidenceTotal, evidenceFailing };
}

/** Re-check now: evaluates the practice for today and stores what changed, then back to the page. */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user, practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  if (!canEditIcbEstate && !canEditPracticeEstate)
    throw toResponse(forbidden("Only people who keep this practice's registers can re-check it."));
  const r = await recheckPractice(getDb(), user.id, practice.ods_code, todayIso());
  const form = await request.formData();
  const back = new URLSearchParams();
  for (const key of ["domain", "status"] as const) {
    const v = form.get(key);
    if (typeof v === "string" && v) back.set(key, v);
  }
  back.set("rechecked", String(r.written + r.removed));
  return redirect(`/practices/${practice.ods_code}/compliance?${back.toString()}`);
}

function RecheckButton({ secondary = false }: { secondary?: boolean }) {
  const navigation = useNavigation();
  const { search } = useLocation();
  const params = new URLSearchParams(search);
  const busy = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  return (
    <Form method="post" className="nhsuk-u-margin-bottom-4">
      <input type="hidden" name="domain" value={params.get("domain") ?? ""} />
      <input type="hidden" name="status" value={params.get("status") ?? ""} />
      <button
        className={`nhsuk-button nhsuk-u-margin-bottom-0${secondary ? " nhsuk-button--secondary" : ""}`}
        type="submit"
        disabled={busy}
        aria-disabled={busy}
      >
        {busy ? "Re-checking…" : "Re-check now"}
      </button>
    </Form>
  );
}

type ShownRow = {
  inForce: boolean;
  requirement: { id: string; title: string; automatic: boolean };
  result: { settled: boolean; status: string; since: string } | null;
};

/**
 * A requirement the registers cannot show: the practice attests it in its self-assessment. Only
 * requirements in the framework version in force are folded; the others keep their own row,
 * which says so.
 */
const isAttested = (row: ShownRow) => row.inForce && row.result === null && !row.requirement.automatic;
const isSettled = (row: ShownRow) => row.inForce && !!row.result?.settled;

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

export default function PracticeCompliance() {
  const data = useLoaderData<typeof loader>();
  const {
    practice,
    filters,
    asOf,
    isToday,
    evaluated,
    score,
    domains,
    rows,
    outOfDate,
    canRecheck,
    rechecked,
    lastEvaluatedAt,
    selfAssessed,
    frameworkVersion,
  } = data;
  const base = `/practices/${practice.ods_code}/compliance`;
  const on = isToday ? "today" : `on ${formatDate(asOf)}`;
  const href = (p: { domain?: string; status?: string }) => {
    const qs = new URLSearchParams();
    if (p.domain) qs.set("domain", p.domain);
    if (p.status) qs.set("status", p.status);
    if (!isToday) qs.set("as_of", asOf);
    const s = qs.toString();
    return s ? `${base}?${s}` : base;
  };
  const countLink = (n: number, p: { domain?: string; status?: string }, label: string) =>
    n === 0 ? (
      "0"
    ) : (
      <Link to={href(p)}>
        {formatNumber(n)}
        <span className="nhsuk-u-visually-hidden"> {label}</span>
      </Link>
    );
  const grouped = Object.keys(DOMAINS)
    .map((d) => ({ domain: d, label: DOMAINS[d as keyof typeof DOMAINS], rows: rows.filter((r) => r.requirement.domain === d) }))
    .filter((g) => g.rows.length > 0);

  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Compliance" />

      {rechecked !== null ? (
        <div className="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="recheck-title">
          <div className="nhsuk-notification-banner__header">
            <h2 className="nhsuk-notification-banner__title" id="recheck-title">
              Success
            </h2>
          </div>
          <div className="nhsuk-notification-banner__content">
            <p className="nhsuk-notification-banner__heading">
              Re-checked against today's registers:{" "}
              {rechecked === 0 ? "no results changed" : `${formatNumber(rechecked)} ${rechecked === 1 ? "result" : "results"} changed`}.
            </p>
          </div>
        </div>
      ) : null}

      <p>
        Results {on}, from the registers and the ICB's local policy, against the{" "}
        <Link to={`/requirements?version=${frameworkVersion.id}`}>{frameworkVersion.name}</Link>, the framework version the ICB has in
        force. {lastEvaluatedAt ? <>Last computed {formatDateTime(lastEvaluatedAt)}.</> : null}{" "}
        <Link to={`${base}/forecast`}>What will lapse in the next 2 years</Link>
      </p>

      {!evaluated ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <h2 className="nhsuk-heading-m">Not checked yet</h2>
          <p>
            {isToday
              ? "This practice's registers have not been checked against the operating model yet."
              : `No results were stored for this practice on or before ${formatDate(asOf)}.`}
          </p>
          {isToday ? (
            canRecheck ? (
              <RecheckButton />
            ) : (
              <p>Its GP IT delivery partner, practice manager or ICB digital lead can run the check.</p>
            )
          ) : null}
        </div>
      ) : null}

      {evaluated && outOfDate && outOfDate.length > 0 ? (
        <div className="nhsuk-warning-callout">
          <h2 className="nhsuk-warning-callout__label">
            <span role="text">
              <span className="nhsuk-u-visually-hidden">Important: </span>Results out of date
            </span>
          </h2>
          <p>
            The registers, local policy or today's date now give a different result for {formatNumber(outOfDate.length)}{" "}
            {outOfDate.length === 1 ? "requirement" : "requirements"} than the results below, last computed{" "}
            {formatDateTime(lastEvaluatedAt)}:
          </p>
          <ul>
            {outOfDate.slice(0, 10).map((c) => (
              <li key={c.id}>
                {c.id} {c.title}: would now be {STATUS_LABELS[c.status].toLowerCase()}
              </li>
            ))}
            {outOfDate.length > 10 ? <li>and {formatNumber(outOfDate.length - 10)} more</li> : null}
          </ul>
          {canRecheck ? <RecheckButton /> : <p>Its GP IT delivery partner or practice manager can re-check it.</p>}
        </div>
      ) : null}
      {evaluated && outOfDate && outOfDate.length === 0 ? (
        <p className="nhsuk-body-s app-muted">These results match the practice's registers today.</p>
      ) : null}
      {evaluated && isToday && canRecheck && outOfDate?.length === 0 ? <RecheckButton secondary /> : null}

      {evaluated ? (
        <>
          <h2>
            Score {on}: {formatScore(score.score)}
          </h2>
          <p className="nhsuk-body-s">
            Met counts in full and partly met counts half, weighted by category (core and mandated 3, GP contract 2, others 1). Not known
            and not applicable are left out of the score. {formatNumber(selfAssessed)} requirements are self-assessed rather than checked
            from the registers.
          </p>
          <div className="app-table-wrap" {...scrollRegion("Score and results by domain")}>
            <table className="nhsuk-table">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">Score and results by domain</caption>
              <thead className="nhsuk-table__head">
                <tr>
                  <th scope="col">Domain</th>
                  <th scope="col" className="app-numeric">
                    Score
                  </th>
                  {STATUSES.map((s) => (
                    <th scope="col" className="app-numeric" key={s}>
                      {STATUS_LABELS[s]}
                    </th>
                  ))}
                  <th scope="col" className="app-numeric">
                    Self-assessed
                  </th>
                </tr>
              </thead>
              <tbody className="nhsuk-table__body">
                {domains.map((d) => (
                  <tr key={d.key}>
                    <th scope="row">
                      <Link to={href({ domain: d.key })}>{d.label}</Link>
                    </th>
                    <td className="app-numeric">
                      {d.summary ? formatScore(d.summary.score) : <span className="app-muted app-nowrap">No checks</span>}
                    </td>
                    {STATUSES.map((s) => (
                      <td className="app-numeric" key={s}>
                        {countLink(
                          d.summary?.counts[s] ?? 0,
                          { domain: d.key, status: s },
                          `${STATUS_LABELS[s].toLowerCase()} in ${d.label}`,
                        )}
                      </td>
                    ))}
                    <td className="app-numeric">
                      {countLink(d.selfAssessed, { domain: d.key, status: "attestation" }, `self-assessed in ${d.label}`)}
                    </td>
                  </tr>
                ))}
                <tr>
                  <th scope="row">All domains</th>
                  <td className="app-numeric">
                    <strong>{formatScore(score.score)}</strong>
                  </td>
                  {STATUSES.map((s) => (
                    <td className="app-numeric" key={s}>
                      <strong>{countLink(score.counts[s], { status: s }, STATUS_LABELS[s].toLowerCase())}</strong>
                    </td>
                  ))}
                  <td className="app-numeric">
                    <strong>{countLink(selfAssessed, { status: "attestation" }, "self-assessed")}</strong>
                  </td>
                </tr>
              </tbody>
            </table>
          </div>
        </>
      ) : null}

      <Form method="get" role="search" className="nhsuk-u-margin-bottom-5">
        <h2 className="nhsuk-heading-s">Filter requirements</h2>
        <div className="app-search-row">
          <FilterSelect name="domain" label="Domain" value={filters.domain} options={[["", "All domains"], ...Object.entries(DOMAINS)]} />
          <FilterSelect
            name="status"
            label="Result"
            value={filters.status}
            options={[["", "Any result"], ...Object.entries(PRACTICE_STATUS_FILTERS)]}
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
          <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
            Apply
          </button>
          <Link to={base} className="nhsuk-body-s">
            Clear filters
          </Link>
        </div>
      </Form>

      <h2>Requirements</h2>
      <p className="nhsuk-body-s" aria-live="polite">
        {formatNumber(rows.length)} {rows.length === 1 ? "requirement" : "requirements"}
        {filters.domain ? ` in ${DOMAINS[filters.domain]}` : ""}
        {filters.status ? ` · ${PRACTICE_STATUS_FILTERS[filters.status].toLowerCase()}` : ""}
      </p>
      {grouped.length === 0 ? <p>No requirements match these filters.</p> : null}
      {grouped.map((g) => (
        <div className="app-table-wrap" {...scrollRegion(g.label)} key={g.domain}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">{g.label}</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Requirement</th>
                <th scope="col">Result</th>
                <th scope="col">Why</th>
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {g.rows
                .filter((x) => !isAttested(x) && !isSettled(x))
                .map(({ requirement: r, result, inForce, fix }) => (
                  <tr key={r.id}>
                    <td>
                      <Link to={`${base}/${r.id}`}>
                        <strong>{r.id}</strong>
                        {` ${r.title}`}
                      </Link>
                      <div className="app-requirement-meta">
                        {`${r.category} · funded by ${r.funder === "Practice" ? "the practice" : r.funder === "ICB" ? "the ICB" : "national funding"} · weight ${r.weight} · sources ${r.sources.map((x) => x.ref).join(", ")}`}
                      </div>
                    </td>
                    <td>
                      {result ? (
                        <StatusTag status={result.status as Status} />
                      ) : (
                        <strong className="nhsuk-tag nhsuk-tag--blue">Self-assessed</strong>
                      )}
                      {!inForce ? (
                        <div className="nhsuk-body-s app-muted nhsuk-u-margin-top-2">Not in the {frameworkVersion.name}</div>
                      ) : null}
                    </td>
                    <td>
                      {result && !result.settled ? (
                        <>
                          <p className="nhsuk-body-s nhsuk-u-margin-bottom-2">{result.reason}</p>
                          <UpcomingList upcoming={result.upcoming} />
                          <EvidenceList
                            ods={practice.ods_code}
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
                  rows={g.rows.filter((x) => isSettled(x) && x.result?.status === status)}
                  tag={<StatusTag status={status} />}
                  intro={
                    <Link to={href({ domain: g.domain, status })}>{`Why each of these is ${STATUS_LABELS[status].toLowerCase()}`}</Link>
                  }
                />
              ))}
              <FoldedRow
                base={base}
                rows={g.rows.filter(isAttested)}
                tag={<strong className="nhsuk-tag nhsuk-tag--blue">Self-assessed</strong>}
                intro="The registers cannot show these; the practice attests them in its self-assessment:"
              />
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
