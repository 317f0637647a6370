import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DateField, RadiosField, SelectField, TextareaField, TextField, YES_NO_UNKNOWN } from "~/components/fields";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { OWNERSHIP, PremisesSchema, SITE_LABELS } from "~/modules/sites/schema";
import { getSite, updateSitePremises } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { useZodForm } from "~/utils/use-zod-form";
import { triStateValue } from "~/utils/zod-fields";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Change site premises") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const site = await getSite(getDb(), practice.ods_code, params.code ?? "");
  return { practice, site };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const code = params.code ?? "";
  const parsed = parseForm(await request.formData(), PremisesSchema);
  if (!parsed.ok) return parsed;
  await updateSitePremises(getDb(), user.id, practice.ods_code, code, parsed.data);
  return redirect(`/practices/${practice.ods_code}/sites/${encodeURIComponent(code)}`);
});

const ukDate = (iso: string | null) => (iso ? `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}` : "");

export default function PremisesPage() {
  const { practice, site } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(PremisesSchema, actionData, {
    comms_room_ok: triStateValue(site.comms_room_ok),
    ups_present: triStateValue(site.ups_present),
    records_storage_m2: site.records_storage_m2?.toString() ?? "",
    ownership: site.ownership ?? "",
    planned_move_date: ukDate(site.planned_move_date),
    planned_works: site.planned_works ?? "",
    analogue_lines: site.analogue_lines?.toString() ?? "",
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
      <PracticeHeader ods={practice.ods_code} name={practice.name} section={`Premises: ${titleCase(site.name)}`} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <RadiosField
              {...form.register("comms_room_ok")}
              label={`${SITE_LABELS.comms_room_ok}?`}
              hint="Secure, with power and cooling for the network equipment"
              options={YES_NO_UNKNOWN}
              error={errors.comms_room_ok}
            />
            <RadiosField
              {...form.register("ups_present")}
              label={`${SITE_LABELS.ups_present}?`}
              options={YES_NO_UNKNOWN}
              error={errors.ups_present}
            />
            <TextField
              {...form.register("records_storage_m2")}
              label={SITE_LABELS.records_storage_m2}
              hint="Floor area used to store Lloyd George and other paper records"
              inputMode="decimal"
              width={10}
              error={errors.records_storage_m2}
            />
            <SelectField
              {...form.register("ownership")}
              label={SITE_LABELS.ownership}
              options={[{ value: "", label: "Not known" }, ...Object.entries(OWNERSHIP).map(([value, label]) => ({ value, label }))]}
              error={errors.ownership}
            />
            <DateField {...form.register("planned_move_date")} label={SITE_LABELS.planned_move_date} error={errors.planned_move_date} />
            <TextareaField {...form.register("planned_works")} label={SITE_LABELS.planned_works} error={errors.planned_works} />
            <TextField
              {...form.register("analogue_lines")}
              label={SITE_LABELS.analogue_lines}
              hint="Copper lines still in use at this site, for example for lifts, alarms or fax. BT plans to switch these off by 31 January 2027."
              inputMode="numeric"
              width={10}
              error={errors.analogue_lines}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save premises
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
