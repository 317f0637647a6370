import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, TextareaField, TextField, YES_NO_UNKNOWN } from "~/components/fields";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getLloydGeorge } from "~/modules/paper/repository.server";
import { LG_LABELS, LloydGeorgeSchema } from "~/modules/paper/schema";
import { saveLloydGeorge } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { triStateValue } from "~/utils/zod-fields";
import { pageTitle } from "~/utils/page-title";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Lloyd George records") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  return { practice, current: (await getLloydGeorge(getDb(), practice.ods_code)) ?? null };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const parsed = parseForm(await request.formData(), LloydGeorgeSchema);
  if (!parsed.ok) return parsed;
  await saveLloydGeorge(getDb(), user.id, practice.ods_code, parsed.data);
  return redirectWithFlash(request, `/practices/${practice.ods_code}/paper`, "Lloyd George record counts saved.");
});

const str = (v: number | null | undefined) => (v === null || v === undefined ? "" : String(v));
const ukDate = (iso: string | null | undefined) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

export default function LloydGeorgePage() {
  const { practice, current } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(LloydGeorgeSchema, actionData, {
    envelopes_on_site: str(current?.envelopes_on_site),
    envelopes_elsewhere: str(current?.envelopes_elsewhere),
    digitised: str(current?.digitised),
    destroyed: str(current?.destroyed),
    new_envelopes_since_2021: str(current?.new_envelopes_since_2021),
    supplier: current?.supplier ?? "",
    supplier_approved: triStateValue(current?.supplier_approved),
    contract_start: ukDate(current?.contract_start),
    contract_end: ukDate(current?.contract_end),
    destruction_approved_on: ukDate(current?.destruction_approved_on),
    notes: current?.notes ?? "",
    version: String(current?.version ?? 0),
  });
  const f = (name: keyof typeof LG_LABELS) => ({ ...form.register(name), label: LG_LABELS[name], error: errors[name] });
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Paper and carbon", to: `/practices/${practice.ods_code}/paper` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Lloyd George records" />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Count the paper envelopes the practice still holds, and those already scanned to the national standard and uploaded to the
            National Document Repository. Records in all are the envelopes held plus those destroyed after scanning. Leave a count blank if
            you do not know it.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <TextField {...f("envelopes_on_site")} width={10} inputMode="numeric" />
            <TextField
              {...f("envelopes_elsewhere")}
              width={10}
              inputMode="numeric"
              hint="For example in off-site storage or with a scanning supplier."
            />
            <TextField {...f("digitised")} width={10} inputMode="numeric" />
            <TextField
              {...f("destroyed")}
              width={10}
              inputMode="numeric"
              hint="Allowed since 24 November 2023 once a record is scanned to the national standard."
            />
            <TextField
              {...f("new_envelopes_since_2021")}
              width={10}
              inputMode="numeric"
              hint="New envelopes stopped in January 2021; any since is an exception."
            />
            <TextField {...f("supplier")} />
            <RadiosField {...f("supplier_approved")} options={YES_NO_UNKNOWN} />
            <DateField {...f("contract_start")} />
            <DateField {...f("contract_end")} />
            <DateField {...f("destruction_approved_on")} />
            <TextareaField {...f("notes")} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
