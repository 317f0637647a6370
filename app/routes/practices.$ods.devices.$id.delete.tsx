import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { useState } from "react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { DeviceVersionSchema } from "~/modules/devices/confirm-schema";
import { deviceIdFrom } from "~/modules/devices/params";
import { DEVICE_STATUSES, DEVICE_TYPES } from "~/modules/devices/schema";
import { deleteDevice, requireDevice } from "~/modules/devices/service.server";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Delete a device – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const device = await requireDevice(getDb(), practice.ods_code, deviceIdFrom(params.id));
  return { practice, device };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.icb:write");
  const id = deviceIdFrom(params.id);
  await requireDevice(getDb(), practice.ods_code, id);
  const parsed = parseForm(await request.formData(), DeviceVersionSchema);
  if (!parsed.ok) return { ok: false as const, fieldErrors: {}, formError: "This page is out of date. Reload it and try again." };
  const result = await deleteDevice(getDb(), user.id, practice.ods_code, id, parsed.data.version);
  if (!result.ok) return result;
  return redirect(`/practices/${practice.ods_code}/devices`);
});

export default function DeleteDevice() {
  const { practice, device: d } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const [openedVersion] = useState(d.version);
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
          <ErrorSummary errors={{}} formError={actionData && !actionData.ok ? actionData.formError : undefined} />
          <h1>Delete device {name}?</h1>
          <SummaryList
            rows={[
              ["Type", DEVICE_TYPES[d.device_type as keyof typeof DEVICE_TYPES] ?? d.device_type],
              ["Make and model", [d.make, d.model].filter(Boolean).join(" ")],
              ["Serial number", d.serial_number],
              ["Status", DEVICE_STATUSES[d.status]],
              ["Purchase date", formatDate(d.purchase_date)],
            ]}
          />
          <div className="nhsuk-warning-callout">
            <h2 className="nhsuk-warning-callout__label">
              <span role="text">
                <span className="nhsuk-u-visually-hidden">Important: </span>This cannot be undone
              </span>
            </h2>
            <p>
              Delete a device only if it was recorded by mistake. The device disappears from the register and from reports; the audit trail
              keeps a copy of what was deleted.
              {d.status !== "disposed" ? (
                <>
                  {" "}
                  If the device has left service, <Link to={`${base}/${d.id}/retire`}>retire it</Link> instead.
                </>
              ) : null}
            </p>
          </div>
          <Form method="post">
            <input type="hidden" name="version" value={openedVersion} />
            <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={pending}>
              Delete device
            </button>
          </Form>
          <p>
            <Link to={`${base}/${d.id}`}>Cancel and go back to the device</Link>
          </p>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
