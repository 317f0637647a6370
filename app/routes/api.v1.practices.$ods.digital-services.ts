import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute, methodNotAllowed, readJson } from "~/modules/api/handler.server";
import { DigitalServicesUpdateBody } from "~/modules/api/schemas";
import { digitalServicesView } from "~/modules/api/views.server";
import { updateDigitalServices } from "~/modules/api/writes.server";
import { getDb } from "~/utils/db.server";

/** GET /api/v1/practices/{ods}/digital-services: every catalogue service with its version. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return digitalServicesView(getDb(), practice.ods_code);
  });

/** PATCH /api/v1/practices/{ods}/digital-services: change some services, each at the version read (409 if stale). */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiRoute(request, async (auth) => {
    if (request.method !== "PATCH") throw methodNotAllowed(["GET", "PATCH"]);
    const { practice } = await requireApiPractice(auth, params.ods, "estate.icb:write");
    const body = await readJson(request, DigitalServicesUpdateBody);
    return updateDigitalServices(getDb(), auth, practice.ods_code, body);
  });
