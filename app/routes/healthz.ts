import { sql } from "kysely";
import { getDbHandle } from "~/utils/db.server";

/** Liveness and database check for load balancers and monitoring. No sign-in needed; no data shown. */
export async function loader() {
  const started = Date.now();
  try {
    const handle = getDbHandle();
    await sql`select 1`.execute(handle.db);
    return Response.json({ status: "ok", database: { status: "ok", kind: handle.kind, latency_ms: Date.now() - started } });
  } catch {
    return Response.json({ status: "error", database: { status: "unavailable" } }, { status: 503 });
  }
}
