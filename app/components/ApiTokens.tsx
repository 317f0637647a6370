import { Form } from "@remix-run/react";
import { formatDate } from "~/utils/format";

export interface TokenRow {
  id: number;
  name: string;
  hint: string;
  state: "active" | "revoked" | "expired";
  created_at: string;
  expires_at: string;
  last_used_at: string | null;
  rate_limit_per_minute: number;
  owner?: string;
}

const STATE_TAG = { active: "nhsuk-tag--green", revoked: "nhsuk-tag--grey", expired: "nhsuk-tag--grey" } as const;
const STATE_LABEL = { active: "Active", revoked: "Revoked", expired: "Expired" } as const;

/** Shows a new token once, with what to do with it. */
export function NewTokenPanel({ token, name }: { token: string; name: string }) {
  return (
    <div className="nhsuk-inset-text">
      <span className="nhsuk-u-visually-hidden">Information: </span>
      <h2 className="nhsuk-heading-m">Your new token "{name}"</h2>
      <p>Copy it now and keep it somewhere safe, like a password manager. We only store a scrambled copy, so we cannot show it again.</p>
      <p>
        <code className="app-token" id="new-token">
          {token}
        </code>
      </p>
      <p className="nhsuk-body-s">Send it in each request: Authorization: Bearer {token.slice(0, 11)}…</p>
    </div>
  );
}

/** Tokens with their state, last use and a revoke button for active ones. */
export function TokenTable({ rows, caption }: { rows: TokenRow[]; caption: string }) {
  if (rows.length === 0) return <p>There are no tokens yet.</p>;
  const showOwner = rows.some((r) => r.owner);
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption">{caption}</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">Name</th>
          {showOwner ? <th scope="col">Service account</th> : null}
          <th scope="col">Starts with</th>
          <th scope="col">State</th>
          <th scope="col">Expires</th>
          <th scope="col">Last used</th>
          <th scope="col">Limit</th>
          <th scope="col">
            <span className="nhsuk-u-visually-hidden">Action</span>
          </th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {rows.map((t) => (
          <tr key={t.id}>
            <td>{t.name}</td>
            {showOwner ? <td>{t.owner}</td> : null}
            <td>
              <code>{t.hint}…</code>
            </td>
            <td>
              <strong className={`nhsuk-tag ${STATE_TAG[t.state]}`}>{STATE_LABEL[t.state]}</strong>
            </td>
            <td>{formatDate(t.expires_at.slice(0, 10))}</td>
            <td>{t.last_used_at ? formatDate(t.last_used_at.slice(0, 10)) : <span className="app-muted">Never</span>}</td>
            <td>{t.rate_limit_per_minute} a minute</td>
            <td>
              {t.state === "active" ? (
                <Form method="post">
                  <input type="hidden" name="intent" value="revoke" />
                  <input type="hidden" name="tokenId" value={t.id} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                    Revoke<span className="nhsuk-u-visually-hidden"> {t.name}</span>
                  </button>
                </Form>
              ) : null}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
