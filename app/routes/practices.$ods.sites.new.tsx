import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DateField, RadiosField, TextField } from "~/components/fields";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requireSiteEditor } from "~/modules/sites/access.server";
import { NewSiteSchema, SITE_KINDS } from "~/modules/sites/schema";
import { addManualSite } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Add a site") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requireSiteEditor(request, params.ods);
  return { practice };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requireSiteEditor(request, params.ods);
  const parsed = parseForm(await request.formData(), NewSiteSchema);
  if (!parsed.ok) return parsed;
  const r = await addManualSite(getDb(), user.id, practice.ods_code, parsed.data);
  if (!r.ok) return r;
  return redirect(`/practices/${practice.ods_code}/sites/${encodeURIComponent(r.code)}`);
});

export default function NewSitePage() {
  const { practice } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(NewSiteSchema, actionData, {
    name: "",
    kind: "branch",
    address: "",
    postcode: "",
    open_date: "",
  });
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Sites and connectivity", to: `/practices/${practice.ods_code}/sites` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Add a site" />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Add a building the practice uses that is not in the NHS ODS files, such as a satellite clinic or a records store. It gets a code
            like {practice.ods_code}-M1.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <TextField {...form.register("name")} label="Site name" error={errors.name} />
            <RadiosField
              {...form.register("kind")}
              label="Kind of site"
              options={Object.entries(SITE_KINDS).map(([value, label]) => ({ value, label }))}
              error={errors.kind}
            />
            <TextField {...form.register("address")} label="Address" error={errors.address} />
            <TextField {...form.register("postcode")} label="Postcode" width={10} autoComplete="postal-code" error={errors.postcode} />
            <DateField {...form.register("open_date")} label="Opening date (optional)" error={errors.open_date} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Add site
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
