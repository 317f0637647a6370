import type { ActionFunctionArgs, LinksFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { PolicyEditForm } from "~/components/compliance/PolicyEditForm";
import { PolicyGroupTable } from "~/components/compliance/PolicyGroupTable";
import { AlreadyRunning, StartRecheckForm } from "~/components/Jobs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatNumber, plural, titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { canManagePolicy, findIcbInScope, getPolicyPage } from "~/modules/compliance/icb-view.server";
import { startRecheck, type StartRecheck } from "~/modules/jobs/recheck.server";
import { resetPolicyValue, setPolicyValue, type PolicyRecheck } from "~/modules/compliance/policy.server";
import { PolicyFormSchema, PolicyResetSchema } from "~/modules/compliance/schema";
import { FrameworkVersionsTable } from "~/components/FrameworkVersions";
import { getDb } from "~/utils/db.server";
import { forbidden } from "~/utils/errors";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { redirectWithNotice, takeNotice } from "~/modules/auth/flash.server";
import { todayIso } from "~/utils/today";
import complianceCss from "~/styles/compliance.css?url";
import { Tag } from "~/components/Tag";
import { useKeptNotice } from "~/components/useKeptNotice";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: complianceCss }];

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Local policy – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  const url = new URL(request.url);
  const canManage = canManagePolicy(user.memberships, icb.code);
  // After a change: which value, and the re-check it queued or found already under way.
  const notice = await takeNotice(request, user, "policy-changed");
  const page = await getPolicyPage(getDb(), icb.code, {
    edit: canManage ? url.searchParams.get("edit") : null,
    changed: notice?.key ?? null,
  });
  return { icb, canManage, ...page, recheck: { job: notice?.job, running: notice?.running } };
});

type ActionResult = FormFailure | { ok: true; intent: "recheck"; refused: Extract<StartRecheck, { queued: false }>["existing"] };

/** Change or reset one value (then back to the page, which offers a re-check), or re-check the ICB. */
export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  const { user, scope } = await requirePermission(request, "org:read");
  const icb = await findIcbInScope(getDb(), scope, params.code);
  if (!canManagePolicy(user.memberships, icb.code)) throw forbidden("Only the ICB's digital lead can change its local policy.");
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "recheck") {
    // Queued as a background job: its page shows the progress. Refused while one is running.
    const r = await startRecheck(getDb(), user, { icb: icb.code }, todayIso());
    if (r.queued) return redirect(`/jobs/${r.jobId}`);
    return { ok: true, intent, refused: r.existing };
  }
  const values = Object.fromEntries([...formData.entries()].filter((e): e is [string, string] => typeof e[1] === "string"));
  const result = await orFailure({}, async (): Promise<FormFailure | Response> => {
    const back = (key: string, recheck: PolicyRecheck | null) =>
      redirectWithNotice(request, `/icbs/${icb.code}/policy`, "policy-changed", {
        key,
        ...(!recheck ? {} : recheck.queued ? { job: recheck.jobId } : { running: recheck.existing.jobId }),
      });
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
});

/** After a conflict the form reopens at the current version (the typed value stays). */
function withoutVersion(failure: FormFailure | undefined): FormFailure | undefined {
  if (!failure?.values) return failure;
  const { version: _v, key: _k, ...values } = failure.values;
  return { ...failure, values };
}

export default function IcbPolicy() {
  const { icb, canManage, groups, editing, history, overridden, total, openPractices, frameworkVersions, ...data } =
    useLoaderData<typeof loader>();
  // The change's banner stays while the page is open (another form's answer reloads the data without it).
  const kept = useKeptNotice(data.changed ? { changed: data.changed, recheck: data.recheck } : null);
  const changed = kept?.changed;
  const recheck = kept?.recheck ?? { job: undefined, running: undefined };
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
        Defaults marked <Tag colour="orange">UNCONFIRMED</Tag> are not confirmed national figures: check them and set your own. This ICB has
        changed {formatNumber(overridden)} of {formatNumber(total)} values.{" "}
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
          <PolicyEditForm key={`${editing.key}-${editing.version ?? "default"}`} entry={editing} actionData={withoutVersion(failure)} />
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
        <PolicyGroupTable key={g.group} group={g.group} entries={g.entries} canManage={canManage} />
      ))}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
