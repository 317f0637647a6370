import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute, readQuery } from "~/modules/api/handler.server";
import { ComplianceQuery } from "~/modules/api/schemas";
import { complianceView } from "~/modules/api/views.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";

/** GET /api/v1/practices/{ods}/compliance: the stored result per requirement, filtered as the compliance page. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return complianceView(getDb(), practice.ods_code, readQuery(request, ComplianceQuery), todayIso());
  });
