import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { formatInstant } from "~/components/AssessmentUi";
import { DataTable } from "~/components/DataTable";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, SelectField, TextareaField, TextField } from "~/components/fields";
import { formatDate, formatNumber, plural, titleCase } from "~/utils/format";
import { Tag } from "~/components/Tag";
import { usePending } from "~/components/usePending";
import type { getDutyQueue, getIcbAssessments } from "~/modules/assessment/icb.server";
import { CYCLE_SCOPES, OpenCycleSchema } from "~/modules/assessment/schema";
import type { FormFailure } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";

type Page = Awaited<ReturnType<typeof getIcbAssessments>>;
type Duties = Awaited<ReturnType<typeof getDutyQueue>>;

const COUNTS = [
  ["not_started", "Not started"],
  ["in_progress", "In progress"],
  ["submitted", "Submitted"],
  ["returned", "Returned"],
  ["verified", "Verified"],
  ["overdue", "Overdue"],
] as const;

const ACTION = { header: <span className="nhsuk-u-visually-hidden">Action</span> };

/** Opens a self-assessment cycle for all the ICB's practices, one PCN's, or a list. */
export function OpenCycleForm({ pcns, actionData }: { pcns: { code: string; name: string }[]; actionData: FormFailure | undefined }) {
  const pending = usePending();
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
          <button className="nhsuk-button" type="submit" disabled={pending}>
            Open the cycle
          </button>
        </Form>
      </div>
    </div>
  );
}

/** Assessments in open cycles whose ICB or delivery-partner duties this user has still to answer. */
export function DutyQueue({ duties }: { duties: Duties }) {
  return (
    <>
      <h2>Duties to answer</h2>
      {duties.total === 0 ? (
        <p>Every open assessment has your answers to the duties that are yours.</p>
      ) : (
        <DataTable
          caption={
            <>
              {plural(duties.total, "assessment needs", "assessments need")} your answers to {plural(duties.duties, "duty", "duties")}
              {duties.total > duties.rows.length ? `; the ${duties.rows.length} open longest are shown` : ""}
            </>
          }
          rows={duties.rows}
          rowKey={(q) => q.id}
          columns={[
            { header: "Practice", cell: (q) => `${titleCase(q.practice_name)} (${q.practice_code})` },
            { header: "Cycle", cell: (q) => q.cycle_name },
            { header: "Due", cell: (q) => formatDate(q.due_date) },
            { header: "Answered", numeric: true, cell: (q) => `${formatNumber(q.answered)} of ${formatNumber(duties.duties)}` },
            {
              ...ACTION,
              cell: (q) => (
                <Link to={`/assessments/${q.id}/duties`}>
                  Answer<span className="nhsuk-u-visually-hidden"> the duties for {titleCase(q.practice_name)}</span>
                </Link>
              ),
            },
          ]}
        />
      )}
    </>
  );
}

/** Submitted assessments waiting for the ICB to verify them, longest waiting first. */
export function VerificationQueue({ queue, base }: { queue: Page["queue"]; base: string }) {
  if (queue.total === 0) return <p>No submitted assessments are waiting for verification.</p>;
  return (
    <DataTable
      caption={
        <>
          {plural(queue.total, "assessment is", "assessments are")} waiting
          {queue.total > queue.rows.length ? `; the ${queue.rows.length} waiting longest are shown` : ""}
        </>
      }
      rows={queue.rows}
      rowKey={(q) => q.id}
      columns={[
        { header: "Practice", cell: (q) => `${titleCase(q.practice_name)} (${q.practice_code})` },
        { header: "Cycle", cell: (q) => <Link to={`${base}/${q.cycle_id}`}>{q.cycle_name}</Link> },
        { header: "Submitted", cell: (q) => formatInstant(q.submitted_at) },
        { header: "Answers to review", numeric: true, cell: (q) => formatNumber(q.pending ?? 0) },
        {
          ...ACTION,
          cell: (q) => (
            <Link to={`/assessments/${q.id}/review`}>
              Review<span className="nhsuk-u-visually-hidden"> {titleCase(q.practice_name)}</span>
            </Link>
          ),
        },
      ]}
    />
  );
}

/** Each cycle's progress, newest first; each count links to the assessments it counts. */
export function CyclesTable({ cycles, base }: { cycles: Page["cycles"]; base: string }) {
  if (cycles.total === 0) return <p>No cycles have been opened yet.</p>;
  return (
    <DataTable
      caption="Progress of each cycle, newest first"
      rows={cycles.rows}
      rowKey={(c) => c.id}
      columns={[
        {
          header: "Cycle",
          cell: (c) => (
            <>
              <Link to={`${base}/${c.id}`}>{c.name}</Link>
              {c.started_by_practice ? (
                <>
                  {" "}
                  <Tag colour="blue">Started by the practice</Tag>
                </>
              ) : null}
              {c.closed_at ? (
                <>
                  {" "}
                  <Tag colour="grey">Closed</Tag>
                </>
              ) : null}
            </>
          ),
        },
        { header: "Due", cell: (c) => formatDate(c.due_date) },
        { header: "Practices", numeric: true, cell: (c) => formatNumber(c.practices) },
        ...COUNTS.map(([key, label]) => ({
          header: label,
          numeric: true,
          cell: (c: Page["cycles"]["rows"][number]) =>
            c[key] ? <Link to={`${base}/${c.id}?status=${key}`}>{formatNumber(c[key])}</Link> : "0",
        })),
      ]}
    />
  );
}
