import type { ActionFunctionArgs, HeadersFunction, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { checkResetLink, RESET_LINK_MESSAGES, resetPassword } from "~/modules/users/password.server";
import { PASSWORD_MIN, ResetPasswordSchema } from "~/modules/users/schema";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { assertSameOrigin } from "~/modules/auth/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Set a new password – GP digital estate" }];

// The token is in the address: keep it out of Referer headers and caches.
const PRIVATE_HEADERS = { "Referrer-Policy": "no-referrer", "Cache-Control": "no-store" };
export const headers: HeadersFunction = () => PRIVATE_HEADERS;

/** Open to anyone holding the link: the token is the credential (single use, 24 hours). */
export const loader = pageLoader(async ({ params }: LoaderFunctionArgs) => {
  const link = await checkResetLink(getDb(), params.token);
  return { state: link.state, email: link.email ?? null, message: link.state === "valid" ? null : RESET_LINK_MESSAGES[link.state] };
});

type ActionResult = FormFailure | { ok: false; linkMessage: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<ActionResult | Response> => {
  assertSameOrigin(request);
  const parsed = parseForm(await request.formData(), ResetPasswordSchema);
  if (!parsed.ok) return parsed;
  const result = await resetPassword(getDb(), params.token, parsed.data);
  if (result.ok) return redirect("/sign-in?reset=done", { headers: PRIVATE_HEADERS });
  if ("state" in result) return { ok: false, linkMessage: RESET_LINK_MESSAGES[result.state] };
  return result;
});

export default function ResetPassword() {
  const { state, email, message } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as ActionResult | undefined;
  const pending = usePending();
  const formFailure = actionData && "fieldErrors" in actionData ? actionData : undefined;
  const { form, onSubmit, errors, formError } = useZodForm(ResetPasswordSchema, formFailure);
  const linkMessage = actionData && "linkMessage" in actionData ? actionData.linkMessage : message;
  if (state !== "valid" || linkMessage) {
    return (
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <h1>This link cannot be used</h1>
          <p>{linkMessage}</p>
          <p>
            <Link to="/sign-in">Go to sign in</Link>
          </p>
        </div>
      </div>
    );
  }
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <ErrorSummary errors={errors} formError={formError} />
        <h1>Set a new password</h1>
        <p>
          For <strong>{email}</strong>. Setting it signs you out everywhere; then sign in with the new password.
        </p>
        <Form method="post" noValidate onSubmit={onSubmit}>
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
            Set new password
          </button>
        </Form>
      </div>
    </div>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
