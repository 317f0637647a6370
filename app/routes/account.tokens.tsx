import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { usePending } from "~/components/usePending";
import { NewTokenPanel, TokenTable } from "~/components/ApiTokens";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { ErrorSummary } from "~/components/ErrorSummary";
import { TextField } from "~/components/fields";
import { SuccessBanner } from "~/components/SuccessBanner";
import { createToken, listMyTokens, revokeToken, tokenState } from "~/modules/api/token.server";
import { NewTokenSchema, RevokeSchema, TOKEN_DEFAULT_DAYS, TOKEN_MAX_DAYS } from "~/modules/api/token-schema";
import { getDb } from "~/utils/db.server";
import { parseForm, type FormFailure } from "~/utils/forms";
import { assertSameOrigin } from "~/modules/auth/permissions.server";
import { requireUser } from "~/modules/auth/session.server";
import { formAction, pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: "API tokens – GP digital estate" }];

/**
 * A person's own API tokens. Anyone signed in may make one: a token can do exactly what its
 * owner can, no more, and stops working when their roles change or their account is switched off.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const user = await requireUser(request);
  const rows = await listMyTokens(getDb(), user.id);
  const now = new Date();
  return {
    hasRoles: user.memberships.length > 0,
    tokens: rows.map((t) => ({
      id: t.id,
      name: t.name,
      hint: t.hint,
      state: tokenState(t, now),
      created_at: t.created_at.toISOString(),
      expires_at: t.expires_at.toISOString(),
      last_used_at: t.last_used_at?.toISOString() ?? null,
      rate_limit_per_minute: t.rate_limit_per_minute,
    })),
  };
});

type ActionResult = FormFailure | { ok: true; created: { token: string; name: string } } | { ok: true; revoked: true };

export const action = formAction(async ({ request }: ActionFunctionArgs): Promise<ActionResult> => {
  assertSameOrigin(request);
  const user = await requireUser(request);
  const form = await request.formData();
  if (form.get("intent") === "revoke") {
    const parsed = parseForm(form, RevokeSchema);
    if (!parsed.ok) return parsed;
    await revokeToken(getDb(), { id: user.id, isAdmin: false }, parsed.data.tokenId);
    return { ok: true, revoked: true };
  }
  const parsed = parseForm(form, NewTokenSchema);
  if (!parsed.ok) return parsed;
  const t = await createToken(getDb(), { actorId: user.id, ownerId: user.id, input: parsed.data });
  return { ok: true, created: { token: t.token, name: t.name } };
});

export default function AccountTokens() {
  const { tokens, hasRoles } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const pending = usePending();
  const failure = result && !result.ok ? result : undefined;
  const errors = failure?.fieldErrors ?? {};
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-full">
          {result?.ok && "revoked" in result ? (
            <SuccessBanner>The token has been revoked. Scripts using it will now be refused.</SuccessBanner>
          ) : null}
          <ErrorSummary errors={errors} formError={failure?.formError} />
          <h1>API tokens</h1>
          <p>
            A token lets a script or tool (an inventory sync, Power BI) use the <Link to="/api-docs">estate API</Link> as you: it can read
            and change exactly what you can. Give each tool its own token, so you can revoke one without stopping the others.
          </p>
          {!hasRoles ? <p className="nhsuk-body-s">You have no roles yet, so a token would not be allowed to read anything.</p> : null}
          {result?.ok && "created" in result ? <NewTokenPanel token={result.created.token} name={result.created.name} /> : null}
          <h2>Make a new token</h2>
          <Form method="post" noValidate>
            <input type="hidden" name="intent" value="create" />
            <TextField
              label="Name"
              hint='What uses it, like "Inventory sync" or "Power BI".'
              error={errors.name}
              name="name"
              defaultValue={failure?.values?.name}
              width={30}
            />
            <TextField
              label="Days until it expires"
              hint={`From 1 to ${TOKEN_MAX_DAYS}. Leave blank for ${TOKEN_DEFAULT_DAYS}.`}
              error={errors.days}
              name="days"
              inputMode="numeric"
              defaultValue={failure?.values?.days}
              width={10}
            />
            <button className="nhsuk-button" type="submit" disabled={pending}>
              Make token
            </button>
          </Form>
          <h2>Your tokens</h2>
          <TokenTable rows={tokens} caption="Your API tokens, newest first" />
        </div>
      </div>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
