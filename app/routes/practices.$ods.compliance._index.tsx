import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import type { ReactNode } from "react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import type { FixCost } from "~/modules/compliance/practice-view.server";
import { formatDateTime } from "~/components/Compliance";
import { DomainScoreTable } from "~/components/compliance/DomainScoreTable";
import type { FilterLinks } from "~/components/compliance/filter-links";
import { RecheckButton } from "~/components/compliance/RecheckButton";
import { ResultsFreshness } from "~/components/compliance/ResultsFreshness";
import { RequirementGroup } from "~/components/compliance/RequirementGroup";
import { PracticeComplianceFilters } from "~/components/compliance/PracticeComplianceFilters";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { DOMAINS } from "~/modules/catalogue";
import { formatScore } from "~/modules/compliance/display";
import { practiceRow, type PracticeRow } from "~/modules/compliance/practice-rows";
import { packRow, unpackRows, type PackedRow } from "~/modules/compliance/practice-rows-wire";
import { getPracticeCompliancePage, recheckPractice } from "~/modules/compliance/practice-view.server";
import { PRACTICE_STATUS_FILTERS, PracticeComplianceFiltersSchema } from "~/modules/compliance/schema";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import complianceCss from "~/styles/compliance.css?url";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/errors";
import { todayIso } from "~/utils/today";
import { formAction, pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Compliance – ${titleCase(data?.practice.name) || "Practice"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  const url = new URL(request.url);
  const filters = PracticeComplianceFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const page = await getPracticeCompliancePage(getDb(), practice.ods_code, filters, todayIso(), practice.icb_code);
  const rechecked = url.searchParams.get("rechecked");
  const { fixes, domains, rows, ...rest } = page;
  const overview = !filters.domain && !filters.status;
  return {
    practice,
    filters,
    canRecheck: canEditIcbEstate || canEditPracticeEstate,
    rechecked: rechecked !== null && /^\d+$/.test(rechecked) ? Number(rechecked) : null,
    ...rest,
    // Each domain's counts and score (its label is the page's own: DOMAINS).
    domains: domainsSent(domains),
    // Only what each row shows (practice-rows.ts), with the open gap's estimate on its row: some 90
    // requirements on every load, and a practice with hundreds of failing devices would otherwise
    // list each under several requirements. The requirement's page has the sources' titles and
    // every record (issue 12: the page stays well under 150 KB of HTML). Packed as arrays
    // (practice-rows-wire.ts): their property names were a third of the page's loader data.
    rows: packRows(rows, fixes as Record<string, FixCost>, overview),
  };
});

/*
 * The loader's and the page's work on each row is done by module-level functions with loops, not
 * by closures made on each request (`rows.map((r) => …)`, `const href = (p) => …`): V8 keeps a
 * closure's optimized code only while one of them is alive, so one made per request is compiled
 * again after every full collection, every few seconds under load (docs/performance.md, session
 * 16, optimized code dropped at every full collection).
 */

type Page = Awaited<ReturnType<typeof getPracticeCompliancePage>>;

function packRows(rows: Page["rows"], fixes: Record<string, FixCost>, overview: boolean): PackedRow[] {
  const packed: PackedRow[] = [];
  for (const row of rows) packed.push(packRow(practiceRow(row, fixes[row.requirement.id], overview)));
  return packed;
}

function domainsSent(domains: Page["domains"]) {
  const sent = [];
  for (const d of domains) {
    sent.push({
      key: d.key,
      selfAssessed: d.selfAssessed,
      summary: d.summary && { score: d.summary.score, counts: d.summary.counts },
    });
  }
  return sent;
}

function labelled<D extends { key: keyof typeof DOMAINS }>(domains: readonly D[]) {
  const out: (D & { label: string })[] = [];
  for (const d of domains) out.push({ ...d, label: DOMAINS[d.key] });
  return out;
}

/** The rows by domain, in the catalogue's order, leaving out domains with none. */
function groupByDomain(rows: PracticeRow[]) {
  const groups: { domain: string; label: string; rows: PracticeRow[] }[] = [];
  for (const domain of Object.keys(DOMAINS) as (keyof typeof DOMAINS)[]) {
    const inDomain: PracticeRow[] = [];
    for (const r of rows) if (r.requirement.domain === domain) inDomain.push(r);
    if (inDomain.length > 0) groups.push({ domain, label: DOMAINS[domain], rows: inDomain });
  }
  return groups;
}

function requirementGroups(groups: ReturnType<typeof groupByDomain>, base: string, ods: string, frameworkName: string, links: FilterLinks) {
  const out: ReactNode[] = [];
  for (const g of groups) {
    out.push(
      <RequirementGroup
        key={g.domain}
        domain={g.domain}
        label={g.label}
        rows={g.rows}
        base={base}
        ods={ods}
        frameworkName={frameworkName}
        links={links}
      />,
    );
  }
  return out;
}

/** Re-check now: evaluates the practice for today and stores what changed, then back to the page. */
export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice, canEditIcbEstate, canEditPracticeEstate } = await requirePracticeAccess(request, params.ods);
  if (!canEditIcbEstate && !canEditPracticeEstate) throw forbidden("Only people who keep this practice's registers can re-check it.");
  const r = await recheckPractice(getDb(), user.id, practice.ods_code, todayIso());
  const form = await request.formData();
  const back = new URLSearchParams();
  for (const key of ["domain", "status"] as const) {
    const v = form.get(key);
    if (typeof v === "string" && v) back.set(key, v);
  }
  back.set("rechecked", String(r.written + r.removed));
  return redirect(`/practices/${practice.ods_code}/compliance?${back.toString()}`);
});

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
    outOfDate,
    canRecheck,
    rechecked,
    lastEvaluatedAt,
    selfAssessed,
    frameworkVersion,
  } = data;
  const rows = unpackRows(data.rows);
  const base = `/practices/${practice.ods_code}/compliance`;
  const on = isToday ? "today" : `on ${formatDate(asOf)}`;
  const links: FilterLinks = { base, isToday, asOf };
  const grouped = groupByDomain(rows);

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

      <ResultsFreshness
        evaluated={evaluated}
        isToday={isToday}
        asOf={asOf}
        canRecheck={canRecheck}
        outOfDate={outOfDate}
        lastEvaluatedAt={lastEvaluatedAt}
      />
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
          <DomainScoreTable domains={labelled(domains)} score={score} selfAssessed={selfAssessed} links={links} />
        </>
      ) : null}

      <PracticeComplianceFilters filters={filters} asOf={asOf} isToday={isToday} base={base} />

      <h2>Requirements</h2>
      <p className="nhsuk-body-s" aria-live="polite">
        {`${formatNumber(rows.length)} ${rows.length === 1 ? "requirement" : "requirements"}`}
        {filters.domain ? ` in ${DOMAINS[filters.domain]}` : ""}
        {filters.status ? ` · ${PRACTICE_STATUS_FILTERS[filters.status].toLowerCase()}` : ""}
      </p>
      {grouped.length === 0 ? <p>No requirements match these filters.</p> : null}
      {requirementGroups(grouped, base, practice.ods_code, frameworkVersion.name, links)}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
