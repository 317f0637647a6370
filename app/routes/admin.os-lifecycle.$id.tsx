import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useActionData, useLoaderData, type ShouldRevalidateFunction } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { History } from "~/components/History";
import { LifecycleForm, lifecycleFormValues } from "~/components/LifecycleForm";
import { LIFECYCLE_LABELS, LifecycleVersionSchema, OsLifecycleSchema } from "~/modules/os-lifecycle/schema";
import { getLifecyclePage, updateLifecycle } from "~/modules/os-lifecycle/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { idParam } from "~/utils/params";
import { requirePermission } from "~/modules/auth/permissions.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.row.family ?? ""} ${data?.row.version ?? ""} support dates – GP digital estate` },
];

const rowId = (raw: string | undefined) => idParam(raw, "operating system version");

// Admin only: "user:manage" is held by admins alone (app/utils/permissions.ts).
export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return getLifecyclePage(getDb(), rowId(params.id));
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<FormFailure | { ok: true }> => {
  const { user } = await requirePermission(request, "user:manage");
  const id = rowId(params.id);
  const formData = await request.formData();
  const versionNo = parseForm(formData, LifecycleVersionSchema);
  if (!versionNo.ok) return { ok: false, fieldErrors: {}, formError: "This form is out of date. Reload the page and try again." };
  const parsed = parseForm(formData, OsLifecycleSchema);
  if (!parsed.ok) return parsed;
  return updateLifecycle(getDb(), user.id, id, versionNo.data.version_no, parsed.data);
});

/**
 * After a refused save the page keeps the row as it was opened (and so its version), so the
 * person's typed values stay and saving again is still refused until they reload.
 */
export const shouldRevalidate: ShouldRevalidateFunction = ({ actionResult, defaultShouldRevalidate }) =>
  actionResult && (actionResult as { ok?: boolean }).ok === false ? false : defaultShouldRevalidate;

export default function OsVersionPage() {
  const { row, history } = useLoaderData<typeof loader>();
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
          {actionData?.ok ? (
            <div className="nhsuk-inset-text" role="status">
              <p>Your changes have been saved.</p>
            </div>
          ) : null}
          <LifecycleForm
            title={`${row.family} ${row.edition} ${row.version}`}
            submitLabel="Save changes"
            actionData={actionData}
            defaultValues={lifecycleFormValues(row)}
            hidden={<input type="hidden" name="version_no" value={row.version_no} />}
          />
        </div>
      </div>
      <h2>History</h2>
      <History events={history} labels={LIFECYCLE_LABELS} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
