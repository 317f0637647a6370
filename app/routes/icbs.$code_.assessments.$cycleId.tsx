import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatDate, formatNumber, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { Pagination } from "~/components/Pagination";
import { SummaryList } from "~/components/SummaryList";
import { icbAssessmentRights } from "~/modules/assessment/access.server";
import { AssessmentStatusTag, formatInstant, OverdueTag } from "~/components/AssessmentUi";
import { CloseCycleSchema, CYCLE_FILTERS, CycleFiltersSchema } from "~/modules/assessment/schema";
import { closeCycle, getCyclePage } from "~/modules/assessment/icb.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageFromUrl } from "~/utils/pagination";
import { idParam } from "~/utils/params";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data?.cycle.name ?? "Assessment cycle"} – GP digital estate` }];

const cycleId = (raw: string | undefined) => idParam(raw, "assessment cycle");

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { icb, canVerify } = await icbAssessmentRights(auth, params.code);
  const url = new URL(request.url);
  const filters = CycleFiltersSchema.parse(Object.fromEntries(url.searchParams));
  const page = await getCyclePage(getDb(), icb.code, cycleId(params.cycleId), filters, pageFromUrl(url), todayIso());
  return { icb, canVerify, filters, ...page };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { icb } = await icbAssessmentRights(auth, params.code, "verify");
  const id = cycleId(params.cycleId);
  const parsed = parseForm(await request.formData(), CloseCycleSchema);
  if (!parsed.ok) return parsed;
  await closeCycle(getDb(), auth.user.id, icb.code, id, parsed.data.version);
  return { ok: true as const };
});

const COUNTS = [
  ["not_started", "Not started"],
  ["in_progress", "In progress"],
  ["submitted", "Submitted"],
  ["returned", "Returned"],
  ["verified", "Verified"],
  ["overdue", "Overdue"],
] as const;

export default function AssessmentCyclePage() {
  const { icb, canVerify, cycle, counts, practices, total, filters, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(CloseCycleSchema, actionData, { version: String(cycle.version) } as never);
  const base = `/icbs/${icb.code}/assessments`;
  const open = !cycle.closed_at;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
          { label: "Self-assessments", to: base },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>{cycle.name}</h1>
      <SummaryList
        rows={[
          ["Due date", formatDate(cycle.due_date)],
          ["Opened", formatInstant(cycle.opened_at)],
          ["Status", open ? "Open" : `Closed on ${formatInstant(cycle.closed_at)}`],
          ["Practices", formatNumber(counts.practices)],
        ]}
      />

      <h2>Progress</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">Practices by where their assessment stands</caption>
        <thead className="nhsuk-table__head">
          <tr>
            {COUNTS.map(([key, label]) => (
              <th scope="col" className="app-numeric" key={key}>
                {label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          <tr>
            {COUNTS.map(([key]) => (
              <td className="app-numeric" key={key}>
                <Link to={`?status=${key}`} aria-label={`${formatNumber(counts[key])} ${CYCLE_FILTERS[key].toLowerCase()}`}>
                  {formatNumber(counts[key])}
                </Link>
              </td>
            ))}
          </tr>
        </tbody>
      </table>

      <h2>Practices</h2>
      <Form method="get" className="nhsuk-u-margin-bottom-4">
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="filter-status">
            Status
          </label>
          <select className="nhsuk-select" id="filter-status" name="status" defaultValue={filters.status ?? ""}>
            <option value="">Any</option>
            {Object.entries(CYCLE_FILTERS).map(([value, label]) => (
              <option key={value} value={value}>
                {label}
              </option>
            ))}
          </select>
        </div>
        <div className="nhsuk-form-group">
          <label className="nhsuk-label" htmlFor="filter-q">
            Practice name or ODS code
          </label>
          <input className="nhsuk-input nhsuk-input--width-20" id="filter-q" name="q" type="search" defaultValue={filters.q ?? ""} />
        </div>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Filter
        </button>
      </Form>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          {filters.status ? `${CYCLE_FILTERS[filters.status]} practices` : "All practices in the cycle"}
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Practice</th>
            <th scope="col">PCN</th>
            <th scope="col">Status</th>
            <th scope="col" className="app-numeric">
              Answered
            </th>
            <th scope="col" className="app-numeric">
              Open disputes
            </th>
            <th scope="col">
              <span className="nhsuk-u-visually-hidden">Action</span>
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {practices.rows.map((p) => (
            <tr key={p.id}>
              <td>
                <Link to={`/practices/${p.practice_code}/assessment`}>{titleCase(p.practice_name)}</Link> ({p.practice_code})
              </td>
              <td>{p.pcn_name ? titleCase(p.pcn_name) : <span className="app-muted">None</span>}</td>
              <td>
                <AssessmentStatusTag status={p.status} /> {p.overdue ? <OverdueTag /> : null}
                {p.submitted_at ? (
                  <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">Submitted {formatInstant(p.submitted_at)}</div>
                ) : null}
              </td>
              <td className="app-numeric">
                {formatNumber(p.answered ?? 0)} of {total}
              </td>
              <td className="app-numeric">{formatNumber(p.open_disputes ?? 0)}</td>
              <td>
                {canVerify ? (
                  <Link to={`/assessments/${p.id}/review`}>
                    {p.status === "submitted" ? "Review" : "View"}
                    <span className="nhsuk-u-visually-hidden"> {titleCase(p.practice_name)}</span>
                  </Link>
                ) : null}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <Pagination
        page={practices.page}
        pageCount={practices.pageCount}
        total={practices.total}
        noun={practices.total === 1 ? "practice" : "practices"}
      />

      {canVerify && open ? (
        <>
          <h2>Close this cycle</h2>
          <p>
            Closing the cycle stops practices changing or submitting answers in it. Answers already verified keep counting towards
            compliance.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={pending}>
              Close this cycle
            </button>
          </Form>
        </>
      ) : null}

      <h2>History</h2>
      <History events={history} labels={{ due_date: "Due date", icb_code: "ICB" }} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
