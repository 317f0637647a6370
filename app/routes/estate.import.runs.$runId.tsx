import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { DeviceImportSummary } from "~/components/DeviceImportSummary";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { getRun } from "~/modules/devices/import/service.server";
import { getDb } from "~/utils/db.server";
import { idParam } from "~/utils/params";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Device import finished – GP digital estate" }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { user, scope } = await requirePermission(request, "estate.icb:write");
  return getRun(getDb(), idParam(params.runId, "import run"), user, scope);
});

export default function ImportRun() {
  const run = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Import devices", to: "/estate/import" },
        ]}
      />
      <DeviceImportSummary run={run} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
