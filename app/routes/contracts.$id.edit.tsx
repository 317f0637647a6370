import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { ContractFields, contractDefaults } from "~/components/Contracts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { History } from "~/components/History";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ContractEditSchema } from "~/modules/contracts/schema";
import { contractHistory, getContractToManage, holderHref, holderOf, updateContract } from "~/modules/contracts/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { useZodForm } from "~/utils/use-zod-form";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Change a contract") }];

async function contractFor(request: Request, rawId: string | undefined) {
  const { user } = await requirePermission(request, "contract:manage");
  const contract = await getContractToManage(getDb(), user.memberships, Number(rawId));
  return { user, contract, holder: holderOf(contract) };
}

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { contract, holder } = await contractFor(request, params.id);
  return { contract, holder: { ...holder, href: holderHref(holder) }, history: await contractHistory(getDb(), contract.id) };
});

export const action = formAction(async ({ request, params }: ActionFunctionArgs) => {
  const { user, contract, holder } = await contractFor(request, params.id);
  const parsed = parseForm(await request.formData(), ContractEditSchema);
  if (!parsed.ok) return parsed;
  await updateContract(getDb(), user.id, contract.id, parsed.data);
  return redirectWithFlash(request, holderHref(holder), "Contract changed.");
});

export default function EditContractPage() {
  const { contract, holder, history } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ContractEditSchema, actionData, {
    ...contractDefaults(contract),
    version: String(contract.version),
  });
  return (
    <>
      <Breadcrumbs items={[{ label: `${titleCase(holder.name)}: contracts`, to: holder.href }]} />
      <span className="nhsuk-caption-l">
        {titleCase(holder.name)} ({holder.code})
      </span>
      <h1>Change a contract</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" {...form.register("version")} />
            <ContractFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Save changes
            </button>
          </Form>
        </div>
      </div>
      <History events={history} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
