import type { ActionFunctionArgs, LoaderFunctionArgs } from "@remix-run/node";
import { requireApiPractice } from "~/modules/api/auth.server";
import { apiRoute, BULK_BODY_LIMIT, methodNotAllowed, readJson, readQuery } from "~/modules/api/handler.server";
import { DeviceBulkBody, DeviceBulkQuery, DevicesQuery } from "~/modules/api/schemas";
import { listPracticeDevices } from "~/modules/api/views.server";
import { pushDevices } from "~/modules/api/writes.server";
import { getDb } from "~/utils/db.server";
import { todayIso } from "~/utils/today";

/** GET /api/v1/practices/{ods}/devices: the devices page's list, with its filters. */
export const loader = ({ request, params }: LoaderFunctionArgs) =>
  apiRoute(request, async (auth) => {
    const { practice } = await requireApiPractice(auth, params.ods);
    return listPracticeDevices(getDb(), practice.ods_code, readQuery(request, DevicesQuery), todayIso());
  });

/** POST /api/v1/practices/{ods}/devices: push devices (create or update by asset tag or serial), as the device import. */
export const action = ({ request, params }: ActionFunctionArgs) =>
  apiRoute(request, async (auth) => {
    if (request.method !== "POST") throw methodNotAllowed(["GET", "POST"]);
    const { practice } = await requireApiPractice(auth, params.ods, "estate.icb:write");
    const q = readQuery(request, DeviceBulkQuery);
    const body = await readJson(request, DeviceBulkBody, BULK_BODY_LIMIT);
    return pushDevices(getDb(), auth, practice.ods_code, body, { dryRun: q.dry_run === "true", skipInvalid: q.skip_invalid === "true" });
  });
