import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { GraphConnectionForm } from "~/components/GraphConnectionForm";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ConnectionFormSchema } from "~/modules/device-sync/schema";
import { canSetUrls, icbChoices, saveConnection } from "~/modules/device-sync/service.server";
import { canStoreSecrets } from "~/modules/device-sync/secret.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Add a connection", "Device management sync") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const icbs = await icbChoices(getDb(), user.memberships);
  return { icbs, showUrls: canSetUrls(user.memberships), noKey: !canStoreSecrets() };
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const form = await request.formData();
  const parsed = parseForm(form, ConnectionFormSchema);
  if (!parsed.ok) return { ...parsed, values: { ...parsed.values, client_secret: "" } };
  const result = await saveConnection(getDb(), user, parsed.data, null);
  if (!result.ok) return result;
  return redirect(`/device-sync/${result.id}`);
});

export default function NewConnectionPage() {
  const { icbs, showUrls, noKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Device management sync", to: "/device-sync" },
        ]}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <GraphConnectionForm
            title="Add a connection"
            submitLabel="Save connection"
            actionData={actionData}
            defaultValues={{ icb_code: icbs.length === 1 ? icbs[0].code : "", missing_after_days: "14", sync_every_hours: "24" }}
            icbs={icbs}
            showUrls={showUrls}
            hasSecret={false}
            noKey={noKey}
          />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
