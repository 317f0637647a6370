import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { Pagination } from "~/components/Pagination";
import { listUsers } from "~/modules/users/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Users") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  await requirePermission(request, "user:manage");
  return listUsers(getDb(), pageFromUrl(new URL(request.url)));
});

export default function Users() {
  const page = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs items={[{ label: "Home", to: "/" }]} />
      <h1>Users</h1>
      <Link className="nhsuk-button" to="/admin/users/new">
        Add a user
      </Link>
      <p>
        Tools that use the API (a service desk, reporting) get a service account and a token on{" "}
        <Link to="/admin/api-tokens">service account tokens</Link>.
      </p>
      <DataTable
        caption="Users"
        captionHidden
        rows={page.rows}
        rowKey={(u) => u.id}
        columns={[
          { header: "Name", cell: (u) => <Link to={`/admin/users/${u.id}`}>{u.name}</Link> },
          { header: "Email", cell: (u) => u.email },
          { header: "Roles", cell: (u) => u.memberships || "None" },
          { header: "Status", cell: (u) => (u.is_active ? "Active" : "Deactivated") },
        ]}
      />
      <Pagination page={page.page} pageCount={page.pageCount} total={page.total} noun="users" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
