import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { useState } from "react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DeviceForm, deviceFormValues } from "~/components/DeviceForm";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { DeviceVersionSchema } from "~/modules/devices/confirm-schema";
import { deviceIdFrom } from "~/modules/devices/params";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { getDeviceForm, requireDevice, updateDevice } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Change a device – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const form = await getDeviceForm(getDb(), practice.ods_code, deviceIdFrom(params.id));
  return { practice, device: form.device!, sites: form.sites };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const id = deviceIdFrom(params.id);
  await requireDevice(getDb(), practice.ods_code, id);
  const formData = await request.formData();
  const version = parseForm(formData, DeviceVersionSchema);
  if (!version.ok) return { ok: false as const, fieldErrors: {}, formError: "This form is out of date. Reload the page and try again." };
  const parsed = parseForm(formData, DeviceInputSchema);
  if (!parsed.ok) return parsed;
  const result = await updateDevice(getDb(), user.id, practice.ods_code, id, version.data.version, parsed.data);
  if (!result.ok) return result;
  return redirectWithFlash(request, `/practices/${practice.ods_code}/devices/${id}`, "Device saved.");
});

export default function EditDevice() {
  const { practice, device, sites } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  // The version the page was opened at, kept after a failed save so a conflict is never overwritten.
  const [openedVersion] = useState(device.version);
  const [defaults] = useState(() => deviceFormValues(device));
  const base = `/practices/${practice.ods_code}`;
  const name = device.asset_tag ?? device.serial_number ?? "";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: base },
          { label: "Devices", to: `${base}/devices` },
          { label: name, to: `${base}/devices/${device.id}` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <DeviceForm
            title={`Change device ${name}`}
            submitLabel="Save changes"
            actionData={actionData}
            sites={sites}
            defaultValues={defaults}
            hidden={<input type="hidden" name="version" value={openedVersion} />}
          />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
