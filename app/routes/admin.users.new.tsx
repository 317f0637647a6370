import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { MembershipFields } from "~/components/MembershipFields";
import { CreateUserSchema, PASSWORD_MIN } from "~/modules/users/schema";
import { createUser } from "~/modules/users/service.server";
import { getDb } from "~/utils/db.server";
import { parseForm } from "~/utils/forms";
import { requirePermission } from "~/utils/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";

export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "user:manage");
  return null;
}

export async function action({ request }: ActionFunctionArgs) {
  const { user } = await requirePermission(request, "user:manage");
  const parsed = parseForm(await request.formData(), CreateUserSchema);
  if (!parsed.ok) return parsed;
  const result = await createUser(getDb(), user.id, parsed.data);
  // Keep what was typed (never the password) when the server refuses a field.
  const { password: _password, ...typed } = parsed.data;
  if (!result.ok) return { ...result, values: { ...typed, icbCode: typed.icbCode ?? "", practiceCode: typed.practiceCode ?? "" } };
  return redirect(`/admin/users/${result.userId}`);
}

export default function NewUser() {
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(CreateUserSchema, actionData);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }, { label: "Users", to: "/admin/users" }]} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <h1>Add a user</h1>
          <Form method="post" noValidate onSubmit={onSubmit}>
            <TextField label="Full name" autoComplete="off" error={errors.name} {...form.register("name")} />
            <TextField label="Email address" type="email" autoComplete="off" spellCheck={false} error={errors.email} {...form.register("email")} />
            <TextField
              label="Temporary password"
              hint={`At least ${PASSWORD_MIN} characters; common passwords are refused. Give it to the person securely.`}
              type="password"
              autoComplete="new-password"
              error={errors.password}
              {...form.register("password")}
            />
            <MembershipFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
              Add user
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
