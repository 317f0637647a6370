import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useSearchParams } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SuccessBanner } from "~/components/SuccessBanner";
import { MembershipFields } from "~/components/MembershipFields";
import { MembershipsTable, UserAccess } from "~/components/users/UserAdmin";
import { usePending } from "~/components/usePending";
import {
  MembershipSchema,
  RemoveMembershipSchema,
  RESET_TTL_HOURS,
  SetActiveSchema,
  SetPasswordSignInSchema,
} from "~/modules/users/schema";
import { addMembership, getUserPage, removeMembership, setActive, setPasswordSignIn } from "~/modules/users/service.server";
import { issuePasswordReset } from "~/modules/users/password.server";
import { formatDateTime } from "~/components/Compliance";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { idParam } from "~/utils/params";
import { requirePermission } from "~/modules/auth/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";
import { pageTitle } from "~/utils/page-title";
import { formAction, orFailure, pageLoader } from "~/utils/route.server";

const userId = (raw: string | undefined) => idParam(raw, "user");

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle(data?.user.name ?? "User", "Users") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return getUserPage(getDb(), userId(params.id));
});

type ActionResult = (FormFailure & { intent?: string }) | { ok: true; intent: string; resetLink?: string; resetExpiresAt?: string };

export const action = formAction(async ({ request, params }: ActionFunctionArgs): Promise<ActionResult> => {
  const { user } = await requirePermission(request, "user:manage");
  const id = await userId(params.id);
  const formData = await request.formData();
  const intent = formData.get("intent");
  if (intent === "add-membership") {
    const parsed = parseForm(formData, MembershipSchema);
    if (!parsed.ok) return parsed;
    const r = await addMembership(getDb(), user.id, id, parsed.data);
    return r.ok ? { ok: true, intent } : r;
  }
  if (intent === "remove-membership") {
    const parsed = parseForm(formData, RemoveMembershipSchema);
    if (!parsed.ok) return parsed;
    await removeMembership(getDb(), user.id, id, parsed.data.membershipId);
    return { ok: true, intent };
  }
  if (intent === "set-active") {
    const parsed = parseForm(formData, SetActiveSchema);
    if (!parsed.ok) return parsed;
    await setActive(getDb(), user.id, id, parsed.data.active, parsed.data.version);
    return { ok: true, intent };
  }
  if (intent === "set-password-sign-in") {
    const parsed = parseForm(formData, SetPasswordSignInSchema);
    if (!parsed.ok) return parsed;
    // A refusal here is shown beside the password switch, not on the role form.
    const failure = await orFailure({ intent }, async () => {
      await setPasswordSignIn(getDb(), user.id, id, parsed.data.enabled, parsed.data.version);
      return null;
    });
    return failure ?? { ok: true, intent };
  }
  if (intent === "issue-reset") {
    const { token, expiresAt } = await issuePasswordReset(getDb(), user.id, id);
    // Shown once, to this admin only; the database keeps just its hash.
    return {
      ok: true,
      intent,
      resetLink: `${new URL(request.url).origin}/reset-password/${token}`,
      resetExpiresAt: expiresAt.toISOString(),
    };
  }
  return { ok: false, fieldErrors: {}, formError: "Unknown action" };
});

/** What each of the page's saves did, said back once it is done. */
const SAVED: Record<string, (u: { name: string; is_active: boolean; password_sign_in?: boolean }) => string> = {
  "add-membership": () => "Role added.",
  "remove-membership": () => "Role removed.",
  "set-active": (u) =>
    u.is_active ? `${u.name} is reactivated and can sign in again.` : `${u.name} is deactivated and can no longer sign in.`,
  "set-password-sign-in": () => "Password sign-in setting saved.",
};

export default function UserPage() {
  const { user, memberships, ssoLinks } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const pending = usePending();
  const [params] = useSearchParams();
  const confirmingDeactivation = params.get("confirm") === "deactivate";
  const passwordError = actionData && !actionData.ok && actionData.intent === "set-password-sign-in" ? actionData.formError : null;
  const { form, onSubmit, errors, formError } = useZodForm(
    MembershipSchema,
    actionData && !actionData.ok && !passwordError ? actionData : undefined,
  );
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Users", to: "/admin/users" },
        ]}
      />
      {actionData?.ok && SAVED[actionData.intent] ? <SuccessBanner>{SAVED[actionData.intent](user)}</SuccessBanner> : null}
      <h1>{user.name}</h1>
      <p>
        {user.email} · {user.is_active ? "Active" : "Deactivated"}
      </p>
      <h2>Roles and scope</h2>
      {memberships.length === 0 ? <p>This person has no roles yet, so they can see nothing.</p> : null}
      <MembershipsTable memberships={memberships} />
      <h2>Add a role</h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" name="intent" value="add-membership" />
            <MembershipFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Add role
            </button>
          </Form>
        </div>
      </div>
      <h2>Single sign-on</h2>
      {ssoLinks.length === 0 ? (
        <p>
          Not linked yet. The first time {user.name} signs in with single sign-on using {user.email} (confirmed by the provider), it is
          linked.
        </p>
      ) : (
        <ul>
          {ssoLinks.map((l) => (
            <li key={l.id}>
              Linked to {l.email} at {l.issuer} on {formatDateTime(String(l.linked_at))}
              {l.last_sign_in_at ? `; last signed in ${formatDateTime(String(l.last_sign_in_at))}` : ""}
            </li>
          ))}
        </ul>
      )}
      <h2>Password</h2>
      <p>
        Password sign-in is <strong>{user.password_sign_in ? "on" : "off"}</strong>
        {user.has_password ? "." : " and no password has been set."}{" "}
        {user.password_sign_in
          ? "Switch it off for anyone who signs in with single sign-on; keep it only for emergency administrator accounts."
          : "They can sign in only with single sign-on."}
      </p>
      {passwordError ? (
        <div className="nhsuk-error-summary" aria-labelledby="password-error-title" role="alert" tabIndex={-1}>
          <h2 className="nhsuk-error-summary__title" id="password-error-title">
            There is a problem
          </h2>
          <div className="nhsuk-error-summary__body">
            <p>{passwordError}</p>
          </div>
        </div>
      ) : null}
      <Form method="post">
        <input type="hidden" name="intent" value="set-password-sign-in" />
        <input type="hidden" name="version" value={user.version} />
        <input type="hidden" name="enabled" value={user.password_sign_in ? "false" : "true"} />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          {user.password_sign_in ? "Switch off password sign-in" : "Switch on password sign-in"}
        </button>
      </Form>
      {actionData?.ok && actionData.resetLink ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Reset link for {user.name}, valid once until {formatDateTime(actionData.resetExpiresAt!)}. Pass it on securely (for example by
            NHSmail, not text message); it is shown only now.
          </p>
          <p>
            <code className="app-reset-link">{actionData.resetLink}</code>
          </p>
        </div>
      ) : (
        <p>
          If {user.name} has forgotten their password, issue a reset link and pass it on. It works once, for {RESET_TTL_HOURS} hours, and
          issuing another cancels it.
        </p>
      )}
      <Form method="post">
        <input type="hidden" name="intent" value="issue-reset" />
        <button className="nhsuk-button nhsuk-button--secondary" type="submit">
          Issue a password reset link
        </button>
      </Form>
      <UserAccess user={user} confirmingDeactivation={confirmingDeactivation} />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
