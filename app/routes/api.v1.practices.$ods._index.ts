import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute } from "~/modules/api/handler.server";
import { practiceDetail } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";

/** GET /api/v1/practices/{ods}: one practice and its estate at a glance. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return practiceDetail(getDb(), practice.ods_code, todayIso());
  });
