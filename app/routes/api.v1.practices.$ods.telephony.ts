import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute, methodNotAllowed, readJson } from "~/modules/api/handler.server";
import { TelephonyUpdateBody } from "~/modules/api/schemas";
import { telephonyView } from "~/modules/api/views.server";
import { updateTelephony } from "~/modules/api/writes.server";
import { getDb } from "~/utils/db.server";

/** GET /api/v1/practices/{ods}/telephony: the current system and past ones. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return telephonyView(getDb(), practice.ods_code);
  });

/** PATCH /api/v1/practices/{ods}/telephony: correct the current system, at the version read (409 if stale). */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiRoute(request, async (auth) => {
    if (request.method !== "PATCH") throw methodNotAllowed(["GET", "PATCH"]);
    const { practice } = await requireApiPractice(auth, params.ods, "estate.practice:write");
    const body = await readJson(request, TelephonyUpdateBody);
    return updateTelephony(getDb(), auth, practice.ods_code, body);
  });
