import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPermission } from "~/modules/api/auth.server";
import { apiRoute, readQuery } from "~/modules/api/handler.server";
import { PracticesQuery } from "~/modules/api/schemas";
import { listPractices } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";

/** GET /api/v1/practices: the practices the token may read, as the practice search finds them. */
export const loader = ({ request }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => listPractices(getDb(), requireApiPermission(auth, "org:read"), readQuery(request, PracticesQuery)));
