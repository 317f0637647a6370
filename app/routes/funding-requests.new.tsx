import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { SelectField } from "~/components/fields";
import { RequestForm } from "~/components/funding/NewRequestForm";
import { carriedRequestFields, CheckSplitSchema, requestFieldsSchema, parseGapIds } from "~/modules/funding/schema";
import { previewSplit, type SplitPreview } from "~/modules/funding/split";
import { zodFieldErrors } from "~/utils/forms";
import { createRequest, listEditableDrafts, prepareGaps } from "~/modules/funding/service.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { AppError } from "~/utils/errors";

export const meta: MetaFunction = () => [{ title: "New funding request – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "funding:request");
  const today = todayIso();
  const currentYear = financialYearOf(today);
  const url = new URL(request.url);
  const ids = parseGapIds(url.searchParams.getAll("gap"));
  // "Add these gaps to a draft": the draft's page opens its edit form with them added (and checks them again on saving).
  const draft = Number(url.searchParams.get("draft"));
  if (ids.ok && Number.isSafeInteger(draft) && draft > 0) {
    return redirect(`/funding-requests/${draft}?edit=1&${ids.ids.map((g) => `add=${g}`).join("&")}#edit-title`);
  }
  if (!ids.ok)
    return {
      problem: `${ids.message}: choose the gaps to fund from the gap register.`,
      prepared: null,
      currentYear,
      drafts: [],
      preview: null,
      previewErrors: {},
      values: {},
    };
  try {
    const prepared = await prepareGaps(getDb(), scope, ids.ids, today);
    const drafts = await listEditableDrafts(getDb(), user, prepared.icbCode);
    // "Check the split": the amount and year as typed, split by the code the save runs (split.ts);
    // before any check, the estimate in the current year.
    const checked = url.searchParams.has("check");
    const values = checked ? carriedRequestFields(url.searchParams) : {};
    let preview: SplitPreview | null = null;
    let previewErrors: Record<string, string> = {};
    const estimates = prepared.gaps.map((g) => g.estimate);
    if (checked) {
      const p = CheckSplitSchema.safeParse({ financial_year: values.financial_year ?? "", amount: values.amount ?? "" });
      if (p.success) preview = previewSplit(p.data.amount, p.data.financial_year, estimates);
      else previewErrors = zodFieldErrors(p.error);
    } else if (prepared.estimatePence !== null) preview = previewSplit(prepared.estimatePence, currentYear, estimates);
    return { problem: null, prepared, currentYear, drafts, preview, previewErrors, values };
  } catch (e) {
    // Gaps that cannot be bundled (closed, in two ICBs) are explained on the page; not found and not allowed are error pages.
    if (e instanceof AppError && e.fieldErrors?.gaps)
      return { problem: e.message, prepared: null, currentYear, drafts: [], preview: null, previewErrors: {}, values: {} };
    throw e;
  }
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "funding:request");
  const today = todayIso();
  const formData = await request.formData();
  const ids = parseGapIds(formData.getAll("gap"));
  if (!ids.ok) return { ok: false as const, fieldErrors: {}, formError: ids.message };
  // Every submitted id is checked against the user's scope again: a tampered id is a 404.
  // The gap list's problems are about the whole form (its gaps are hidden inputs), not one field.
  const onForm = (f: FormFailure): FormFailure => (f.fieldErrors.gaps ? { ...f, fieldErrors: {}, formError: f.fieldErrors.gaps } : f);
  const prepared = await orFailure({}, () => prepareGaps(getDb(), scope, ids.ids, today));
  if ("ok" in prepared) return onForm(prepared);
  const parsed = parseForm(formData, requestFieldsSchema(prepared.estimatePence));
  if (!parsed.ok) return parsed;
  const submit = formData.get("intent") === "submit";
  const created = await orFailure({}, () => createRequest(getDb(), user, ids.ids, parsed.data, { submit, today }));
  if ("ok" in created) return onForm(created);
  return redirectWithFlash(request, `/funding-requests/${created.id}`, `Request ${submit ? "submitted" : "created"}.`);
});

export default function NewFundingRequest() {
  const { problem, prepared, currentYear, drafts, preview, previewErrors, values } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Funding requests", to: "/funding-requests" },
        ]}
      />
      <h1>New funding request</h1>
      {problem || !prepared ? (
        <>
          <div className="nhsuk-warning-callout">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>
                These gaps cannot be bundled
              </span>
            </h2>
            <p>{problem}</p>
          </div>
          <p>
            <Link to="/gaps">Go to the gap register</Link>
          </p>
        </>
      ) : (
        <>
          <RequestForm
            prepared={prepared}
            currentYear={currentYear}
            preview={preview}
            previewErrors={previewErrors}
            values={values}
            actionData={actionData}
          />
          {drafts.length ? (
            <Form method="get" className="nhsuk-u-margin-top-5">
              <h2>Or add these gaps to a draft</h2>
              {prepared.gaps.map((g) => (
                <input key={g.id} type="hidden" name="gap" value={g.id} />
              ))}
              <SelectField
                name="draft"
                label="Draft request"
                options={drafts.map((d) => ({ value: String(d.id), label: `#${d.id} ${d.title}` }))}
              />
              <button className="nhsuk-button nhsuk-button--secondary" type="submit">
                Open the draft with these gaps added
              </button>
            </Form>
          ) : null}
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
