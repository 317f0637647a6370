import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { DateField, RadiosField, SelectField, TextareaField, TextField } from "~/components/fields";
import { isFactorKey } from "~/modules/paper/factors";
import { FACTOR_OPTIONS, FactorVersionSchema } from "~/modules/paper/schema";
import { addFactorVersion } from "~/modules/paper/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectWithNotice } from "~/modules/auth/flash.server";

export const meta: MetaFunction = () => [{ title: "Add a factor version – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  const key = new URL(request.url).searchParams.get("key") ?? "";
  return { key: isFactorKey(key) ? key : "" };
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "user:manage");
  const parsed = parseForm(await request.formData(), FactorVersionSchema);
  if (!parsed.ok) return parsed;
  const r = await addFactorVersion(getDb(), user.id, parsed.data);
  if (!r.ok) return r;
  return redirectWithNotice(request, `/admin/emission-factors#factor-${r.version.key}`, "factor-added", { id: r.version.id });
});

export default function NewFactorVersion() {
  const { key } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(FactorVersionSchema, actionData, {
    key,
    value: "",
    source: "",
    year: "",
    is_assumption: "no",
    effective_from: "",
  });
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Emission and cost factors", to: "/admin/emission-factors" },
        ]}
      />
      <h1>Add a factor version</h1>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <p>The new value applies to periods starting on or after its date. Earlier periods keep the value they were worked out with.</p>
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <SelectField
              {...form.register("key")}
              label="Factor"
              error={errors.key}
              options={[{ value: "", label: "Choose a factor" }, ...FACTOR_OPTIONS]}
            />
            <TextField
              {...form.register("value")}
              label="Value"
              hint="In the factor's unit, shown in the list above."
              error={errors.value}
              width={10}
              inputMode="decimal"
            />
            <DateField {...form.register("effective_from")} label="Applies from" error={errors.effective_from} />
            <TextareaField
              {...form.register("source")}
              label="Source"
              hint="Where the value comes from; say if it is unconfirmed or derived."
              error={errors.source}
            />
            <TextField
              {...form.register("year")}
              label="Year of the source data (optional)"
              error={errors.year}
              width={10}
              inputMode="numeric"
            />
            <RadiosField
              {...form.register("is_assumption")}
              label="Is this an assumption rather than a sourced figure?"
              error={errors.is_assumption}
              options={[
                { value: "yes", label: "Yes" },
                { value: "no", label: "No" },
              ]}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Add the version
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
