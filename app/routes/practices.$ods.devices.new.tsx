import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DeviceForm } from "~/components/DeviceForm";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { DeviceInputSchema } from "~/modules/devices/schema";
import { createDevice, getDeviceForm } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Add a device – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const { sites } = await getDeviceForm(getDb(), practice.ods_code);
  return { practice, sites };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const parsed = parseForm(await request.formData(), DeviceInputSchema);
  if (!parsed.ok) return parsed;
  const result = await createDevice(getDb(), user.id, practice.ods_code, parsed.data);
  if (!result.ok) return result;
  return redirectWithFlash(request, `/practices/${practice.ods_code}/devices/${result.id}`, "Device added.");
});

export default function NewDevice() {
  const { practice, sites } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/practices/${practice.ods_code}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(practice.name), to: base },
          { label: "Devices", to: `${base}/devices` },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <DeviceForm
            title="Add a device"
            submitLabel="Add device"
            actionData={actionData}
            sites={sites}
            defaultValues={{ status: "in_use", device_type: "" }}
          />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
