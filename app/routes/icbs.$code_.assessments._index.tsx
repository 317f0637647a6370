import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect, useActionData, useLoaderData } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { titleCase } from "~/utils/format";
import { CyclesTable, DutyQueue, OpenCycleForm, VerificationQueue } from "~/components/assessment/IcbAssessments";
import { Pagination } from "~/components/Pagination";
import { icbAssessmentRights, icbDutyScope } from "~/modules/assessment/access.server";
import { OpenCycleSchema } from "~/modules/assessment/schema";
import { getDutyQueue, getIcbAssessments, openCycle } from "~/modules/assessment/icb.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { todayIso } from "~/utils/today";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `Self-assessments – ${titleCase(data?.icb.name) || "ICB"} – GP digital estate` },
];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { icb, canVerify } = await icbAssessmentRights(auth, params.code);
  const { owners, practiceCodes } = icbDutyScope(auth.user, icb.code);
  const [data, duties] = await Promise.all([
    getIcbAssessments(getDb(), icb.code, pageFromUrl(new URL(request.url)), todayIso()),
    owners.length ? getDutyQueue(getDb(), icb.code, owners, practiceCodes) : null,
  ]);
  return { icb, canVerify, duties, ...data };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const auth = await requirePermission(request, "org:read");
  const { icb } = await icbAssessmentRights(auth, params.code, "verify");
  const parsed = parseForm(await request.formData(), OpenCycleSchema);
  if (!parsed.ok) return parsed;
  const { cycle } = await openCycle(getDb(), auth.user.id, icb.code, parsed.data);
  return redirect(`/icbs/${icb.code}/assessments/${cycle.id}`);
});

export default function IcbAssessmentsPage() {
  const { icb, canVerify, cycles, queue, pcns, duties } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const base = `/icbs/${icb.code}/assessments`;
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "ICBs", to: "/icbs" },
          { label: titleCase(icb.name) || icb.code, to: `/icbs/${icb.code}` },
        ]}
      />
      <span className="nhsuk-caption-l">
        {titleCase(icb.name)} ({icb.code})
      </span>
      <h1>Self-assessments</h1>

      <h2>Waiting for verification</h2>
      <VerificationQueue queue={queue} base={base} />

      {duties ? <DutyQueue duties={duties} /> : null}

      <h2>Assessment cycles</h2>
      <CyclesTable cycles={cycles} base={base} />
      <Pagination page={cycles.page} pageCount={cycles.pageCount} total={cycles.total} noun={cycles.total === 1 ? "cycle" : "cycles"} />

      {canVerify ? (
        <>
          <h2>Open a cycle</h2>
          <p>
            Ask practices to assess themselves against the attestation requirements by a due date. Each practice then sees its assessment on
            its own pages.
          </p>
          <OpenCycleForm pcns={pcns} actionData={actionData} />
        </>
      ) : null}
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
