import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { ssoRefusal, type SsoRefusalKind } from "~/modules/auth/sso-messages";

/** Why single sign-on did not sign this person in, and where to go next. */
export function SsoRefusalPage() {
  const data = useLoaderData() as { kind: SsoRefusalKind; name: string; email: string | null; waitText: string | null };
  const { title, body } = ssoRefusal(data.kind, { name: data.name, email: data.email, waitText: data.waitText ?? undefined });
  return (
    <div className="nhsuk-grid-row">
      <div className="nhsuk-grid-column-two-thirds">
        <h1>{title}</h1>
        <p data-refusal={data.kind}>{body}</p>
        <p>
          <a className="nhsuk-button" href="/auth/oidc" draggable="false">
            Sign in with {data.name} again
          </a>
        </p>
        <p>
          <Link to="/sign-in">Go to the sign-in page</Link>
        </p>
      </div>
    </div>
  );
}
