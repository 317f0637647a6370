import type { Db } from "#db/connect";
import { evaluateScope } from "~/modules/compliance/evaluate.server";
import { todayIso } from "~/utils/today";
import { addAnalogueTelephony, addDevices, desktopRow } from "./compliance-db";
import { prepareCompliance } from "./compliance-pages";
import { seedSites } from "./estate-seed";

/**
 * Gaps at the three fixture practices (seedOrgs): sites, a few devices (Windows 10 ones fail
 * the supported-OS requirement), then a real evaluation of all of England, which opens the gaps.
 * F84003 also gets practice-funded (telephony) and national (NHSmail) gaps. Run after seedOrgs.
 */
export async function seedGaps(db: Db) {
  await seedSites(db);
  await prepareCompliance(db);
  await addDevices(db, [
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
    desktopRow("F84003", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2", device_type: "laptop" }),
    desktopRow("F84003"),
    desktopRow("F84013", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
    desktopRow("A81001", { os_family: "Windows 10", os_edition: "Pro", os_version: "22H2" }),
  ]);
  // F84003 also has analogue telephony (practice-funded gaps) and no NHSmail (a national one).
  await addAnalogueTelephony(db);
  await db
    .insertInto("digital_service")
    .values({ practice_code: "F84003", service_key: "nhsmail", status: "not_in_use", supplier: null, since_date: null, notes: null })
    .execute();
  await evaluateScope(db, { all: true }, todayIso());
}
