import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { changeOwnPassword } from "~/modules/users/password.server";
import { ChangePasswordSchema, PASSWORD_MIN } from "~/modules/users/schema";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { assertSameOrigin } from "~/modules/auth/permissions.server";
import { clientAddress, readSessionId, requireUser } from "~/modules/auth/session.server";
import { useZodForm } from "~/utils/use-zod-form";
import { redirectWithFlash } from "~/modules/auth/flash.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Change your password – GP digital estate" }];

// Any signed-in person may change their own password, whatever their roles.
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requireUser(request);
  return null;
});

export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<FormFailure | Response> => {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const sessionId = (await readSessionId(request))!;
  const parsed = parseForm(await request.formData(), ChangePasswordSchema);
  if (!parsed.ok) return parsed;
  const result = await changeOwnPassword(getDb(), user, sessionId, parsed.data, { ip: clientAddress(request) });
  if (!result.ok) return result;
  const ended = result.sessionsEnded;
  const others = ended > 0 ? ` You have been signed out everywhere else (${ended} other sign-in${ended === 1 ? "" : "s"} ended).` : "";
  return redirectWithFlash(request, "/account/password", `Your password has been changed.${others}`);
});

export default function ChangePassword() {
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ChangePasswordSchema, actionData);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <h1>Change your password</h1>
          <p>Changing your password signs you out on every other browser and device.</p>
          <Form method="post" noValidate onSubmit={onSubmit}>
            <TextField
              label="Current password"
              type="password"
              autoComplete="current-password"
              error={errors.currentPassword}
              {...form.register("currentPassword")}
            />
            <TextField
              label="New password"
              hint={`At least ${PASSWORD_MIN} characters. Common passwords are refused: three or four random words work well.`}
              type="password"
              autoComplete="new-password"
              error={errors.newPassword}
              {...form.register("newPassword")}
            />
            <TextField
              label="Confirm new password"
              type="password"
              autoComplete="new-password"
              error={errors.confirmPassword}
              {...form.register("confirmPassword")}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Change password
            </button>
          </Form>
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
