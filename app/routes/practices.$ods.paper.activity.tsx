import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextareaField, TextField } from "~/components/fields";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { monthLong } from "~/modules/paper/format";
import { listSites } from "~/modules/paper/repository.server";
import { ACTIVITY_LABELS, parseMonth, PaperActivitySchema } from "~/modules/paper/schema";
import { getActivity, savePaperActivity } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Record a month of paper and post") }];

/** `?month=YYYY-MM&site=CODE` opens that month's figures (whole practice when no site) to change them. */
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const url = new URL(request.url);
  const month = parseMonth(url.searchParams.get("month") ?? "");
  const site = url.searchParams.get("site")?.toUpperCase() || null;
  const db = getDb();
  const [sites, existing] = await Promise.all([
    listSites(db, practice.ods_code),
    month ? getActivity(db, practice.ods_code, `${month}-01`, site) : null,
  ]);
  return { practice, month, site, sites: sites.map((s) => ({ code: s.code, name: s.name })), existing };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const parsed = parseForm(await request.formData(), PaperActivitySchema);
  if (!parsed.ok) return parsed;
  const r = await savePaperActivity(getDb(), user.id, practice.ods_code, parsed.data);
  if (!r.ok) return r;
  const month = parsed.data.period_start.slice(0, 7);
  return redirectWithFlash(request, `/practices/${practice.ods_code}/paper#month-${month}`, `Saved the figures for ${monthLong(month)}.`);
});

const str = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
const mmYyyy = (iso: string) => `${iso.slice(5, 7)}/${iso.slice(0, 4)}`;

export default function PaperActivityPage() {
  const { practice, month, site, sites, existing } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const multiMonth = existing && existing.period_start.slice(0, 7) !== existing.period_end.slice(0, 7);
  const { form, onSubmit, errors, formError } = useZodForm(PaperActivitySchema, actionData, {
    period_start: existing ? mmYyyy(existing.period_start) : month ? `${month.slice(5, 7)}/${month.slice(0, 4)}` : "",
    period_end: multiMonth ? mmYyyy(existing.period_end) : "",
    site_code: existing?.site_code ?? site ?? "",
    sheets_printed: str(existing?.sheets_printed),
    recycled_share_pct: str(existing?.recycled_share_pct),
    letters_posted: str(existing?.letters_posted),
    sms_sent: str(existing?.sms_sent),
    nhs_app_messages: str(existing?.nhs_app_messages),
    emails_sent: str(existing?.emails_sent),
    notes: existing?.notes ?? "",
    version: String(existing?.version ?? 0),
  });
  const f = (name: keyof typeof ACTIVITY_LABELS) => ({ ...form.register(name), label: ACTIVITY_LABELS[name], error: errors[name] });
  const heading = existing
    ? `Change the figures for ${monthLong(existing.period_start.slice(0, 7))}`
    : month
      ? `Record ${monthLong(month)}`
      : "Record a month of paper and post";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Paper and carbon", to: `/practices/${practice.ods_code}/paper` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section={heading} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>Leave a figure blank if you do not know it: the month then shows as missing rather than as zero emissions.</p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <TextField {...f("period_start")} width={10} hint="For example, 10/2026 or October 2026" readOnly={Boolean(existing)} />
            <details className="nhsuk-details" open={Boolean(multiMonth)}>
              <summary className="nhsuk-details__summary">
                <span className="nhsuk-details__summary-text">Recording more than one month at once?</span>
              </summary>
              <div className="nhsuk-details__text">
                <TextField
                  {...f("period_end")}
                  width={10}
                  hint="The last whole month the figures cover, for example 12/2026. Leave blank for one month."
                />
              </div>
            </details>
            <SelectField
              {...f("site_code")}
              hint="Choose a site only if you record each site separately."
              options={[
                { value: "", label: "Whole practice" },
                ...sites.map((s) => ({ value: s.code, label: `${titleCase(s.name)} (${s.code})` })),
              ]}
              disabled={Boolean(existing)}
            />
            {existing ? <input type="hidden" name="site_code" value={existing.site_code ?? ""} /> : null}
            <TextField
              {...f("sheets_printed")}
              width={10}
              inputMode="numeric"
              hint="From the printer or copier counters, or reams bought × 500."
            />
            <TextField
              {...f("recycled_share_pct")}
              width={10}
              inputMode="decimal"
              hint="The share of the paper used that is 100% recycled, from 0 to 100."
            />
            <TextField {...f("letters_posted")} width={10} inputMode="numeric" />
            <TextField {...f("sms_sent")} width={10} inputMode="numeric" />
            <TextField {...f("nhs_app_messages")} width={10} inputMode="numeric" />
            <TextField {...f("emails_sent")} width={10} inputMode="numeric" />
            <TextareaField {...f("notes")} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save the figures
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
