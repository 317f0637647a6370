import { createDbFromEnv } from "#db/connect";
import { getEnv } from "~/utils/env.server";
import { forecastIcb } from "~/modules/forecast/service.server";
const h = createDbFromEnv(getEnv());
for (let i = 0; i < 2; i++) {
const c0 = process.cpuUsage(); const t0 = Date.now();
const f = await forecastIcb(h.db, "QMF", "2026-12-03", 24);
const c = process.cpuUsage(c0);
console.log("events", f.events.length, "wall", Date.now() - t0, "cpu ms", Math.round((c.user + c.system) / 1000), "rules ms", f.computedMs);
}
await h.db.destroy();
