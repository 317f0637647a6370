import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { seedDemo } from "~/modules/seed/demo.server";
import { getEnv } from "~/utils/env.server";

const args = process.argv.slice(2);
if (!args.includes("--demo")) {
  console.error("Usage: npm run db:seed -- --demo [--allow-production-demo]");
  process.exit(2);
}
const env = getEnv();
const handle = createDbFromEnv(env);
try {
  await migrateToLatest(handle.db);
  await seedDemo(handle.db, {
    password: env.DEMO_PASSWORD,
    nodeEnv: env.NODE_ENV,
    allowProduction: args.includes("--allow-production-demo"),
    log: (l) => console.log(l),
  });
  console.log(`Demo sign-ins (password from DEMO_PASSWORD): ${DEMO_USERS.map((u) => u.email).join(", ")}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await handle.db.destroy();
}
