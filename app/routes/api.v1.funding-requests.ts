import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPermission } from "~/modules/api/auth.server";
import { apiRoute, readQuery } from "~/modules/api/handler.server";
import { FundingQuery } from "~/modules/api/schemas";
import { listFundingRequests } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";

/** GET /api/v1/funding-requests: funding requests the token may see (read only), filtered as the list page. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) =>
    listFundingRequests(getDb(), requireApiPermission(auth, "funding:request"), readQuery(request, FundingQuery)),
  );
