import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { isoToUk } from "~/components/DeviceForm";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField } from "~/components/fields";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { RetireDeviceSchema } from "~/modules/devices/confirm-schema";
import { deviceIdFrom } from "~/modules/devices/params";
import { DEVICE_TYPES } from "~/modules/devices/schema";
import { requireDevice, retireDevice } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { todayIso } from "~/utils/today";
import { useZodForm } from "~/utils/use-zod-form";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Retire a device – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const device = await requireDevice(getDb(), practice.ods_code, deviceIdFrom(params.id));
  return { practice, device, today: todayIso() };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const id = deviceIdFrom(params.id);
  await requireDevice(getDb(), practice.ods_code, id);
  const parsed = parseForm(await request.formData(), RetireDeviceSchema);
  if (!parsed.ok) return parsed;
  const result = await retireDevice(getDb(), user.id, practice.ods_code, id, parsed.data);
  if (!result.ok) return result;
  return redirect(`/practices/${practice.ods_code}/devices/${id}`);
});

export default function RetireDevice() {
  const { practice, device: d, today } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const defaults = { disposed_date: isoToUk(today), version: String(d.version) };
  const { form, onSubmit, errors, formError } = useZodForm(RetireDeviceSchema, actionData, defaults);
  const base = `/practices/${practice.ods_code}/devices`;
  const name = d.asset_tag ?? d.serial_number ?? "";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Devices", to: base },
          { label: name, to: `${base}/${d.id}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <h1>
            Retire {DEVICE_TYPES[d.device_type as keyof typeof DEVICE_TYPES]?.toLowerCase() ?? "device"} {name}
          </h1>
          {d.status === "disposed" ? (
            <p>This device is already recorded as disposed of.</p>
          ) : (
            <>
              <p>
                The device will be recorded as disposed of on the date you give. It stays on the register with its history, and no longer
                counts towards the practice's devices in use.
              </p>
              <p>If it was added by mistake, delete it instead.</p>
              <Form method="post" noValidate onSubmit={onSubmit}>
                <input type="hidden" {...form.register("version")} defaultValue={defaults.version} />
                <DateField
                  label="Date the device was disposed of"
                  error={errors.disposed_date}
                  {...form.register("disposed_date")}
                  defaultValue={defaults.disposed_date}
                />
                <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={pending}>
                  Retire device
                </button>
              </Form>
            </>
          )}
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
