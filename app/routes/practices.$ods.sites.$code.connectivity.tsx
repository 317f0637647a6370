import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { RadiosField, TextField, YES_NO_UNKNOWN } from "~/components/fields";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { ConnectivitySchema, SITE_LABELS } from "~/modules/sites/schema";
import { getSite, updateSiteConnectivity } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { triStateValue } from "~/utils/zod-fields";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Change site connectivity") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const site = await getSite(getDb(), practice.ods_code, params.code ?? "");
  return { practice, site };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const code = params.code ?? "";
  const parsed = parseForm(await request.formData(), ConnectivitySchema);
  if (!parsed.ok) return parsed;
  await updateSiteConnectivity(getDb(), user.id, practice.ods_code, code, parsed.data);
  return redirect(`/practices/${practice.ods_code}/sites/${encodeURIComponent(code)}`);
});

export default function ConnectivityPage() {
  const { practice, site } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ConnectivitySchema, actionData, {
    hscn_connected: triStateValue(site.hscn_connected),
    hscn_circuit_id: site.hscn_circuit_id ?? "",
    bandwidth_mbps: site.bandwidth_mbps?.toString() ?? "",
    resilient_line: triStateValue(site.resilient_line),
    wifi_staff: triStateValue(site.wifi_staff),
    wifi_patient: triStateValue(site.wifi_patient),
    version: String(site.version),
  });
  const back = `/practices/${practice.ods_code}/sites/${encodeURIComponent(site.code)}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Sites and connectivity", to: `/practices/${practice.ods_code}/sites` },
          { label: titleCase(site.name), to: back },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section={`Connectivity: ${titleCase(site.name)}`} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <RadiosField
              {...form.register("hscn_connected")}
              label={`${SITE_LABELS.hscn_connected}?`}
              options={YES_NO_UNKNOWN}
              error={errors.hscn_connected}
            />
            <TextField
              {...form.register("hscn_circuit_id")}
              label={SITE_LABELS.hscn_circuit_id}
              width={20}
              error={errors.hscn_circuit_id}
            />
            <TextField
              {...form.register("bandwidth_mbps")}
              label={SITE_LABELS.bandwidth_mbps}
              hint="Download speed in megabits per second, for example 100"
              inputMode="decimal"
              width={10}
              error={errors.bandwidth_mbps}
            />
            <RadiosField
              {...form.register("resilient_line")}
              label={`${SITE_LABELS.resilient_line}?`}
              options={YES_NO_UNKNOWN}
              error={errors.resilient_line}
            />
            <RadiosField
              {...form.register("wifi_staff")}
              label={`${SITE_LABELS.wifi_staff}?`}
              options={YES_NO_UNKNOWN}
              error={errors.wifi_staff}
            />
            <RadiosField
              {...form.register("wifi_patient")}
              label={`${SITE_LABELS.wifi_patient}?`}
              options={YES_NO_UNKNOWN}
              error={errors.wifi_patient}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save connectivity
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
