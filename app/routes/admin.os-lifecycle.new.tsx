import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { useActionData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { LifecycleForm } from "~/components/LifecycleForm";
import { OsLifecycleSchema } from "~/modules/os-lifecycle/schema";
import { createLifecycle } from "~/modules/os-lifecycle/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Add an operating system version – GP digital estate" }];

// Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return null;
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "user:manage");
  const parsed = parseForm(await request.formData(), OsLifecycleSchema);
  if (!parsed.ok) return parsed;
  const result = await createLifecycle(getDb(), user.id, parsed.data);
  if (!result.ok) return result;
  return redirect(`/admin/os-lifecycle/${result.id}`);
});

export default function NewOsVersion() {
  const actionData = useActionData<typeof action>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Operating system support dates", to: "/admin/os-lifecycle" },
        ]}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <LifecycleForm title="Add an operating system version" submitLabel="Add version" actionData={actionData} />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
