import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { GapLinesTable } from "~/components/Funding";
import { RequestBudget, RequestFacts } from "~/components/funding/RequestFacts";
import { EditForm, StepForm } from "~/components/funding/RequestForms";
import { History } from "~/components/History";
import { parseGapIds, requestEditSchema, TransitionSchema } from "~/modules/funding/schema";
import { getRequestPage, prepareGaps, transition, updateDraft } from "~/modules/funding/service.server";
import { STEP_RULES, type Step } from "~/modules/funding/workflow";
import { financialYearLabel } from "~/modules/pricing/financial-year";
import { formatPence } from "~/modules/pricing/money";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { idParam } from "~/utils/params";
import { todayIso } from "~/utils/today";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";
import { redirectWithFlash } from "~/modules/auth/flash.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.request.title ?? "Funding request"} – GP digital estate` },
];

const requestId = (raw: string | undefined) => idParam(raw, "funding request");

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "funding:request");
  const id = requestId(params.id);
  const page = await getRequestPage(getDb(), user, id, todayIso());
  const url = new URL(request.url);
  const add = url.searchParams.getAll("add").join(",");
  return { ...page, editing: page.canEdit && url.searchParams.get("edit") !== null, add };
});

type Failure = FormFailure & { step?: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<Failure | Response> => {
  const { user, scope } = await requirePermission(request, "funding:request");
  const id = requestId(params.id);
  const today = todayIso();
  const formData = await request.formData();
  const intent = String(formData.get("intent") ?? "");
  if (intent === "edit") {
    const ids = parseGapIds([...formData.getAll("gap"), ...formData.getAll("add_gaps")]);
    if (!ids.ok) return { ok: false, step: "edit", fieldErrors: { add_gaps: ids.message }, values: stringValues(formData) };
    const values = stringValues(formData);
    // The gap list's problems (closed, another ICB, none chosen) are shown beside the "add gaps" box.
    const onGaps = (f: Failure): Failure => ({
      ...f,
      fieldErrors: { add_gaps: f.fieldErrors.gaps ?? f.formError ?? "" },
      formError: undefined,
    });
    const prepared = await orFailure({ step: "edit", values }, () => prepareGaps(getDb(), scope, ids.ids, today, id));
    if ("ok" in prepared) return onGaps(prepared);
    const parsed = parseForm(formData, requestEditSchema(prepared.estimatePence));
    if (!parsed.ok) return { ...parsed, step: "edit" };
    const failure = await orFailure({ step: "edit", values }, async () => {
      await updateDraft(getDb(), user, id, parsed.data.version, ids.ids, parsed.data, today);
      return null;
    });
    if (failure) return failure.fieldErrors.gaps ? onGaps(failure) : failure;
    return redirectWithFlash(request, `/funding-requests/${id}`, "Request updated.");
  }
  const parsed = parseForm(formData, TransitionSchema);
  if (!parsed.ok) return { ...parsed, step: intent };
  const failure = await orFailure({ step: intent, values: stringValues(formData) }, async () => {
    await transition(getDb(), user, id, parsed.data, today);
    return null;
  });
  return failure ?? redirectWithFlash(request, `/funding-requests/${id}`, `Request ${STEP_RULES[parsed.data.intent as Step].done}.`);
});

const stringValues = (fd: FormData) =>
  Object.fromEntries([...fd.entries()].filter((e): e is [string, string] => typeof e[1] === "string" && e[0] !== "gap"));

export default function FundingRequestPage() {
  const data = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const failure = actionData && !actionData.ok ? (actionData as Failure) : undefined;
  const { request: r, gaps, estimateNow, estimateAtRequest, budget, history, steps, canEdit, editing } = data;
  const closed = gaps.filter((g) => g.status === "closed").length;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Funding requests", to: "/funding-requests" },
        ]}
      />
      <span className="nhsuk-caption-l">
        Funding request #{r.id} · {r.icb_name ?? r.icb_code} · {financialYearLabel(r.financial_year)}
      </span>
      <h1>{r.title}</h1>
      {/* The banner is for the step just taken: never beside the error of a step that failed since. */}
      {failure && failure.step !== "edit" ? <ErrorSummary errors={failure.fieldErrors ?? {}} formError={failure.formError} /> : null}
      <RequestFacts r={r} estimateAtRequest={estimateAtRequest} estimateNow={estimateNow} />

      <h2>Gaps</h2>
      {closed ? (
        <p>
          {closed} of {gaps.length} gap{gaps.length === 1 ? " is" : "s are"} now closed: re-evaluation found the requirement met.
        </p>
      ) : null}
      <GapLinesTable
        gaps={gaps}
        caption={`${gaps.length} gap${gaps.length === 1 ? "" : "s"} in this request`}
        requestStatus={r.status}
        extra={(g) => {
          const at = gaps.find((x) => x.id === g.id)?.estimateAtRequest;
          return at !== undefined && at !== g.estimate.pence ? (
            <div className="nhsuk-body-s app-muted nhsuk-u-margin-bottom-0">
              Estimate when requested: {at === null ? "none" : formatPence(at)}
            </div>
          ) : null;
        }}
      />

      <RequestBudget r={r} budget={budget} />

      {steps.length || canEdit ? (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">What you can do</h2>
          {steps.map((s) => (
            <StepForm
              key={s}
              step={s}
              version={r.version}
              failure={failure}
              overrideNeeded={s === "approve" ? budget.overrideNeeded : null}
              selfApproval={s === "approve" && data.selfApprovalNeedsReason}
            />
          ))}
          {canEdit && !editing ? (
            <p>
              <Link to="?edit=1#edit-title">Change this draft</Link> (title, amount, gaps)
            </p>
          ) : null}
        </section>
      ) : null}
      {editing || failure?.step === "edit" ? <EditForm data={data} failure={failure} /> : null}

      <h2>History</h2>
      <History
        events={history}
        labels={{
          status: "Status",
          title: "Title",
          gaps: "Gaps",
          justification: "Justification",
          amount: "Amount",
          amount_reason: "Reason for the amount",
          financial_year: "Financial year",
          decision_reason: "Decision reason",
          budget_override_reason: "Budget override reason",
          capital: "Capital",
          revenue: "Revenue",
          vat: "VAT",
          self_approval_reason: "Reason for approving own request",
        }}
      />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
