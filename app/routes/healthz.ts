import type { LoaderFunctionArgs } from "@remix-run/node";
import { getDbHandle, pingDatabase } from "~/utils/db.server";
import { hasPermission } from "~/utils/permissions";
import { getOptionalUser } from "~/modules/auth/session.server";
import { pageLoader } from "~/utils/route.server";

const noStore = { "Cache-Control": "no-store" };

/**
 * Liveness and database check for load balancers, `npm start` and the benchmark (they look at the
 * status code only). Anyone may call it, so it answers just ok or not ok; the database kind and
 * latency are shown to a signed-in admin alone, as they help an attacker more than a monitor.
 */
export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const started = Date.now();
  const handle = getDbHandle();
  try {
    await pingDatabase(handle.db);
  } catch {
    return Response.json({ status: "error" }, { status: 503, headers: noStore });
  }
  const latency_ms = Date.now() - started;
  const user = await getOptionalUser(request).catch(() => null);
  if (user && hasPermission(user.memberships, "user:manage")) {
    return Response.json({ status: "ok", database: { status: "ok", kind: handle.kind, latency_ms } }, { headers: noStore });
  }
  return Response.json({ status: "ok" }, { headers: noStore });
});
