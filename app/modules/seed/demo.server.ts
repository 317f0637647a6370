import type { Db } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { importNorthEastLondon } from "~/modules/ods/demo.server";
import { passwordProblem } from "~/modules/users/password-policy.server";
import { hashPassword } from "~/utils/password.server";
import { DEMO_USERS } from "./demo-users";
import { seedEstate } from "./estate.server";
import { addMonths, evaluateScope } from "~/modules/compliance/evaluate.server";
import { backfillHistory } from "~/modules/compliance/history.server";
import { todayIso } from "~/utils/today";
import { seedDemoFunding } from "./demo-funding.server";
import { seedDemoFeeds } from "./demo-feeds.server";

export interface DemoSeedOptions {
  password: string;
  nodeEnv: string;
  /** Demo accounts share one known password: never in production unless someone says so. */
  allowProduction?: boolean;
  log?: (line: string) => void;
}

export async function hasUsers(db: Db) {
  return Boolean(await db.selectFrom("app_user").select("id").limit(1).executeTakeFirst());
}

/**
 * Loads North East London ICB (QMF) from the real NHS files and creates the demo sign-ins.
 * Safe to run twice: the import is idempotent and existing demo users are left alone.
 */
export async function seedDemo(db: Db, opts: DemoSeedOptions) {
  const log = opts.log ?? (() => {});
  if (opts.nodeEnv === "production" && !opts.allowProduction) {
    throw new Error("Refusing to create demo users with a shared password in production. Pass --allow-production-demo to override.");
  }
  // The demo sign-ins follow the same password policy as everyone else (the default passes).
  const weak = passwordProblem(opts.password);
  if (weak) throw new Error(`DEMO_PASSWORD is refused by the password policy: ${weak}`);
  log("Importing North East London (QMF) practices, PCNs and sub-ICB locations from the NHS files…");
  const results = await importNorthEastLondon(db);
  for (const r of results) log(`  ${r.file}: ${summarise(r.counts)}`);
  const passwordHash = await hashPassword(opts.password);
  const created = await db.transaction().execute(async (trx) => {
    const existing = new Set((await trx.selectFrom("app_user").select("email").execute()).map((u) => u.email.toLowerCase()));
    let n = 0;
    for (const u of DEMO_USERS) {
      if (existing.has(u.email)) continue;
      const user = await trx
        .insertInto("app_user")
        .values({ name: u.name, email: u.email, password_hash: passwordHash })
        .returning("id")
        .executeTakeFirstOrThrow();
      await trx
        .insertInto("membership")
        .values({ user_id: user.id, role: u.role, icb_code: u.icbCode ?? null, practice_code: u.practiceCode ?? null })
        .execute();
      await recordAudit(trx, {
        userId: null,
        action: "user.create",
        entityType: "user",
        entityId: String(user.id),
        after: {
          name: u.name,
          email: u.email,
          role: u.role,
          icb_code: u.icbCode ?? null,
          practice_code: u.practiceCode ?? null,
          source: "demo seed",
        },
      });
      n++;
    }
    return n;
  });
  log(`Created ${created} demo user${created === 1 ? "" : "s"}.`);
  const nel = await db.selectFrom("practice").select("ods_code").where("icb_code", "=", "QMF").where("status", "=", "A").execute();
  log(`Generating synthetic estate (devices, telephony, site facts) for ${nel.length} North East London practices…`);
  const estate = await seedEstate(
    db,
    nel.map((p) => p.ods_code),
  );
  log(
    `  ${estate.devices.toLocaleString("en-GB")} devices, ${estate.telephony} telephony systems, ${estate.services.toLocaleString("en-GB")} digital service records, ${estate.sites} sites, ${estate.paperMonths.toLocaleString("en-GB")} months of paper activity (demo data).`,
  );
  log("Importing demo data feeds (DSPT status, Cyber Essentials, cloud telephony data, supplier contracts)…");
  await seedDemoFeeds(db, "QMF", todayIso(), log);
  // Today's check is the one that is stored and moves the gap register. Then a year of history,
  // a point each quarter before today, so the dashboard's trend has something to show: kit ages,
  // support ends and warranties lapse between the points exactly as the rules say they would
  // have. History rows only (history.server.ts): they never open or close a gap.
  const today = todayIso();
  log("Checking every North East London practice against the operating model…");
  const evaluation = await evaluateScope(db, { icb: "QMF" }, today, {
    onProgress: (p) => log(`  ${p.done} of ${p.total} practices checked`),
  });
  log(`  ${evaluation.counts.written.toLocaleString("en-GB")} results stored.`);
  for (const months of [12, 9, 6, 3]) {
    const asOf = addMonths(today, -months);
    log(`Adding history: North East London as it stood on ${asOf} (for the trend)…`);
    await backfillHistory(db, { icb: "QMF" }, asOf, { today });
  }
  // Today's results were stored before that history existed, so many now repeat the outcome in
  // force three months ago. Stored results are change points: checking today again removes the
  // repeats, so a user's first re-check reports real changes only (none), not the seed's.
  log("Checking today's results against that history…");
  const started = performance.now();
  const settled = await evaluateScope(db, { icb: "QMF" }, today);
  log(
    `  ${settled.counts.removed.toLocaleString("en-GB")} results that repeated the history removed (${((performance.now() - started) / 1000).toFixed(1)} s).`,
  );
  await seedDemoFunding(db, today, log);
  return { created, estate };
}

function summarise(counts: Record<string, { created: number; updated: number; unchanged: number; rejected: number }>) {
  return Object.entries(counts)
    .map(([entity, c]) => `${entity} +${c.created} ~${c.updated} =${c.unchanged}${c.rejected ? ` !${c.rejected}` : ""}`)
    .join(", ");
}
