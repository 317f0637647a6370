import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { formatDateTime } from "~/components/Compliance";
import { AlreadyRunning, StartRecheckForm } from "~/components/Jobs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, TextField } from "~/components/fields";
import { formatNumber, plural, titleCase } from "~/components/format";
import { History } from "~/components/History";
import { canManagePolicy, findIcbInScope, getPolicyPage } from "~/modules/compliance/icb-view.server";
import { startRecheck, type StartRecheck } from "~/modules/jobs/recheck.server";
import { resetPolicyValue, setPolicyValue, type PolicyRecheck } from "~/modules/compliance/policy.server";
import { PolicyFormSchema, PolicyRecheckParamsSchema, PolicyResetSchema } from "~/modules/compliance/schema";
import { FrameworkVersionsTable } from "~/components/FrameworkVersions";
import { getDb } from "~/utils/db.server";
import { forbidden, toResponse } from "~/utils/errors";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, handleForm, requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import complianceCss from "~/styles/compliance.css?url";
import { scrollRegion } from "~/components/scroll-region";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Local policy – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  const url = new URL(request.url);
  const canManage = canManagePolicy(user.memberships, icb.code);
  const page = await getPolicyPage(getDb(), icb.code, {
    edit: canManage ? url.searchParams.get("edit") : null,
    changed: url.searchParams.get("changed"),
  });
  // After a framework version change: the re-check it queued, or the one already under way.
  const recheck = PolicyRecheckParamsSchema.parse(Object.fromEntries(url.searchParams));
  return { icb, canManage, ...page, recheck };
}

type ActionResult = FormFailure | { ok: true; intent: "recheck"; refused: Extract<StartRecheck, { queued: false }>["existing"] };

/** Change or reset one value (then back to the page, which offers a re-check), or re-check the ICB. */
export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await handle(() => findIcbInScope(getDb(), scope, params.code));
  if (!canManagePolicy(user.memberships, icb.code)) throw toResponse(forbidden("Only the ICB's digital lead can change its local policy."));
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "recheck") {
    // Queued as a background job: its page shows the progress. Refused while one is running.
    const r = await handle(() => startRecheck(getDb(), user, { icb: icb.code }, todayIso()));
    if (r.queued) return redirect(`/jobs/${r.jobId}`);
    return { ok: true, intent, refused: r.existing };
  }
  const values = Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  const result = await handleForm(async (): Promise<FormFailure | Response> => {
    const back = (key: string, recheck: PolicyRecheck | null) => {
      const job = !recheck ? "" : recheck.queued ? `&job=${recheck.jobId}` : `&running=${recheck.existing.jobId}`;
      return redirect(`/icbs/${icb.code}/policy?changed=${encodeURIComponent(key)}${job}`);
    };
    if (intent === "set") {
      const parsed = parseForm(formData, PolicyFormSchema);
      if (!parsed.ok) return parsed;
      const r = await setPolicyValue(getDb(), user, {
        icbCode: icb.code,
        key: parsed.data.key,
        value: parsed.data.value,
        version: parsed.data.version,
      });
      return back(r.key, r.recheck);
    }
    if (intent === "reset") {
      const parsed = parseForm(formData, PolicyResetSchema);
      if (!parsed.ok) return { ...parsed, formError: "Open the page again and retry: the setting's version was missing." };
      const r = await resetPolicyValue(getDb(), user, { icbCode: icb.code, key: parsed.data.key, version: parsed.data.version });
      return back(r.key, r.recheck);
    }
    return { ok: false, fieldErrors: {}, formError: "Unknown action" };
  });
  if (result instanceof Response) return result;
  return { ...result, values: ("values" in result ? result.values : undefined) ?? values };
}

/** After a conflict the form reopens at the current version (the typed value stays). */
function withoutVersion(failure: FormFailure | undefined): FormFailure | undefined {
  if (!failure?.values) return failure;
  const { version: _v, key: _k, ...values } = failure.values;
  return { ...failure, values };
}

const isoToUk = (iso: string) => (/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : iso);

type Entry = ReturnType<typeof useLoaderData<typeof loader>>["groups"][number]["entries"][number];

function EditForm({ entry, actionData }: { entry: Entry; actionData: FormFailure | undefined }) {
  const navigation = useNavigation();
  // What the user typed survives a refused save (a conflict reopens the form at the current version).
  const initialValue = actionData?.values?.value ?? (entry.kind === "date" ? isoToUk(String(entry.value)) : String(entry.value));
  const { form, onSubmit, errors, formError } = useZodForm(PolicyFormSchema, actionData, {
    key: entry.key,
    value: initialValue,
    version: entry.version === null ? "" : String(entry.version),
  });
  const hint =
    entry.kind === "number"
      ? `In ${entry.unit}, from ${entry.min} to ${entry.max}. National default: ${entry.defaultText}.`
      : `National default: ${entry.defaultText}.`;
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <p>
          Value now: <strong>{entry.valueText}</strong>
          {entry.overridden
            ? ` (set by this ICB${entry.setBy ? `: ${entry.setBy}` : ""}${entry.updatedAt ? `, ${formatDateTime(entry.updatedAt)}` : ""})`
            : " (national default)"}
        </p>
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="intent" value="set" />
          <input type="hidden" {...form.register("key")} />
          <input type="hidden" {...form.register("version")} />
          {entry.kind === "choice" ? (
            <RadiosField
              label={entry.label}
              hint={hint}
              error={errors.value}
              options={entry.choices ?? []}
              inline={false}
              {...form.register("value")}
            />
          ) : entry.kind === "date" ? (
            <DateField label={entry.label} hint={`For example, 31/01/2027. ${hint}`} error={errors.value} {...form.register("value")} />
          ) : (
            <TextField label={entry.label} hint={hint} error={errors.value} width={10} inputMode="decimal" {...form.register("value")} />
          )}
          <div className="app-search-row">
            <button className="nhsuk-button nhsuk-u-margin-bottom-0" type="submit" disabled={navigation.state === "submitting"}>
              Save this value
            </button>
            <Link to="." className="nhsuk-body-s">
              Cancel
            </Link>
          </div>
        </Form>
      </div>
    </div>
  );
}

export default function IcbPolicy() {
  const { icb, canManage, groups, editing, history, overridden, total, changed, openPractices, frameworkVersions, recheck } =
    useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && !actionData.ok ? actionData : undefined;
  const refused = actionData && actionData.ok && actionData.intent === "recheck" ? actionData.refused : null;
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
      <h1>Local policy</h1>
      <p>
        The values the compliance checks use for this ICB's practices. Where the ICB has not set a value, the national default applies.
        Defaults marked <strong className="nhsuk-tag nhsuk-tag--orange">UNCONFIRMED</strong> are not confirmed national figures: check them
        and set your own. This ICB has changed {formatNumber(overridden)} of {formatNumber(total)} values.{" "}
        <Link to={`/icbs/${icb.code}/compliance`}>Compliance results</Link>
      </p>
      {!canManage ? <p className="nhsuk-body-s app-muted">Only the ICB's digital lead can change these values.</p> : null}

      {refused ? <AlreadyRunning what="this ICB" existing={refused} /> : null}
      {changed && !refused ? (
        <div className="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="changed-title">
          <div className="nhsuk-notification-banner__header">
            <h2 className="nhsuk-notification-banner__title" id="changed-title">
              Success
            </h2>
          </div>
          <div className="nhsuk-notification-banner__content">
            <p className="nhsuk-notification-banner__heading">
              {changed.label}: now {changed.text}.
            </p>
            {recheck.job ? (
              <p>
                A re-check of this ICB's {formatNumber(openPractices)} open practices is queued to judge them against the version now in
                force; it runs in the background. <Link to={`/jobs/${recheck.job}`}>Follow its progress</Link>.
              </p>
            ) : recheck.running ? (
              <>
                <p>
                  A re-check of this ICB was already running when you saved, so it may use the earlier value.{" "}
                  <Link to={`/jobs/${recheck.running}`}>See its progress</Link>, and re-check again when it has finished.
                </p>
                {canManage ? <StartRecheckForm label={`Re-check all ${plural(openPractices, "practice")} in this ICB`} /> : null}
              </>
            ) : (
              <>
                <p>
                  Stored results for this ICB's {formatNumber(openPractices)} open practices still use the earlier value. Practices are
                  re-checked when their registers change; to apply the new value to all of them now, re-check the ICB (it runs in the
                  background).
                </p>
                {canManage ? <StartRecheckForm label={`Re-check all ${plural(openPractices, "practice")} in this ICB`} /> : null}
              </>
            )}
          </div>
        </div>
      ) : null}

      {editing && canManage ? (
        <section aria-labelledby="edit-title">
          <h2 id="edit-title">Change a value</h2>
          <p className="nhsuk-body-s">
            Source of the national default: {editing.source}
            {editing.unconfirmed ? " (unconfirmed)" : ""}.
          </p>
          <EditForm key={`${editing.key}-${editing.version ?? "default"}`} entry={editing} actionData={withoutVersion(failure)} />
          <h3>Changes to this value</h3>
          <History events={history} labels={{ value: "Value", version: "Version", default: "National default" }} />
        </section>
      ) : null}
      {!editing && failure?.formError ? <ErrorSummary errors={{}} formError={failure.formError} /> : null}

      <FrameworkVersionsTable versions={frameworkVersions} caption="Framework versions" showInForce />
      <p className="nhsuk-body-s">
        The version in force decides which requirements this ICB's practices are judged on; a requirement outside it is shown as not
        applicable, and its open gaps close (gaps already funded or in delivery stay open). Change it under Framework below.
      </p>

      {groups.map((g) => (
        <div className="app-table-wrap" {...scrollRegion(g.group)} key={g.group}>
          <table className="nhsuk-table">
            <caption className="nhsuk-table__caption nhsuk-table__caption--m">{g.group}</caption>
            <thead className="nhsuk-table__head">
              <tr>
                <th scope="col">Setting</th>
                <th scope="col">This ICB</th>
                <th scope="col">National default</th>
                <th scope="col">Source</th>
                {canManage ? (
                  <th scope="col">
                    <span className="nhsuk-u-visually-hidden">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="nhsuk-table__body">
              {g.entries.map((e) => (
                <tr key={e.key} className={e.overridden ? "app-overridden" : undefined}>
                  <th scope="row">
                    {e.label}
                    {e.hint ? <div className="app-requirement-meta">{e.hint}</div> : null}
                  </th>
                  <td>
                    <strong>{e.valueText}</strong>
                    {e.overridden ? (
                      <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                        <strong className="nhsuk-tag nhsuk-tag--blue">Set by this ICB</strong>
                        {e.updatedAt ? (
                          <div className="app-muted">
                            {e.setBy ? `${e.setBy}, ` : ""}
                            {formatDateTime(e.updatedAt)}
                          </div>
                        ) : null}
                      </div>
                    ) : (
                      <div className="nhsuk-body-s app-muted">National default</div>
                    )}
                  </td>
                  <td>{e.defaultText}</td>
                  <td>
                    <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                      {e.unconfirmed ? (
                        <>
                          <strong className="nhsuk-tag nhsuk-tag--orange">UNCONFIRMED</strong>{" "}
                        </>
                      ) : null}
                      {e.source}
                    </div>
                  </td>
                  {canManage ? (
                    <td>
                      <Link to={`?edit=${e.key}#edit-title`}>
                        Change<span className="nhsuk-u-visually-hidden"> {e.label}</span>
                      </Link>
                      {e.overridden && e.version !== null ? (
                        <Form method="post" className="nhsuk-u-margin-top-2">
                          <input type="hidden" name="intent" value="reset" />
                          <input type="hidden" name="key" value={e.key} />
                          <input type="hidden" name="version" value={e.version} />
                          <button
                            className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0"
                            type="submit"
                          >
                            Use national default<span className="nhsuk-u-visually-hidden"> for {e.label}</span>
                          </button>
                        </Form>
                      ) : null}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
