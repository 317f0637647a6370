import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute, readQuery } from "~/modules/api/handler.server";
import { SitesQuery } from "~/modules/api/schemas";
import { listSites } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";

/** GET /api/v1/practices/{ods}/sites: the practice's sites with connectivity and premises facts. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return listSites(getDb(), practice.ods_code, readQuery(request, SitesQuery));
  });
