import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation } from "@remix-run/react";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { MembershipFields } from "~/components/MembershipFields";
import { titleCase } from "~/components/format";
import { MembershipSchema, RemoveMembershipSchema, RESET_TTL_HOURS, SetActiveSchema } from "~/modules/users/schema";
import { addMembership, getUserPage, removeMembership, setActive } from "~/modules/users/service.server";
import { issuePasswordReset } from "~/modules/users/password.server";
import { formatDateTime } from "~/components/Compliance";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { idParam } from "~/utils/params";
import { ROLES } from "~/utils/permissions";
import { handle, handleForm, requirePermission } from "~/utils/permissions.server";
import { useZodForm } from "~/utils/use-zod-form";

const userId = (raw: string | undefined) => idParam(raw, "user");

export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "user:manage");
  return handle(() => getUserPage(getDb(), userId(params.id)));
}

type ActionResult = FormFailure | { ok: true; intent: string; resetLink?: string; resetExpiresAt?: string };

export async function action({ request, params }: ActionFunctionArgs): Promise<ActionResult> {
  const { user } = await requirePermission(request, "user:manage");
  const id = await handle(async () => userId(params.id));
  const formData = await request.formData();
  const intent = formData.get("intent");
  return handleForm(async (): Promise<ActionResult> => {
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
    if (intent === "issue-reset") {
      const { token, expiresAt } = await issuePasswordReset(getDb(), user.id, id);
      // Shown once, to this admin only; the database keeps just its hash.
      return { ok: true, intent, resetLink: `${new URL(request.url).origin}/reset-password/${token}`, resetExpiresAt: expiresAt.toISOString() };
    }
    return { ok: false, fieldErrors: {}, formError: "Unknown action" };
  });
}

export default function UserPage() {
  const { user, memberships } = useLoaderData<typeof loader>();
  const actionData = useActionData<typeof action>();
  const navigation = useNavigation();
  const { form, onSubmit, errors, formError } = useZodForm(MembershipSchema, actionData && !actionData.ok ? actionData : undefined);
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }, { label: "Users", to: "/admin/users" }]} />
      <h1>{user.name}</h1>
      <p>
        {user.email} · {user.is_active ? "Active" : "Deactivated"}
      </p>
      <h2>Roles and scope</h2>
      {memberships.length === 0 ? <p>This person has no roles yet, so they can see nothing.</p> : null}
      <table className="nhsuk-table">
        <thead className="nhsuk-table__head">
          <tr>
            <th scope="col">Role</th>
            <th scope="col">Scope</th>
            <th scope="col">
              <span className="nhsuk-u-visually-hidden">Actions</span>
            </th>
          </tr>
        </thead>
        <tbody className="nhsuk-table__body">
          {memberships.map((m) => (
            <tr key={m.id}>
              <td>{ROLES[m.role].label}</td>
              <td>
                {m.role === "admin" ? "All of England" : null}
                {m.icb_code ? `${titleCase(m.icb_name) || "ICB"} (${m.icb_code})` : null}
                {m.practice_code ? `${titleCase(m.practice_name) || "Practice"} (${m.practice_code})` : null}
              </td>
              <td>
                <Form method="post" className="app-inline-form">
                  <input type="hidden" name="intent" value="remove-membership" />
                  <input type="hidden" name="membershipId" value={m.id} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                    Remove<span className="nhsuk-u-visually-hidden"> {ROLES[m.role].label} role</span>
                  </button>
                </Form>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <h2>Add a role</h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-two-thirds">
          <ErrorSummary errors={errors} formError={formError} />
          <Form method="post" noValidate onSubmit={onSubmit}>
            <input type="hidden" name="intent" value="add-membership" />
            <MembershipFields register={form.register} errors={errors} />
            <button className="nhsuk-button" type="submit" disabled={navigation.state === "submitting"}>
              Add role
            </button>
          </Form>
        </div>
      </div>
      <h2>Password</h2>
      {actionData?.ok && actionData.resetLink ? (
        <div className="nhsuk-inset-text">
          <span className="nhsuk-u-visually-hidden">Information: </span>
          <p>
            Reset link for {user.name}, valid once until {formatDateTime(actionData.resetExpiresAt!)}. Pass it on securely (for example by NHSmail, not
            text message); it is shown only now.
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
      <h2>Access</h2>
      <Form method="post">
        <input type="hidden" name="intent" value="set-active" />
        <input type="hidden" name="version" value={user.version} />
        <input type="hidden" name="active" value={user.is_active ? "false" : "true"} />
        <button className={`nhsuk-button ${user.is_active ? "nhsuk-button--warning" : "nhsuk-button--secondary"}`} type="submit">
          {user.is_active ? "Deactivate this user" : "Reactivate this user"}
        </button>
      </Form>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
