import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { formatDate, titleCase } from "~/utils/format";
import { PracticeHeader } from "~/components/PracticeNav";
import { SummaryList } from "~/components/SummaryList";
import { requirePracticeAccess } from "~/modules/estate/access.server";
import { DeletePastSchema, TELEPHONY_TYPES } from "~/modules/telephony/schema";
import { deletePastSystem, getPastSystem } from "~/modules/telephony/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { idParam } from "~/utils/params";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Delete a past telephone system") }];

const recordId = async (raw: string | undefined) => idParam(raw, "past telephony system");

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const id = await recordId(params.id);
  const system = await getPastSystem(getDb(), practice.ods_code, id);
  return { practice, system };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, practice } = await requirePracticeAccess(request, params.ods, "estate.practice:write");
  const id = await recordId(params.id);
  const parsed = parseForm(await request.formData(), DeletePastSchema);
  if (!parsed.ok) return { ok: false as const, fieldErrors: {}, formError: "This page is out of date. Go back and try again." };
  await deletePastSystem(getDb(), user.id, practice.ods_code, id, parsed.data.version);
  return redirect(`/practices/${practice.ods_code}/telephony`);
});

export default function DeletePastTelephonyPage() {
  const { practice, system } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const back = `/practices/${practice.ods_code}/telephony`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: titleCase(practice.name), to: `/practices/${practice.ods_code}` },
          { label: "Telephony", to: back },
        ]}
      />
      <PracticeHeader ods={practice.ods_code} name={practice.name} section="Delete a past telephone system" />
      <ErrorSummary errors={{}} formError={actionData && !actionData.ok ? actionData.formError : undefined} />
      <SummaryList
        rows={[
          ["Type", TELEPHONY_TYPES[system.system_type]],
          ["Supplier", system.supplier],
          ["Product", system.product],
          ["Stopped being used", formatDate(system.ended_on)],
        ]}
      />
      <p>Only delete a past system if it was recorded by mistake. The history of changes keeps a record that it was deleted.</p>
      <Form method="post">
        <input type="hidden" name="version" value={system.version} />
        <div className="nhsuk-button-group">
          <button className="nhsuk-button nhsuk-button--warning" type="submit">
            Yes, delete this record
          </button>
          <Link className="nhsuk-link" to={back}>
            No, go back
          </Link>
        </div>
      </Form>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
