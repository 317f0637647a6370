import { Form, useNavigation, useRevalidator } from "@remix-run/react";
import { Link } from "~/components/Link";
import { plural } from "~/utils/format";
import { useEffect } from "react";
import { formatNumber, formatTime } from "~/utils/format";

/** The parts of a job view the components read (dates arrive as strings after serialisation). */
export interface JobLike {
  id: number;
  status: "queued" | "running" | "done" | "failed";
  scopeLabel: string;
  startedBy: string | null;
  createdAt: Date | string;
  startedAt: Date | string | null;
  finishedAt: Date | string | null;
  done: number;
  total: number | null;
}

const STATUS_TEXT: Record<JobLike["status"], [string, string]> = {
  queued: ["Waiting to start", "nhsuk-tag--grey"],
  running: ["Running", "nhsuk-tag--blue"],
  done: ["Finished", "nhsuk-tag--green"],
  failed: ["Failed", "nhsuk-tag--red"],
};

export function JobStatusTag({ status }: { status: JobLike["status"] }) {
  const [text, cls] = STATUS_TEXT[status];
  return <strong className={`nhsuk-tag ${cls}`}>{text}</strong>;
}

export const jobProgressText = (j: Pick<JobLike, "done" | "total" | "status">) =>
  j.total === null
    ? j.status === "queued"
      ? "Not started"
      : "Counting practices…"
    : `${formatNumber(j.done)} of ${plural(j.total, "practice")}`;

const timeOf = formatTime;

/** "A re-check of this ICB is already running, started by X at HH:MM", linking to it. */
export function AlreadyRunning({
  what,
  existing,
}: {
  what: string;
  existing: { jobId: number; startedBy: string | null; createdAt: Date | string; status: string };
}) {
  return (
    <div className="nhsuk-warning-callout" role="alert">
      <h3 className="nhsuk-warning-callout__label">
        <span role="text">
          <span className="nhsuk-u-visually-hidden">Important: </span>
          Already running
        </span>
      </h3>
      <p>
        A re-check of {what} is already {existing.status === "queued" ? "waiting to start" : "running"}, started by{" "}
        {existing.startedBy ?? "the system"} at {timeOf(existing.createdAt)}. <Link to={`/jobs/${existing.jobId}`}>See its progress</Link>.
      </p>
    </div>
  );
}

/** A link to the re-check in progress for a scope, for the page that starts one. */
export function ActiveJobNotice({ what, job }: { what: string; job: JobLike }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <p>
        A re-check of {what} is {job.status === "queued" ? "waiting to start" : "running"} ({jobProgressText(job)}), started by{" "}
        {job.startedBy ?? "the system"} at {timeOf(job.createdAt)}. <Link to={`/jobs/${job.id}`}>See its progress</Link>.
      </p>
    </div>
  );
}

/** Reloads the page's data every two seconds while `active`, so a job page follows its job. */
export function useRefreshWhile(active: boolean, ms = 2000) {
  const { revalidate, state } = useRevalidator();
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => {
      if (state === "idle") revalidate();
    }, ms);
    return () => clearInterval(t);
  }, [active, ms, revalidate, state]);
}

/** The button that queues a re-check; the page moves to the job's page once it is queued. */
export function StartRecheckForm({ label, action }: { label: string; action?: string }) {
  const navigation = useNavigation();
  const busy = navigation.state !== "idle" && navigation.formMethod?.toUpperCase() === "POST";
  return (
    <Form method="post" action={action} className="nhsuk-u-margin-bottom-4">
      <input type="hidden" name="intent" value="recheck" />
      <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" disabled={busy} aria-disabled={busy}>
        {busy ? "Starting…" : label}
      </button>
      <p className="nhsuk-body-s nhsuk-u-margin-top-2">It runs in the background: you can leave the page and come back to it.</p>
    </Form>
  );
}
