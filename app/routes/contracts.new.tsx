import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { ContractFields, contractDefaults } from "~/components/Contracts";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { titleCase } from "~/utils/format";
import { requirePermission } from "~/modules/auth/permissions.server";
import { ContractSchema } from "~/modules/contracts/schema";
import { createContract, holderHref, resolveHolderToManage } from "~/modules/contracts/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { pageTitle } from "~/utils/page-title";
import { useZodForm } from "~/utils/use-zod-form";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Add a contract") }];

/** `?practice=ODS` or `?icb=CODE`: whose contract. The holder is checked again on submit (never trusted from the page). */
async function holderFor(request: Request) {
  const { user } = await requirePermission(request, "contract:manage");
  const url = new URL(request.url);
  const holder = await resolveHolderToManage(getDb(), user.memberships, {
    practice: url.searchParams.get("practice"),
    icb: url.searchParams.get("icb"),
  });
  return { user, holder };
}

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { holder } = await holderFor(request);
  return { holder: { ...holder, href: holderHref(holder) } };
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user, holder } = await holderFor(request);
  const parsed = parseForm(await request.formData(), ContractSchema);
  if (!parsed.ok) return parsed;
  await createContract(getDb(), user.id, holder, parsed.data);
  return redirectWithFlash(request, holderHref(holder), "Contract added.");
});

export default function NewContractPage() {
  const { holder } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ContractSchema, actionData, contractDefaults());
  return (
    <>
      <Breadcrumbs items={[{ label: `${titleCase(holder.name)}: contracts`, to: holder.href }]} />
      <span className="nhsuk-caption-l">
        {titleCase(holder.name)} ({holder.code})
      </span>
      <h1>Add a contract</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <ContractFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Add contract
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
