import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { formatDate, titleCase } from "~/utils/format";
import { Pagination } from "~/components/Pagination";
import { PracticeTable } from "~/components/PracticeTable";
import { CbtMonths } from "~/components/CbtMonths";
import { pcnMonths } from "~/modules/cbt/repository.server";
import { getPcnPage } from "~/modules/org/service.server";
import { getDb } from "~/utils/db.server";
import { pageFromUrl } from "~/utils/pagination";
import { requirePermission } from "~/modules/auth/permissions.server";
import { pageTitle } from "~/utils/page-title";
import { pageLoader } from "~/utils/route.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: pageTitle(titleCase(data?.pcn.name) || "Primary care network") }];

export const loader = pageLoader(async ({ request, params }: LoaderFunctionArgs) => {
  const { scope } = await requirePermission(request, "org:read");
  const page = await getPcnPage(getDb(), scope, params.code, pageFromUrl(new URL(request.url)));
  return { ...page, calls: await pcnMonths(getDb(), page.pcn.code) };
});

export default function PcnPage() {
  const { pcn, practices, calls } = useLoaderData<typeof loader>();
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: titleCase(pcn.icb_name) || pcn.icb_code || "ICB", to: `/icbs/${pcn.icb_code}` },
          { label: titleCase(pcn.sub_icb_name) || pcn.sub_icb_code || "Sub-ICB", to: `/sub-icbs/${pcn.sub_icb_code}` },
        ]}
      />
      <span className="nhsuk-caption-l">Primary care network {pcn.code}</span>
      <h1>{titleCase(pcn.name)}</h1>
      <p>
        {pcn.address ? `${titleCase(pcn.address)}, ${pcn.postcode ?? ""}` : null}
        {pcn.open_date ? ` · Opened ${formatDate(pcn.open_date)}` : null}
        {pcn.close_date ? ` · Closed ${formatDate(pcn.close_date)}` : null}
      </p>
      <p>
        <Link to={`/gaps?pcn=${pcn.code}`}>Gaps at this PCN's practices</Link>
      </p>
      <h2>Calls</h2>
      {calls.length ? (
        <CbtMonths rows={calls} caption="NHS England cloud telephony data for the PCN's practices, by month" />
      ) : (
        <p>No cloud telephony data has been imported for this PCN's practices.</p>
      )}
      <h2>Member practices</h2>
      <PracticeTable rows={practices.rows} caption={`Practices in ${pcn.name}`} />
      <Pagination page={practices.page} pageCount={practices.pageCount} total={practices.total} noun="practices" />
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
