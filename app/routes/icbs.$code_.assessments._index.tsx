import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, redirect, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, SelectField, TextareaField, TextField } from "~/components/fields";
import { formatDate, formatNumber, plural, titleCase } from "~/components/format";
import { Pagination } from "~/components/Pagination";
import { icbAssessmentRights, icbDutyScope } from "~/modules/assessment/access.server";
import { formatInstant } from "~/components/AssessmentUi";
import { CYCLE_SCOPES, OpenCycleSchema } from "~/modules/assessment/schema";
import { getDutyQueue, getIcbAssessments, openCycle } from "~/modules/assessment/icb.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { pageFromUrl } from "~/utils/pagination";
import { handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Self-assessments – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const auth = await requirePermission(request, "org:read");
  const { icb, canVerify } = await icbAssessmentRights(auth, params.code);
  const { owners, practiceCodes } = icbDutyScope(auth.user, icb.code);
  const [data, duties] = await Promise.all([
    getIcbAssessments(getDb(), icb.code, pageFromUrl(new URL(request.url)), todayIso()),
    owners.length ? getDutyQueue(getDb(), icb.code, owners, practiceCodes) : null,
  ]);
  return { icb, canVerify, duties, ...data };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const auth = await requirePermission(request, "org:read");
  const { icb } = await icbAssessmentRights(auth, params.code, "verify");
  const parsed = parseForm(await request.formData(), OpenCycleSchema);
  if (!parsed.ok) return parsed;
  return handleForm(async (): Promise<FormFailure | Response> => {
    const { cycle } = await openCycle(getDb(), auth.user.id, icb.code, parsed.data);
    return redirect(`/icbs/${icb.code}/assessments/${cycle.id}`);
  });
}

const COUNTS = [
  ["not_started", "Not started"],
  ["in_progress", "In progress"],
  ["submitted", "Submitted"],
  ["returned", "Returned"],
  ["verified", "Verified"],
  ["overdue", "Overdue"],
] as const;

function OpenCycleForm({ pcns }: { pcns: { code: string; name: string }[] }) {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(OpenCycleSchema, actionData, { scope: "all" });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <Form method="post" noValidate onSubmit={onSubmit}>
          <TextField {...form.register("name")} label="Name" hint="For example, Annual review 2026/27" error={errors.name} />
          <DateField
            {...form.register("due_date")}
            label="Due date"
            hint="Practices should submit by this date, for example 31/03/2027"
            error={errors.due_date}
          />
          <RadiosField
            {...form.register("scope")}
            label="Which practices take part?"
            options={Object.entries(CYCLE_SCOPES).map(([value, label]) => ({ value, label }))}
            inline={false}
            error={errors.scope}
          />
          <SelectField
            {...form.register("pcn_code")}
            label="PCN"
            hint="Only if you chose the practices in one PCN"
            options={[
              { value: "", label: "Choose a PCN" },
              ...pcns.map((p) => ({ value: p.code, label: `${titleCase(p.name)} (${p.code})` })),
            ]}
            error={errors.pcn_code}
          />
          <TextareaField
            {...form.register("practice_codes")}
            label="Practice ODS codes"
            hint="Only if you chose a list: separate the codes with spaces, commas or new lines, for example F84003, F84013"
            error={errors.practice_codes}
          />
          <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
            Open the cycle
          </button>
        </Form>
      </div>
    </div>
  );
}

type Duties = NonNullable<ReturnType<typeof useLoaderData<typeof loader>>["duties"]>;

/** Assessments in open cycles whose ICB or delivery-partner duties this user has still to answer. */
function DutyQueue({ duties }: { duties: Duties }) {
  return (
    <>
      <h2>Duties to answer</h2>
      {duties.total === 0 ? (
        <p>Every open assessment has your answers to the duties that are yours.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            {plural(duties.total, "assessment needs", "assessments need")} your answers to {plural(duties.duties, "duty", "duties")}
            {duties.total > duties.rows.length ? `; the ${duties.rows.length} open longest are shown` : ""}
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Practice</th>
              <th scope="col">Cycle</th>
              <th scope="col">Due</th>
              <th scope="col" className="app-numeric">
                Answered
              </th>
              <th scope="col">
                <span className="nhsuk-u-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {duties.rows.map((q) => (
              <tr key={q.id}>
                <td>
                  {titleCase(q.practice_name)} ({q.practice_code})
                </td>
                <td>{q.cycle_name}</td>
                <td>{formatDate(q.due_date)}</td>
                <td className="app-numeric">
                  {formatNumber(q.answered)} of {formatNumber(duties.duties)}
                </td>
                <td>
                  <Link to={`/assessments/${q.id}/duties`}>
                    Answer<span className="nhsuk-u-visually-hidden"> the duties for {titleCase(q.practice_name)}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

export default function IcbAssessmentsPage() {
  const { icb, canVerify, cycles, queue, pcns, duties } = useLoaderData<typeof loader>();
  const base = `/icbs/${icb.code}/assessments`;
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
      <h1>Self-assessments</h1>

      <h2>Waiting for verification</h2>
      {queue.total === 0 ? (
        <p>No submitted assessments are waiting for verification.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">
            {plural(queue.total, "assessment is", "assessments are")} waiting
            {queue.total > queue.rows.length ? `; the ${queue.rows.length} waiting longest are shown` : ""}
          </caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Practice</th>
              <th scope="col">Cycle</th>
              <th scope="col">Submitted</th>
              <th scope="col" className="app-numeric">
                Answers to review
              </th>
              <th scope="col">
                <span className="nhsuk-u-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {queue.rows.map((q) => (
              <tr key={q.id}>
                <td>
                  {titleCase(q.practice_name)} ({q.practice_code})
                </td>
                <td>
                  <Link to={`${base}/${q.cycle_id}`}>{q.cycle_name}</Link>
                </td>
                <td>{formatInstant(q.submitted_at)}</td>
                <td className="app-numeric">{formatNumber(q.pending ?? 0)}</td>
                <td>
                  <Link to={`/assessments/${q.id}/review`}>
                    Review<span className="nhsuk-u-visually-hidden"> {titleCase(q.practice_name)}</span>
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}

      {duties ? <DutyQueue duties={duties} /> : null}

      <h2>Assessment cycles</h2>
      {cycles.total === 0 ? (
        <p>No cycles have been opened yet.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Progress of each cycle, newest first</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Cycle</th>
              <th scope="col">Due</th>
              <th scope="col" className="app-numeric">
                Practices
              </th>
              {COUNTS.map(([key, label]) => (
                <th scope="col" className="app-numeric" key={key}>
                  {label}
                </th>
              ))}
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {cycles.rows.map((c) => (
              <tr key={c.id}>
                <td>
                  <Link to={`${base}/${c.id}`}>{c.name}</Link>
                  {c.started_by_practice ? (
                    <>
                      {" "}
                      <strong className="nhsuk-tag nhsuk-tag--blue">Started by the practice</strong>
                    </>
                  ) : null}
                  {c.closed_at ? (
                    <>
                      {" "}
                      <strong className="nhsuk-tag nhsuk-tag--grey">Closed</strong>
                    </>
                  ) : null}
                </td>
                <td>{formatDate(c.due_date)}</td>
                <td className="app-numeric">{formatNumber(c.practices)}</td>
                {COUNTS.map(([key]) => (
                  <td className="app-numeric" key={key}>
                    {c[key] ? <Link to={`${base}/${c.id}?status=${key}`}>{formatNumber(c[key])}</Link> : "0"}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <Pagination page={cycles.page} pageCount={cycles.pageCount} total={cycles.total} noun={cycles.total === 1 ? "cycle" : "cycles"} />

      {canVerify ? (
        <>
          <h2>Open a cycle</h2>
          <p>
            Ask practices to assess themselves against the attestation requirements by a due date. Each practice then sees its assessment on
            its own pages.
          </p>
          <OpenCycleForm pcns={pcns} />
        </>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
