import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { GraphConnectionForm } from "~/components/GraphConnectionForm";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ConnectionFormSchema } from "~/modules/device-sync/schema";
import { canSetUrls, connectionForForm, saveConnection } from "~/modules/device-sync/service.server";
import { canStoreSecrets } from "~/modules/device-sync/secret.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: pageTitle("Change connection", data?.connection.name, "Device management sync") },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const connection = await connectionForForm(getDb(), user.memberships, Number(params.id));
  return { connection, showUrls: canSetUrls(user.memberships), noKey: !canStoreSecrets() };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const parsed = parseForm(await request.formData(), ConnectionFormSchema);
  if (!parsed.ok) return { ...parsed, values: { ...parsed.values, client_secret: "" } };
  const result = await saveConnection(getDb(), user, parsed.data, Number(params.id));
  if (!result.ok) return result;
  return redirect(`/device-sync/${result.id}`);
});

export default function EditConnectionPage() {
  const { connection: c, showUrls, noKey } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const defaults: Record<string, string> = {
    name: c.name,
    icb_code: c.icb_code,
    tenant_id: c.tenant_id,
    client_id: c.client_id,
    authority_url: c.authority_url,
    graph_url: c.graph_url,
    ods_field: c.ods_field,
    sync_every_hours: c.sync_every_hours,
    missing_after_days: c.missing_after_days,
    prefix_rules: c.prefix_rules,
    group_rules: c.group_rules,
    version: String(c.version),
  };
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Device management sync", to: "/device-sync" },
          { label: c.name, to: `/device-sync/${c.id}` },
        ]}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <GraphConnectionForm
            title={`Change ${c.name}`}
            submitLabel="Save changes"
            actionData={actionData}
            defaultValues={defaults}
            icbs={null}
            showUrls={showUrls}
            hasSecret={c.has_secret}
            noKey={noKey}
          />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
