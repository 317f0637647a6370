import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requireSiteEditor } from "~/modules/sites/access.server";
import { DeleteSiteSchema } from "~/modules/sites/schema";
import { deleteManualSite, getSitePage } from "~/modules/sites/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Delete a site") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requireSiteEditor(request, params.ods);
  const { site, deviceCount } = await getSitePage(getDb(), practice.ods_code, params.code ?? "");
  return { practice, site, deviceCount };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requireSiteEditor(request, params.ods);
  const parsed = parseForm(await request.formData(), DeleteSiteSchema);
  if (!parsed.ok) return { ok: false as const, fieldErrors: {}, formError: "This page is out of date. Go back and try again." };
  await deleteManualSite(getDb(), user.id, practice.ods_code, params.code ?? "", parsed.data.version);
  return redirect(`/practices/${practice.ods_code}/sites`);
});

export default function DeleteSitePage() {
  const { practice, site, deviceCount } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const back = `/practices/${practice.ods_code}/sites/${encodeURIComponent(site.code)}`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Sites and connectivity", to: `/practices/${practice.ods_code}/sites` },
          { label: titleCase(site.name), to: back },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section={`Delete ${titleCase(site.name)}`} />
      <ErrorSummary errors={{}} formError={actionData && !actionData.ok ? actionData.formError : undefined} />
      <SummaryList
        rows={[
          ["Site code", site.code],
          ["Address", [titleCase(site.address), site.postcode].filter(Boolean).join(", ")],
        ]}
      />
      {!site.is_manual ? (
        <p>This site comes from the NHS ODS files, so it cannot be deleted here. When it closes, the ODS files record a close date.</p>
      ) : deviceCount > 0 ? (
        <p>
          {deviceCount} {deviceCount === 1 ? "device is" : "devices are"} recorded at this site. Move {deviceCount === 1 ? "it" : "them"} to
          another site before deleting it.
        </p>
      ) : (
        <>
          <p>Deleting the site removes its connectivity and premises facts. The history of changes keeps a record that it was deleted.</p>
          <Form method="post">
            <input type="hidden" name="version" value={site.version} />
            <div className="nhsuk-button-group">
              <button className="nhsuk-button nhsuk-button--warning" type="submit">
                Yes, delete this site
              </button>
              <Link className="nhsuk-link" to={back}>
                No, go back
              </Link>
            </div>
          </Form>
        </>
      )}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
