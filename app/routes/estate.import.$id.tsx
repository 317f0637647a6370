import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs, type Crumb } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatNumber, titleCase } from "~/components/format";
import { Pagination } from "~/components/Pagination";
import { DEVICE_LABELS, DEVICE_TYPES } from "~/modules/devices/schema";
import { expectedFromForm } from "~/modules/devices/import/commit.server";
import { activeImportOf, startImport } from "~/modules/jobs/import.server";
import { IMPORT_TARGETS, TARGET_LABELS } from "~/modules/devices/import/map";
import {
  cancelUpload,
  chooseMapping,
  chooseReplace,
  loadUpload,
  mappingFromForm,
  uploadPreview,
} from "~/modules/devices/import/service.server";
import { z } from "zod";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";

export const meta: MetaFunction = () => [{ title: "Check your device import – GP digital estate" }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user } = await requirePermission(request, "estate.icb:write");
  const data = await handle(() => uploadPreview(getDb(), params.id ?? "", user, pageFromUrl(new URL(request.url))));
  // Another tab (or this one, before going back) may already have confirmed this file.
  return { ...data, importing: await activeImportOf(getDb(), data.id) };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requirePermission(request, "estate.icb:write");
  const id = params.id ?? "";
  const form = await request.formData();
  const intent = form.get("intent");
  if (intent === "cancel") {
    await cancelUpload(getDb(), id, user.id);
    // Back to the same practice's upload page, so the next file keeps its practice.
    const practice = String(form.get("practice") ?? "").toUpperCase();
    return redirect(/^[A-Z0-9]{3,10}$/.test(practice) ? `/estate/import?practice=${practice}` : "/estate/import");
  }
  if (intent === "mapping") {
    const { table } = await handle(() => loadUpload(getDb(), id, user.id));
    const mapping = mappingFromForm(
      table.headers,
      table.headers.map((_, i) => String(form.get(`target-${i}`) ?? "") || null),
    );
    const result = await chooseMapping(getDb(), id, user.id, mapping);
    if (!result.ok) return { ok: false as const, fieldErrors: {}, formError: result.problems.join(" ") };
    return redirect(`/estate/import/${id}`);
  }
  if (intent === "mode") {
    // "Add and update" or "this file is the practice's whole inventory".
    const mode = z.enum(["add", "replace"]).safeParse(form.get("mode"));
    if (!mode.success)
      return {
        ok: false as const,
        fieldErrors: { mode: "Choose whether this file is the practice's whole inventory" },
        formError: undefined,
      };
    const result = await handleForm(() => chooseReplace(getDb(), id, user.id, mode.data === "replace").then(() => ({ ok: true as const })));
    if (!result.ok) return result;
    return redirect(`/estate/import/${id}`);
  }
  if (intent === "commit") {
    // The import runs as a background job (app/modules/jobs/import.server.ts): this returns at
    // once and the job's page follows it. A second confirmation of the same file (a double
    // click, another tab) is sent to the job that already has it.
    const started = await handle(() =>
      startImport(getDb(), user, { importKind: "devices", uploadId: id, expected: expectedFromForm(form) }),
    );
    return redirect(started.queued ? `/jobs/${started.jobId}` : `/jobs/${started.existing.jobId}?already=1`);
  }
  return { ok: false as const, fieldErrors: {}, formError: "Choose what to do with this file." };
}

const typeLabel = (t: string) => DEVICE_TYPES[t as keyof typeof DEVICE_TYPES] ?? t;

export default function ImportPreview() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const busy = navigation.state !== "idle";
  const { preview, practice } = data;
  const crumbs: Crumb[] = [{ label: "Home", to: "/" }];
  if (practice) crumbs.push({ label: titleCase(practice.name), to: `/practices/${practice.ods_code}/devices` });
  crumbs.push({ label: "Import devices", to: practice ? `/estate/import?practice=${practice.ods_code}` : "/estate/import" });
  const retireCount = preview?.replace ? preview.retireCount : 0;
  const toWrite = preview ? preview.counts.create + preview.counts.update + retireCount : 0;
  const rejected = preview?.counts.rejected ?? 0;
  const formError = actionData && !actionData.ok ? actionData.formError : undefined;

  return (
    <>
      <Breadcrumbs items={crumbs} />
      <ErrorSummary errors={{}} formError={formError ?? (data.problems.length ? data.problems.join(" ") : undefined)} />
      <span className="nhsuk-caption-l">
        {data.fileName}
        {practice ? ` · ${titleCase(practice.name)} (${practice.ods_code})` : ""}
      </span>
      <h1>Check your device import</h1>
      <p>Nothing has been saved yet. Check the columns and the rows below, then confirm the import at the bottom of the page.</p>

      <h2>Columns</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="mapping" />
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Which column of your file goes where</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Column in your file</th>
              <th scope="col">Examples</th>
              <th scope="col">Imports into</th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {data.columns.map((c, i) => (
              <tr key={i}>
                <th scope="row">{c.header}</th>
                <td>
                  {c.samples.length ? c.samples.join(", ") : <span className="app-muted">Empty</span>}
                  {c.notImported ? (
                    <span className="nhsuk-hint nhsuk-u-font-size-16 nhsuk-u-margin-bottom-0">{`Not imported: ${c.notImported}`}</span>
                  ) : null}
                </td>
                <td>
                  <label className="nhsuk-u-visually-hidden" htmlFor={`target-${i}`}>
                    {`Imports "${c.header}" into`}
                  </label>
                  <select className="nhsuk-select" id={`target-${i}`} name={`target-${i}`} defaultValue={c.target ?? ""}>
                    <option value="">Do not import</option>
                    {IMPORT_TARGETS.map((t) => (
                      <option key={t} value={t}>
                        {TARGET_LABELS[t]}
                      </option>
                    ))}
                  </select>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
          Save columns and check again
        </button>
        <p className="nhsuk-body-s">Your choices are remembered for the next file you upload with the same column names.</p>
      </Form>

      {preview ? (
        <>
          <h2>What this file would change</h2>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--s">Rows in the file, by what happens to them</caption>
            <tbody className="nhsuk-table__body">
              <Count label="Rows read" value={data.rowsRead} />
              <Count label="New devices to add" value={preview.counts.create} />
              <Count label="Devices to update" value={preview.counts.update} />
              <Count label="Unchanged (already recorded exactly)" value={preview.counts.unchanged} />
              <Count label="Rejected rows (will not be imported)" value={rejected} />
              {preview.replace ? <Count label="Devices not in the file, to retire" value={retireCount} /> : null}
            </tbody>
          </table>
          {preview.notes.map((n) => (
            <p key={n} className="nhsuk-body-s">
              {n}
            </p>
          ))}

          {practice ? <ModeForm replace={preview.replace} practiceName={titleCase(practice.name)} busy={busy} /> : null}

          {preview.replace ? (
            <>
              <h2 id="retire">Devices to retire</h2>
              <p>
                {preview.retireCount === 0
                  ? "Every device recorded at this practice is in the file: none will be retired."
                  : `${formatNumber(preview.retireCount)} ${preview.retireCount === 1 ? "device" : "devices"} recorded at ${titleCase(practice?.name ?? "")} ${preview.retireCount === 1 ? "is" : "are"} not in this file and will be retired: recorded as disposed of today, kept in the register and its history.`}
              </p>
              {preview.retireCount > 0 ? (
                <table className="nhsuk-table">
                  <caption className="nhsuk-table__caption nhsuk-table__caption--s">
                    {preview.retireCount > preview.retire.length
                      ? `The first ${preview.retire.length} of ${formatNumber(preview.retireCount)}`
                      : `All ${formatNumber(preview.retireCount)}`}
                  </caption>
                  <thead className="nhsuk-table__head">
                    <tr>
                      <th scope="col">Asset tag</th>
                      <th scope="col">Serial number</th>
                      <th scope="col">Device name</th>
                      <th scope="col">Type</th>
                      <th scope="col">Make and model</th>
                    </tr>
                  </thead>
                  <tbody className="nhsuk-table__body">
                    {preview.retire.map((d) => (
                      <tr key={d.id}>
                        <td>{d.asset_tag}</td>
                        <td>{d.serial_number}</td>
                        <td>{d.device_name}</td>
                        <td>{typeLabel(d.device_type)}</td>
                        <td>{[d.make, d.model].filter(Boolean).join(" ")}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              ) : null}
            </>
          ) : null}

          {preview.assumptions.length > 0 ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <h2 className="nhsuk-heading-s">What we assumed where the file says nothing</h2>
              <ul className="nhsuk-list nhsuk-list--bullet">
                {preview.assumptions.map((a) => (
                  <li key={a}>{a}</li>
                ))}
              </ul>
            </div>
          ) : null}

          {preview.issues.total > 0 ? (
            <>
              <h2 id="rejected">Rejected rows</h2>
              <p>
                {formatNumber(rejected)} {rejected === 1 ? "row has" : "rows have"} problems. Row numbers are as Excel shows them (the
                header is row 1).
              </p>
              <ProblemGroups groups={preview.groups} total={preview.groupCount} />
              <details className="nhsuk-details" open={preview.issues.page > 1}>
                <summary className="nhsuk-details__summary">
                  <span className="nhsuk-details__summary-text">Every problem, row by row ({formatNumber(preview.issues.total)})</span>
                </summary>
                <div className="nhsuk-details__text">
                  <IssueTable caption="Problems in rejected rows" issues={preview.issues.rows} />
                  <Pagination
                    page={preview.issues.page}
                    pageCount={preview.issues.pageCount}
                    total={preview.issues.total}
                    noun="problems"
                  />
                </div>
              </details>
            </>
          ) : null}

          {preview.warningCount > 0 ? (
            <>
              <h2>Warnings</h2>
              <p>These rows will be imported, but are worth a second look.</p>
              <IssueTable caption="Warnings" issues={preview.warnings} />
              {preview.warningCount > preview.warnings.length ? (
                <p className="nhsuk-body-s">
                  Showing the first {formatNumber(preview.warnings.length)} of {formatNumber(preview.warningCount)} warnings.
                </p>
              ) : null}
            </>
          ) : null}

          <Samples title="New devices" rows={preview.samples.create} total={preview.counts.create} />
          <Samples title="Devices to update" rows={preview.samples.update} total={preview.counts.update} showChanges />
          <Samples title="Unchanged devices" rows={preview.samples.unchanged} total={preview.counts.unchanged} />

          <h2>Import</h2>
          {data.importing ? (
            <div className="nhsuk-inset-text">
              <span className="nhsuk-u-visually-hidden">Information: </span>
              <p>
                This file is {data.importing.status === "queued" ? "waiting to be imported" : "being imported"}.{" "}
                <Link to={`/jobs/${data.importing.jobId}`}>See its progress</Link>.
              </p>
            </div>
          ) : toWrite === 0 ? (
            <div className="nhsuk-inset-text">
              <p>
                {rejected > 0
                  ? "There is nothing to import: every row is either rejected or already recorded exactly. Fix the rejected rows in your file and upload it again."
                  : "There is nothing to import: every row is already recorded exactly."}
              </p>
            </div>
          ) : (
            <>
              {rejected > 0 ? (
                <div className="nhsuk-warning-callout">
                  <h3 className="nhsuk-warning-callout__label">
                    <span role="text">
                      <span className="nhsuk-u-visually-hidden">Important: </span>
                      {formatNumber(rejected)} rejected {rejected === 1 ? "row" : "rows"}
                    </span>
                  </h3>
                  <p>
                    You can import the {formatNumber(toWrite)} valid {toWrite === 1 ? "row" : "rows"} now and skip the rejected ones, or fix
                    your file and upload it again to import everything at once.
                  </p>
                </div>
              ) : null}
              <ImportCommitForm
                expected={{ create: preview.counts.create, update: preview.counts.update, rejected, retire: retireCount }}
                label={commitLabel(toWrite - retireCount, rejected, retireCount)}
              />
            </>
          )}
        </>
      ) : null}

      <Form method="post">
        <input type="hidden" name="intent" value="cancel" />
        {practice ? <input type="hidden" name="practice" value={practice.ods_code} /> : null}
        <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
          Cancel and upload a different file
        </button>
      </Form>
      {practice ? (
        <p>
          <Link to={`/practices/${practice.ods_code}/devices`}>Back to the devices at {titleCase(practice.name)}</Link>
        </p>
      ) : null}
    </>
  );
}

/** "Import 30 rows", "… and skip 2 rejected rows", "… and retire 4 devices". */
function commitLabel(rows: number, rejected: number, retire: number) {
  const plural = (n: number, one: string, many: string) => `${formatNumber(n)} ${n === 1 ? one : many}`;
  const parts = [`Import ${plural(rows, "row", "rows")}`];
  if (retire > 0) parts.push(`retire ${plural(retire, "device", "devices")}`);
  if (rejected > 0) parts.push(`skip ${plural(rejected, "rejected row", "rejected rows")}`);
  return parts.length === 1 ? parts[0] : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1)}`;
}

/** Add and update only, or replace the practice's inventory (devices missing from the file are retired). */
function ModeForm({ replace, practiceName, busy }: { replace: boolean; practiceName: string; busy: boolean }) {
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="mode" />
      <div className="nhsuk-form-group">
        <fieldset className="nhsuk-fieldset">
          <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--s">Is this file every device at {practiceName}?</legend>
          <div className="nhsuk-radios">
            <div className="nhsuk-radios__item">
              <input className="nhsuk-radios__input" id="mode-add" name="mode" type="radio" value="add" defaultChecked={!replace} />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor="mode-add">
                No: add new devices and update the ones in the file, keep the rest
              </label>
            </div>
            <div className="nhsuk-radios__item">
              <input
                className="nhsuk-radios__input"
                id="mode-replace"
                name="mode"
                type="radio"
                value="replace"
                defaultChecked={replace}
                aria-describedby="mode-replace-hint"
              />
              <label className="nhsuk-label nhsuk-radios__label" htmlFor="mode-replace">
                Yes: replace this practice's inventory
              </label>
              <div className="nhsuk-hint nhsuk-radios__hint" id="mode-replace-hint">
                Devices recorded at the practice but not in the file are retired (recorded as disposed of today). You will see how many, and
                which, before importing.
              </div>
            </div>
          </div>
        </fieldset>
      </div>
      <button className="nhsuk-button nhsuk-button--secondary" type="submit" disabled={busy}>
        Save and check again
      </button>
    </Form>
  );
}

function Count({ label, value }: { label: string; value: number }) {
  return (
    <tr>
      <th scope="row">{label}</th>
      <td className="nhsuk-table__cell--numeric">{formatNumber(value)}</td>
    </tr>
  );
}

/** One line per kind of problem: "304 rows: Type "Desktops" is not recognised", with example rows. */
function ProblemGroups({
  groups,
  total,
}: {
  groups: { column: string; message: string; rows: number; examples: number[] }[];
  total: number;
}) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">Problems by kind, most rows first</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">Rows</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
          <th scope="col">For example, rows</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {groups.map((g) => (
          <tr key={`${g.column}|${g.message}`}>
            <td className="nhsuk-table__cell--numeric">{formatNumber(g.rows)}</td>
            <td>{g.column}</td>
            <td>{g.message}</td>
            <td>{`${g.examples.join(", ")}${g.rows > g.examples.length ? ` and ${formatNumber(g.rows - g.examples.length)} more` : ""}`}</td>
          </tr>
        ))}
      </tbody>
      {total > groups.length ? (
        <tfoot>
          <tr>
            <td colSpan={4}>{`Showing the ${formatNumber(groups.length)} most common of ${formatNumber(total)} kinds of problem.`}</td>
          </tr>
        </tfoot>
      ) : null}
    </table>
  );
}

function IssueTable({ caption, issues }: { caption: string; issues: { row: number; column: string; message: string }[] }) {
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s nhsuk-u-visually-hidden">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">Row</th>
          <th scope="col">Column</th>
          <th scope="col">Problem</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {issues.map((x, i) => (
          <tr key={`${x.row}-${i}`}>
            <td>{x.row}</td>
            <td>{x.column}</td>
            <td>{x.message}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

interface SampleRow {
  row: number;
  practice_code: string;
  asset_tag: string | null;
  serial_number: string | null;
  device_type: string;
  make: string | null;
  model: string | null;
  changed: string[];
}

function Samples({ title, rows, total, showChanges }: { title: string; rows: SampleRow[]; total: number; showChanges?: boolean }) {
  if (total === 0) return null;
  return (
    <>
      <h2>{title}</h2>
      <table className="nhsuk-table">
        <caption className="nhsuk-table__caption nhsuk-table__caption--s">
          {total > rows.length ? `The first ${rows.length} of ${formatNumber(total)}` : `All ${formatNumber(total)}`}
        </caption>
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Row</th>
            <th scope="col">Practice</th>
            <th scope="col">Asset tag</th>
            <th scope="col">Serial number</th>
            <th scope="col">Type</th>
            <th scope="col">Make and model</th>
            {showChanges ? <th scope="col">Changes</th> : null}
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {rows.map((r) => (
            <tr key={r.row}>
              <td>{r.row}</td>
              <td>{r.practice_code}</td>
              <td>{r.asset_tag}</td>
              <td>{r.serial_number}</td>
              <td>{typeLabel(r.device_type)}</td>
              <td>{[r.make, r.model].filter(Boolean).join(" ")}</td>
              {showChanges ? <td>{r.changed.map((c) => DEVICE_LABELS[c] ?? c).join(", ")}</td> : null}
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}

/**
 * The confirmation: a plain form post that queues the import and moves to its job's page, which
 * shows its progress (with or without JavaScript). The button is disabled while the post is on
 * its way; a second post of the same file is refused by the server anyway.
 */
function ImportCommitForm({
  expected,
  label,
}: {
  expected: { create: number; update: number; rejected: number; retire: number };
  label: string;
}) {
  const navigation = useNavigation();
  const sending = navigation.state !== "idle" && navigation.formData?.get("intent") === "commit";
  return (
    <Form method="post">
      <input type="hidden" name="intent" value="commit" />
      <input type="hidden" name="expected_create" value={expected.create} />
      <input type="hidden" name="expected_update" value={expected.update} />
      <input type="hidden" name="expected_rejected" value={expected.rejected} />
      <input type="hidden" name="expected_retire" value={expected.retire} />
      <button className="nhsuk-button" type="submit" disabled={sending} aria-disabled={sending}>
        {sending ? "Starting the import…" : label}
      </button>
      <p className="nhsuk-body-s">
        The import runs in the background: the next page shows how far it has gone, and you can leave it and come back.
      </p>
    </Form>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
