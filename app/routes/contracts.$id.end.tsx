import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField } from "~/components/fields";
import { titleCase } from "~/utils/format";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ContractEndSchema } from "~/modules/contracts/schema";
import { endContract, endDateProblem, getContractToManage, holderHref, holderOf } from "~/modules/contracts/service.server";
import { getDb } from "~/utils/db.server";
import { formatDate } from "~/utils/format";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { useZodForm } from "~/utils/use-zod-form";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("End a contract") }];

async function contractFor(request: Request, rawId: string | undefined) {
  const { user } = await requirePermission(request, "contract:manage");
  const contract = await getContractToManage(getDb(), user.memberships, Number(rawId));
  return { user, contract, holder: holderOf(contract) };
}

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { contract, holder } = await contractFor(request, params.id);
  return { contract, holder: { ...holder, href: holderHref(holder) } };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, contract, holder } = await contractFor(request, params.id);
  const parsed = parseForm(await request.formData(), ContractEndSchema);
  if (!parsed.ok) return parsed;
  const problem = endDateProblem(contract, parsed.data.ended_on);
  if (problem) return { ok: false as const, fieldErrors: { ended_on: problem } };
  await endContract(getDb(), user.id, contract.id, parsed.data);
  return redirectWithFlash(request, holderHref(holder), "Contract ended.");
});

export default function EndContractPage() {
  const { contract, holder } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ContractEndSchema, actionData, {
    ended_on: "",
    version: String(contract.version),
  });
  return (
    <>
      <Breadcrumbs items={[{ label: `${titleCase(holder.name)}: contracts`, to: holder.href }]} />
      <span className="nhsuk-caption-l">
        {titleCase(holder.name)} ({holder.code})
      </span>
      <h1>
        End the {contract.supplier} contract {contract.reference}
      </h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>
            It runs from {formatDate(contract.starts_on)} to {formatDate(contract.ends_on)}. Record the last day it was in force if it ended
            early, or its end date if it has simply run out. It stays in the register as an ended contract.
          </p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <DateField {...form.register("ended_on")} label="Last day of the contract" error={errors.ended_on} />
            <button className="nhsuk-button nhsuk-button--warning" type="submit" disabled={pending}>
              End contract
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
