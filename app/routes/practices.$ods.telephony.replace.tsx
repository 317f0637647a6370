import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DateField } from "~/components/fields";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { TELEPHONY_TYPES, TelephonyReplaceSchema } from "~/modules/telephony/schema";
import { getCurrentSystem, replaceSystem } from "~/modules/telephony/service.server";
import { TelephonyFields, telephonyDefaults } from "~/components/TelephonyFields";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Replace the telephone system") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const current = await getCurrentSystem(getDb(), practice.ods_code);
  return { practice, current };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const parsed = parseForm(await request.formData(), TelephonyReplaceSchema);
  if (!parsed.ok) return parsed;
  await replaceSystem(getDb(), user.id, practice.ods_code, parsed.data);
  return redirectWithFlash(
    request,
    `/practices/${practice.ods_code}/telephony`,
    "Telephone system replaced: the old one is in the past systems.",
  );
});

export default function ReplaceTelephonyPage() {
  const { practice, current } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(TelephonyReplaceSchema, actionData, {
    ...telephonyDefaults(),
    ended_on: "",
    version: String(current.version),
  });
  const old = [TELEPHONY_TYPES[current.system_type], current.supplier, current.product].filter(Boolean).join(", ");
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Telephony", to: `/practices/${practice.ods_code}/telephony` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Replace the telephone system" />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            The current system ({old}) will be kept as a past system, ended on the date you give. The new system becomes the current one.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <h2>The old system</h2>
            <DateField {...form.register("ended_on")} label="Date the old system stopped being used" error={errors.ended_on} />
            <h2>The new system</h2>
            <TelephonyFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Replace the system
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
