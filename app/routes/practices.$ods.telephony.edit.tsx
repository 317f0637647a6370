import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { TelephonyEditSchema } from "~/modules/telephony/schema";
import { getCurrentSystem, updateCurrentSystem } from "~/modules/telephony/service.server";
import { TelephonyFields, telephonyDefaults } from "~/components/TelephonyFields";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Edit the telephone system") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const current = await getCurrentSystem(getDb(), practice.ods_code);
  return { practice, current };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const parsed = parseForm(await request.formData(), TelephonyEditSchema);
  if (!parsed.ok) return parsed;
  await updateCurrentSystem(getDb(), user.id, practice.ods_code, parsed.data);
  return redirectWithFlash(request, `/practices/${practice.ods_code}/telephony`, "Telephone system saved.");
});

export default function EditTelephonyPage() {
  const { practice, current } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(TelephonyEditSchema, actionData, {
    ...telephonyDefaults(current),
    version: String(current.version),
  });
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Telephony", to: `/practices/${practice.ods_code}/telephony` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Edit the telephone system" />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Correct the details of the current system. If the practice has moved to a different system, replace it instead so the old one
            stays in the history.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <TelephonyFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save changes
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
