/**
 *   npm run db:seed -- --demo [--allow-production-demo]
 *   npm run db:seed -- --national [--seed N] [--device-scale X] [--as-of YYYY-MM-DD] [--allow-production-demo]
 *
 * --demo loads North East London and the demo sign-ins. --national does the same, then every
 * English practice, PCN, sub-ICB and ICB and synthetic estate for all of them (about 360,000
 * devices), and checks every practice; it takes a few minutes and shows its progress.
 */
import { parseArgs } from "node:util";
import { createDbFromEnv } from "#db/connect";
import { migrateToLatest } from "#db/migrate";
import { DEMO_USERS } from "~/modules/seed/demo-users";
import { seedDemo } from "~/modules/seed/demo.server";
import { analyseEmbedded } from "#db/statistics";
import { NATIONAL_DEVICE_SCALE, NATIONAL_SEED, seedNational } from "~/modules/seed/national.server";
import { getEnv } from "~/utils/env.server";

const USAGE =
  "Usage: npm run db:seed -- (--demo | --national [--seed N] [--device-scale X] [--as-of YYYY-MM-DD]) [--allow-production-demo]";

let args;
try {
  args = parseArgs({
    args: process.argv.slice(2),
    options: {
      demo: { type: "boolean", default: false },
      national: { type: "boolean", default: false },
      seed: { type: "string" },
      "device-scale": { type: "string" },
      "as-of": { type: "string" },
      "allow-production-demo": { type: "boolean", default: false },
    },
  }).values;
} catch (e) {
  console.error((e as Error).message);
  console.error(USAGE);
  process.exit(2);
}
if (args.demo === args.national) {
  console.error(USAGE);
  process.exit(2);
}
const seed = args.seed === undefined ? NATIONAL_SEED : Number(args.seed);
const deviceScale = args["device-scale"] === undefined ? NATIONAL_DEVICE_SCALE : Number(args["device-scale"]);
const asOf = args["as-of"];
if (!Number.isSafeInteger(seed) || !(deviceScale > 0 && deviceScale <= 10) || (asOf !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(asOf))) {
  console.error("--seed takes a whole number, --device-scale a number above 0 and at most 10, --as-of a date as YYYY-MM-DD");
  console.error(USAGE);
  process.exit(2);
}

const env = getEnv();
const handle = createDbFromEnv(env);
const common = {
  password: env.DEMO_PASSWORD,
  nodeEnv: env.NODE_ENV,
  allowProduction: args["allow-production-demo"],
  log: (l: string) => console.log(l),
};
try {
  await migrateToLatest(handle.db);
  console.log(`Database: ${handle.where}`);
  if (args.national) await seedNational(handle.db, { ...common, seed, deviceScale, asOf });
  else await seedDemo(handle.db, common);
  if (await analyseEmbedded(handle)) console.log("Statistics gathered for the embedded database's planner.");
  console.log(`Demo sign-ins (password from DEMO_PASSWORD): ${DEMO_USERS.map((u) => u.email).join(", ")}`);
} catch (e) {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
} finally {
  await handle.db.destroy();
}
