import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPermission } from "~/modules/api/auth.server";
import { apiRoute, readQuery } from "~/modules/api/handler.server";
import { GapsQuery } from "~/modules/api/schemas";
import { listGaps } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";

/** GET /api/v1/gaps: the gap register in the token's scope, with the register's filters. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const scope = requireApiPermission(auth, "org:read");
    return listGaps(getDb(), scope, auth.user.memberships, readQuery(request, GapsQuery), todayIso());
  });
