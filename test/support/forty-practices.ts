import type { Db } from "#db/connect";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";
import { seedEstate } from "~/modules/seed/estate.server";
import { addMainSites, addPractices } from "./compliance-db";
import { ensureLifecycleSeed } from "./estate-seed";
import { seedOrgs } from "./factories";

/**
 * The test organisations and 40 practices with main sites: 37 made up ("W…") and three real
 * ones. Returns their ODS codes, made-up first.
 */
export async function fortyPractices(db: Db): Promise<string[]> {
  await seedOrgs(db);
  await ensureLifecycleSeed(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
  return [...(await addPractices(db, 37, "W")), "F84003", "F84013", "A81001"];
}

/**
 * Those 40 practices with the demo generator's synthetic estate (devices of every kind,
 * telephony, services, paper) and the requirement catalogue, so every rule has something to judge.
 */
export async function fortyPracticesWithEstate(db: Db, seed = 7): Promise<string[]> {
  const codes = await fortyPractices(db);
  await seedEstate(db, codes, { seed });
  await ensureCatalogue(db);
  return codes;
}
