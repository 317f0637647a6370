import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { titleCase } from "~/utils/format";
import type { getUserPage } from "~/modules/users/service.server";
import { ROLES } from "~/utils/permissions";

type Page = Awaited<ReturnType<typeof getUserPage>>;

/** A person's roles, each with its scope and a button to remove it. */
export function MembershipsTable({ memberships }: { memberships: Page["memberships"] }) {
  return (
    <DataTable
      caption="Roles and scope"
      captionHidden
      rows={memberships}
      rowKey={(m) => m.id}
      columns={[
        { header: "Role", cell: (m) => ROLES[m.role].label },
        {
          header: "Scope",
          cell: (m) => (
            <>
              {m.role === "admin" ? "All of England" : null}
              {m.icb_code ? `${titleCase(m.icb_name) || "ICB"} (${m.icb_code})` : null}
              {m.practice_code ? `${titleCase(m.practice_name) || "Practice"} (${m.practice_code})` : null}
            </>
          ),
        },
        {
          header: <span className="nhsuk-u-visually-hidden">Actions</span>,
          cell: (m) => (
            <Form method="post" className="app-inline-form">
              <input type="hidden" name="intent" value="remove-membership" />
              <input type="hidden" name="membershipId" value={m.id} />
              <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                Remove<span className="nhsuk-u-visually-hidden"> {ROLES[m.role].label} role</span>
              </button>
            </Form>
          ),
        },
      ]}
    />
  );
}

/** Deactivating (asked for, then confirmed: it signs the person out everywhere) or reactivating a user. */
export function UserAccess({
  user,
  confirmingDeactivation,
}: {
  user: Pick<Page["user"], "id" | "name" | "version" | "is_active">;
  confirmingDeactivation: boolean;
}) {
  return (
    <>
      <h2>Access</h2>
      {user.is_active && !confirmingDeactivation ? (
        // Deactivation signs the person out everywhere: it is asked for first, then confirmed.
        <Link className="nhsuk-button nhsuk-button--warning" to="?confirm=deactivate">
          Deactivate this user
        </Link>
      ) : (
        <>
          {user.is_active ? (
            <div className="nhsuk-warning-callout">
              <h3 className="nhsuk-warning-callout__label">
                <span role="text">
                  <span className="nhsuk-u-visually-hidden">Important: </span>
                  Deactivate {user.name}?
                </span>
              </h3>
              <p>
                They will be signed out at once and cannot sign in, by password or single sign-on, until an admin reactivates them. Their
                roles and history are kept.
              </p>
            </div>
          ) : null}
          <Form method="post" action={`/admin/users/${user.id}`} className="app-search-row">
            <input type="hidden" name="intent" value="set-active" />
            <input type="hidden" name="version" value={user.version} />
            <input type="hidden" name="active" value={user.is_active ? "false" : "true"} />
            <button className={`nhsuk-button ${user.is_active ? "nhsuk-button--warning" : "nhsuk-button--secondary"}`} type="submit">
              {user.is_active ? "Yes, deactivate this user" : "Reactivate this user"}
            </button>
            {user.is_active ? (
              <p>
                <Link to={`/admin/users/${user.id}`}>Cancel</Link>
              </p>
            ) : null}
          </Form>
        </>
      )}
    </>
  );
}
