import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { MembershipFields } from "~/components/MembershipFields";
import { oidcSettings } from "~/modules/auth/oidc-settings.server";
import { CreateUserSchema, PASSWORD_MIN } from "~/modules/users/schema";
import { createUser } from "~/modules/users/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/modules/auth/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Add a user") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return { ssoName: oidcSettings()?.name ?? null };
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "user:manage");
  const parsed = parseForm(await request.formData(), CreateUserSchema);
  if (!parsed.ok) return parsed;
  const result = await createUser(getDb(), user.id, parsed.data);
  // Keep what was typed (never the password) when the server refuses a field.
  const { password: _password, ...typed } = parsed.data;
  if (!result.ok) return { ...result, values: { ...typed, icbCode: typed.icbCode ?? "", practiceCode: typed.practiceCode ?? "" } };
  return redirect(`/admin/users/${result.userId}`);
});

export default function NewUser() {
  const { ssoName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(CreateUserSchema, actionData);
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Users", to: "/admin/users" },
        ]}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <h1>Add a user</h1>
          {ssoName ? (
            <p>
              To invite someone to sign in with {ssoName}, enter the email address of their {ssoName} account and leave the password blank.
              Their first sign-in links the account; they get only the role you choose here.
            </p>
          ) : null}
          <Form method="post" noValidate onSubmit={onSubmit}>
            <TextField label="Full name" autoComplete="off" error={errors.name} {...form.register("name")} />
            <TextField
              label="Email address"
              type="email"
              autoComplete="off"
              spellCheck={false}
              error={errors.email}
              {...form.register("email")}
            />
            <TextField
              label={ssoName ? "Temporary password (optional)" : "Temporary password"}
              hint={
                ssoName
                  ? `Only for an emergency administrator account: at least ${PASSWORD_MIN} characters; common passwords are refused. Leave blank to invite the person to sign in with ${ssoName} only.`
                  : `At least ${PASSWORD_MIN} characters; common passwords are refused. Give it to the person securely.`
              }
              type="password"
              autoComplete="new-password"
              error={errors.password}
              {...form.register("password")}
            />
            <MembershipFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Add user
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
