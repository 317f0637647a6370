import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DateField, RadiosField, TextField } from "~/components/fields";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { PRINCIPAL_CLINICAL_SYSTEM, SERVICE_STATUSES } from "~/modules/catalogue/digital-services";
import { DigitalServicesSchema, SERVICES_WITH_SEATS } from "~/modules/digital-services/schema";
import { getServicesPage, saveServices } from "~/modules/digital-services/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Update clinical system and digital services") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const { all, national } = await getServicesPage(getDb(), practice.ods_code);
  return { practice, services: all, national };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const parsed = parseForm(await request.formData(), DigitalServicesSchema);
  if (!parsed.ok) return parsed;
  await saveServices(getDb(), user.id, practice.ods_code, parsed.data);
  return redirect(`/practices/${practice.ods_code}/services`);
});

const STATUS_OPTIONS = Object.entries(SERVICE_STATUSES).map(([value, label]) => ({ value, label }));
const ukDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

/** react-hook-form keeps errors of nested fields nested; the summary and fields want `key.field`. */
function flattenErrors(node: unknown, prefix = "", out: Record<string, string | undefined> = {}) {
  if (!node || typeof node !== "object") return out;
  for (const [k, v] of Object.entries(node as Record<string, unknown>)) {
    if (k === "ref" || k === "type" || k === "types") continue;
    const name = prefix ? `${prefix}.${k}` : k;
    if (v && typeof v === "object" && "message" in v && typeof (v as { message: unknown }).message === "string")
      out[name] = (v as { message: string }).message;
    else if (v && typeof v === "object") flattenErrors(v, name, out);
  }
  return out;
}

export default function EditServicesPage() {
  const { practice, services, national } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const defaults = Object.fromEntries(
    services.map((s) => [
      s.key,
      {
        status: s.status,
        supplier: s.supplier ?? "",
        since_date: ukDate(s.since_date),
        seats: s.seats === null ? "" : String(s.seats),
        notes: s.notes ?? "",
        version: String(s.version),
      },
    ]),
  );
  const { form, onSubmit, formError } = useZodForm(DigitalServicesSchema, actionData, defaults as never);
  const errors = flattenErrors(form.formState.errors);
  const back = `/practices/${practice.ods_code}/services`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Clinical system and digital services", to: back },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Update clinical system and digital services" />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            Record whether the practice uses each service. Leave a service as Not known if you are not sure. All changes are saved together.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            {services.map((s) => {
              const f = (field: string) => `${s.key}.${field}`;
              const hint =
                s.key === PRINCIPAL_CLINICAL_SYSTEM && national.clinical_system
                  ? `${s.hint ?? ""} The NHS supplier files say: ${national.clinical_system}${national.clinical_system_detail ? ` (${national.clinical_system_detail})` : ""}.`
                  : s.hint;
              return (
                <fieldset
                  className="nhsuk-fieldset nhsuk-u-margin-bottom-6"
                  key={s.key}
                  aria-describedby={hint ? `hint-${s.key}` : undefined}
                >
                  <legend className="nhsuk-fieldset__legend nhsuk-fieldset__legend--m">{s.label}</legend>
                  {hint ? (
                    <div className="nhsuk-hint" id={`hint-${s.key}`}>
                      {hint}
                    </div>
                  ) : null}
                  <input type="hidden" {...form.register(f("version"))} />
                  <RadiosField {...form.register(f("status"))} label="Status" options={STATUS_OPTIONS} error={errors[f("status")]} />
                  <TextField {...form.register(f("supplier"))} label="Supplier" error={errors[f("supplier")]} />
                  <DateField {...form.register(f("since_date"))} label="In use since" error={errors[f("since_date")]} />
                  {SERVICES_WITH_SEATS.has(s.key) ? (
                    <TextField
                      {...form.register(f("seats"))}
                      label="Sessions at once"
                      hint="How many staff can work through it at the same time. Each counts towards remote capacity like a managed laptop."
                      width={10}
                      inputMode="numeric"
                      error={errors[f("seats")]}
                    />
                  ) : null}
                  <TextField {...form.register(f("notes"))} label="Notes" error={errors[f("notes")]} />
                </fieldset>
              );
            })}
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save all services
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
