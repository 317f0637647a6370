import { sql } from "kysely";
import type { Db, Trx } from "#db/connect";
import { recordAudit } from "~/modules/audit/repository.server";
import { generatePracticeEstate, generatePracticePaper, type GeneratedEstate, type SiteFacts } from "./estate-generator";
import { todayIso } from "~/utils/today";

const CHUNK = 1000;

/**
 * Writes synthetic estate for the given practices, in sets. Practices that already have any
 * devices or telephony are left alone, so running it again adds nothing.
 */
export async function seedEstate(
  db: Db,
  practiceCodes: string[],
  opts: { seed?: number; deviceScale?: number; patchReference?: string; onProgress?: (done: number, total: number) => void } = {},
) {
  if (practiceCodes.length === 0) return { practices: 0, devices: 0, telephony: 0, services: 0, sites: 0, paperMonths: 0 };
  const [practices, sites, withEstate] = await Promise.all([
    db
      .selectFrom("practice")
      .select(["ods_code", "list_size", "clinical_system"])
      .where("ods_code", "in", practiceCodes)
      .orderBy("ods_code")
      .execute(),
    db
      .selectFrom("site")
      .select(["code", "practice_code", "kind"])
      .where("practice_code", "in", practiceCodes)
      .where("close_date", "is", null)
      .orderBy("kind", "desc")
      .orderBy("code")
      .execute(),
    db
      .selectFrom("device")
      .select("practice_code")
      .where("practice_code", "in", practiceCodes)
      .union(db.selectFrom("telephony_system").select("practice_code").where("practice_code", "in", practiceCodes))
      .execute(),
  ]);
  const skip = new Set(withEstate.map((r) => r.practice_code));
  const sitesBy = new Map<string, { code: string; kind: "main" | "branch" }[]>();
  for (const s of sites) sitesBy.set(s.practice_code, [...(sitesBy.get(s.practice_code) ?? []), { code: s.code, kind: s.kind }]);

  const todo = practices.filter((p) => !skip.has(p.ods_code) && sitesBy.has(p.ods_code));
  let devices = 0;
  let telephony = 0;
  let siteCount = 0;
  let serviceCount = 0;
  let paperCount = 0;
  await db.transaction().execute(async (trx) => {
    for (let i = 0; i < todo.length; i += 50) {
      const batch = todo
        .slice(i, i + 50)
        .map((p) =>
          generatePracticeEstate(
            { ods_code: p.ods_code, list_size: p.list_size, clinical_system: p.clinical_system, sites: sitesBy.get(p.ods_code)! },
            opts.seed,
            { deviceScale: opts.deviceScale, patchReference: opts.patchReference ?? todayIso() },
          ),
        );
      const allDevices = batch.flatMap((b) => b.devices);
      for (let j = 0; j < allDevices.length; j += CHUNK)
        await trx
          .insertInto("device")
          .values(allDevices.slice(j, j + CHUNK))
          .execute();
      const allTelephony = batch.flatMap((b) => b.telephony);
      if (allTelephony.length) await trx.insertInto("telephony_system").values(allTelephony).execute();
      const services = batch.flatMap((b) => b.services);
      for (let j = 0; j < services.length; j += CHUNK)
        await trx
          .insertInto("digital_service")
          .values(services.slice(j, j + CHUNK))
          .execute();
      serviceCount += services.length;
      const facts = batch.flatMap((b) => b.siteFacts);
      await updateSiteFacts(trx, facts);
      paperCount += await insertPaper(trx, batch);
      devices += allDevices.length;
      telephony += allTelephony.length;
      siteCount += facts.length;
      opts.onProgress?.(Math.min(i + 50, todo.length), todo.length);
    }
    // Practices whose estate was seeded before paper records existed get them now.
    const withPaper = new Set(
      (await trx.selectFrom("lloyd_george_record").select("practice_code").where("practice_code", "in", practiceCodes).execute()).map(
        (r) => r.practice_code,
      ),
    );
    const paperOnly = practices.filter((p) => skip.has(p.ods_code) && !withPaper.has(p.ods_code) && sitesBy.has(p.ods_code));
    for (let i = 0; i < paperOnly.length; i += 200) {
      const batch = paperOnly
        .slice(i, i + 200)
        .map((p) => generatePracticePaper({ ods_code: p.ods_code, list_size: p.list_size, sites: sitesBy.get(p.ods_code)! }, opts.seed));
      paperCount += await insertPaper(trx, batch);
    }
    await recordAudit(trx, {
      userId: null,
      action: "seed.estate",
      entityType: "seed",
      entityId: "estate",
      after: {
        practices: todo.length,
        devices,
        telephony,
        services: serviceCount,
        sites: siteCount,
        paperMonths: paperCount,
        note: "Synthetic demo data",
      },
    });
  });
  return { practices: todo.length, devices, telephony, services: serviceCount, sites: siteCount, paperMonths: paperCount };
}

/** Lloyd George records and paper activity for a batch of practices, in a few multi-row inserts. */
async function insertPaper(trx: Trx, batch: Pick<GeneratedEstate, "lloydGeorge" | "paperActivity">[]) {
  const lg = batch.map((b) => b.lloydGeorge);
  if (lg.length)
    await trx
      .insertInto("lloyd_george_record")
      .values(lg)
      .onConflict((oc) => oc.column("practice_code").doNothing())
      .execute();
  const activity = batch.flatMap((b) => b.paperActivity);
  for (let j = 0; j < activity.length; j += CHUNK) {
    await trx
      .insertInto("paper_activity")
      .values(activity.slice(j, j + CHUNK))
      .onConflict((oc) => oc.constraint("paper_activity_period_key").doNothing())
      .execute();
  }
  return activity.length;
}

/** One UPDATE … FROM (VALUES …) per chunk rather than one statement per site. */
async function updateSiteFacts(trx: Trx, facts: SiteFacts[]) {
  for (let i = 0; i < facts.length; i += 500) {
    const rows = facts.slice(i, i + 500).map(
      (f) =>
        sql`(${f.code}, ${f.hscn_connected}::boolean, ${f.hscn_circuit_id}::text, ${f.bandwidth_mbps}::double precision, ${f.resilient_line}::boolean,
             ${f.wifi_staff}::boolean, ${f.wifi_patient}::boolean, ${f.comms_room_ok}::boolean, ${f.ups_present}::boolean,
             ${f.records_storage_m2}::double precision, ${f.ownership}::text, ${f.analogue_lines}::integer)`,
    );
    await sql`
      update site set
        hscn_connected = v.hscn_connected, hscn_circuit_id = v.hscn_circuit_id, bandwidth_mbps = v.bandwidth_mbps,
        resilient_line = v.resilient_line, wifi_staff = v.wifi_staff, wifi_patient = v.wifi_patient,
        comms_room_ok = v.comms_room_ok, ups_present = v.ups_present, records_storage_m2 = v.records_storage_m2,
        ownership = v.ownership, analogue_lines = v.analogue_lines
      from (values ${sql.join(rows)}) as v(code, hscn_connected, hscn_circuit_id, bandwidth_mbps, resilient_line, wifi_staff,
        wifi_patient, comms_room_ok, ups_present, records_storage_m2, ownership, analogue_lines)
      where site.code = v.code`.execute(trx);
  }
}
