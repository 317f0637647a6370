import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { SuccessBanner } from "~/components/SuccessBanner";
import { changeOwnPassword } from "~/modules/users/password.server";
import { ChangePasswordSchema, PASSWORD_MIN } from "~/modules/users/schema";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { handle, assertSameOrigin } from "~/modules/auth/permissions.server";
import { clientAddress, readSessionId, requireUser } from "~/modules/auth/session.server";
import { useZodForm } from "~/utils/use-zod-form";

export const meta: MetaFunction = () => [{ title: "Change your password – GP digital estate" }];

// Any signed-in person may change their own password, whatever their roles.
export async function loader({ request }: LoaderFunctionArgs) {
  await requireUser(request);
  const done = new URL(request.url).searchParams.get("done");
  return { done: done === null ? null : Math.max(0, Number(done) || 0) };
}

export async function action({ request }: ActionFunctionArgs): Promise<FormFailure | Response> {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const sessionId = (await readSessionId(request))!;
  const parsed = parseForm(await request.formData(), ChangePasswordSchema);
  if (!parsed.ok) return parsed;
  const result = await handle(() => changeOwnPassword(getDb(), user, sessionId, parsed.data, { ip: clientAddress(request) }));
  if (!result.ok) return result;
  return redirect(`/account/password?done=${result.sessionsEnded}`);
}

export default function ChangePassword() {
  const { done } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(ChangePasswordSchema, actionData);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          {done !== null ? (
            <SuccessBanner>
              Your password has been changed.
              {done > 0 ? ` You have been signed out everywhere else (${done} other sign-in${done === 1 ? "" : "s"} ended).` : ""}
            </SuccessBanner>
          ) : null}
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
