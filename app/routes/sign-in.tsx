import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { json, redirect } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { usePending } from "~/components/usePending";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { SuccessBanner } from "~/components/SuccessBanner";
import { SignInSchema } from "~/modules/auth/schema";
import { oidcSettings } from "~/modules/auth/oidc-settings.server";
import { PASSWORD_SIGN_IN_OFF, signIn } from "~/modules/auth/service.server";
import { getDb } from "~/utils/db.server";
import { getEnv } from "~/utils/env.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { assertSameOrigin } from "~/modules/auth/permissions.server";
import { safeRedirect } from "~/utils/redirect";
import { commitKnownDevice, readKnownDevice } from "~/modules/auth/known-device.server";
import { clientAddress, commitSessionId, getOptionalUser } from "~/modules/auth/session.server";
import { useZodForm } from "~/utils/use-zod-form";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Sign in – GP digital estate" }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  if (await getOptionalUser(request)) throw redirect("/");
  const sso = oidcSettings();
  return { ssoName: sso ? sso.name : null };
});

export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<FormFailure | Response> => {
  assertSameOrigin(request);
  const parsed = parseForm(await request.formData(), SignInSchema);
  if (!parsed.ok) return parsed;
  const device = await readKnownDevice(request);
  const result = await signIn(getDb(), {
    email: parsed.data.email,
    password: parsed.data.password,
    ip: clientAddress(request),
    ttlHours: getEnv().SESSION_TTL_HOURS,
    device,
  });
  if (!result.ok) {
    const sso = result.passwordOff ? oidcSettings() : null;
    const message = sso ? PASSWORD_SIGN_IN_OFF.replace("the single sign-on button", `"Sign in with ${sso.name}"`) : result.message;
    const failure: FormFailure = { ok: false, fieldErrors: {}, formError: message, values: { email: parsed.data.email } };
    if (result.retryAfterSeconds) return json(failure, { status: 429, headers: { "Retry-After": String(result.retryAfterSeconds) } });
    return failure;
  }
  const headers = new Headers();
  headers.append("Set-Cookie", await commitSessionId(result.sessionId));
  headers.append("Set-Cookie", await commitKnownDevice(device, result.userId));
  return redirect(safeRedirect(parsed.data.redirectTo), { headers });
});

export default function SignIn() {
  const { ssoName } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>() as FormFailure | undefined;
  const [params] = useSearchParams();
  const pending = usePending();
  const { form, onSubmit, errors, formError } = useZodForm(SignInSchema, actionData, {
    email: actionData && !actionData.ok ? (actionData.values?.email ?? "") : "",
  });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        {params.get("reset") === "done" && !actionData ? (
          <SuccessBanner>Your password has been set. Sign in with your new password.</SuccessBanner>
        ) : null}
        <ErrorSummary errors={errors} formError={formError} />
        <h1>Sign in</h1>
        {ssoName ? (
          <>
            <p>Use your {ssoName} account: your administrator will have invited you with its email address.</p>
            {/* A link, not a form: the provider's page is on another site, and CSP form-action 'self' stops a form redirecting there. */}
            <a
              className="nhsuk-button"
              href={`/auth/oidc?redirectTo=${encodeURIComponent(params.get("redirectTo") ?? "/")}`}
              draggable="false"
            >
              Sign in with {ssoName}
            </a>
            <h2 className="nhsuk-heading-m">Sign in with a password</h2>
            <p>Only for accounts your administrator gave a password, such as emergency administrator accounts.</p>
          </>
        ) : (
          <p>Sign in with the email address and password your administrator gave you.</p>
        )}
        <Form method="post" noValidate onSubmit={onSubmit}>
          <input type="hidden" name="redirectTo" value={params.get("redirectTo") ?? "/"} />
          <TextField
            label="Email address"
            type="email"
            autoComplete="username"
            spellCheck={false}
            error={errors.email}
            {...form.register("email")}
          />
          <TextField
            label="Password"
            type="password"
            autoComplete="current-password"
            error={errors.password}
            {...form.register("password")}
          />
          <button className="nhsuk-button" type="submit" disabled={pending}>
            Sign in
          </button>
        </Form>
        <p>Forgotten your password? Ask your administrator for a reset link.</p>
      </div>
    </div>
  );
}
