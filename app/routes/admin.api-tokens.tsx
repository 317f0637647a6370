import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { NewTokenPanel, TokenTable } from "~/components/ApiTokens";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { SelectField, TextField } from "~/components/fields";
import { Pagination } from "~/components/Pagination";
import { SuccessBanner } from "~/components/SuccessBanner";
import { createServiceToken, listServiceTokens, revokeToken, tokenState } from "~/modules/api/token.server";
import { RATE_DEFAULT, RevokeSchema, ServiceTokenSchema, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from "~/modules/api/token-schema";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { pageFromUrl, PAGE_SIZE, toPage } from "~/utils/pagination";
import { ROLES } from "~/utils/permissions";
import { requirePermission } from "~/modules/auth/permissions.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "Service account tokens – GP digital estate" }];

/** Admins make tokens for service accounts (a tool, not a person) with the roles chosen here. */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  const page = pageFromUrl(new URL(request.url));
  const { rows, total } = await listServiceTokens(getDb(), PAGE_SIZE, (page - 1) * PAGE_SIZE);
  const now = new Date();
  return {
    page: toPage(
      rows.map((t) => ({
        id: t.id,
        name: t.name,
        hint: t.hint,
        state: tokenState(t, now),
        created_at: t.created_at.toISOString(),
        expires_at: t.expires_at.toISOString(),
        last_used_at: t.last_used_at?.toISOString() ?? null,
        rate_limit_per_minute: t.rate_limit_per_minute,
        owner: `${t.user_name} (${t.user_email})`,
      })),
      total,
      page,
    ),
  };
});

type ActionResult = FormFailure | { ok: true; created: { token: string; name: string } } | { ok: true; revoked: true };

export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  const { user } = await requirePermission(request, "user:manage");
  const form = await request.formData();
  if (form.get("intent") === "revoke") {
    const parsed = parseForm(form, RevokeSchema);
    if (!parsed.ok) return parsed;
    await revokeToken(getDb(), { id: user.id, isAdmin: true }, parsed.data.tokenId);
    return { ok: true, revoked: true };
  }
  const parsed = parseForm(form, ServiceTokenSchema);
  if (!parsed.ok) return parsed;
  const result = await createServiceToken(getDb(), user, parsed.data);
  if (!result.ok) return { ...result, values: Object.fromEntries([...form.entries()].map(([k, v]) => [k, String(v)])) };
  return { ok: true, created: { token: result.token, name: parsed.data.name } };
});

const roleOptions = [{ value: "", label: "Select a role" }, ...Object.entries(ROLES).map(([value, r]) => ({ value, label: r.label }))];

export default function ServiceTokens() {
  const { page } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = usePending();
  const failure = result && !result.ok ? result : undefined;
  const errors = failure?.fieldErrors ?? {};
  const v = failure?.values ?? {};
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Users", to: "/admin/users" },
        ]}
      />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-full">
          {result?.ok && "revoked" in result ? <SuccessBanner>The token has been revoked.</SuccessBanner> : null}
          <ErrorSummary errors={errors} formError={failure?.formError} />
          <h1>Service account tokens</h1>
          <p>
            A service account is a tool, not a person: a delivery partner's service desk or an ICB's reporting. It cannot sign in; it only
            holds tokens for the <Link to="/api-docs">estate API</Link>, with the role you choose here. People make their own tokens on
            their <Link to="/account/tokens">account page</Link>.
          </p>
          {result?.ok && "created" in result ? <NewTokenPanel token={result.created.token} name={result.created.name} /> : null}
          <h2>Make a token for a service account</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="create" />
            <TextField
              label="Service account name"
              hint='Like "Acme IT service desk".'
              error={errors.accountName}
              name="accountName"
              defaultValue={v.accountName}
              width={30}
            />
            <TextField
              label="Service account email"
              hint="A mailbox the supplier reads. If a service account already has it, the token is added to that account."
              error={errors.accountEmail}
              name="accountEmail"
              type="email"
              defaultValue={v.accountEmail}
              width={30}
            />
            <SelectField label="Role" options={roleOptions} error={errors.role} name="role" defaultValue={v.role} />
            <TextField
              label="ICB code"
              hint="For an ICB digital lead, or a delivery partner covering a whole ICB. For example, QMF."
              width={10}
              error={errors.icbCode}
              name="icbCode"
              defaultValue={v.icbCode}
            />
            <TextField
              label="Practice ODS code"
              hint="For a practice manager, or a delivery partner covering one practice. For example, F84003."
              width={10}
              error={errors.practiceCode}
              name="practiceCode"
              defaultValue={v.practiceCode}
            />
            <TextField
              label="Token name"
              hint='What uses it, like "Nightly inventory sync".'
              error={errors.name}
              name="name"
              defaultValue={v.name}
              width={30}
            />
            <TextField
              label="Days until it expires"
              hint={`From 1 to ${TOKEN_MAX_DAYS}. Leave blank for ${TOKEN_DEFAULT_DAYS}.`}
              error={errors.days}
              name="days"
              inputMode="numeric"
              defaultValue={v.days}
              width={10}
            />
            <TextField
              label="Requests a minute"
              hint={`Leave blank for ${RATE_DEFAULT}.`}
              error={errors.ratePerMinute}
              name="ratePerMinute"
              inputMode="numeric"
              defaultValue={v.ratePerMinute}
              width={10}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Make token
            </button>
          </Form>
          <h2>Service account tokens</h2>
          <TokenTable rows={page.rows} caption="Tokens held by service accounts, newest first" />
          <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="tokens" />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
