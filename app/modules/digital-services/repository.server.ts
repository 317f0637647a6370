import type { Selectable } from "kysely";
import type { Db } from "#db/connect";
import type { DigitalServiceTable } from "#db/types";
import type { ServiceFields } from "./schema";

export type DigitalServiceRow = Selectable<DigitalServiceTable>;
type Facts = Omit<ServiceFields, "version">;

export function listForPractice(db: Db, practiceCode: string) {
  return db.selectFrom("digital_service").selectAll().where("practice_code", "=", practiceCode).orderBy("service_key").execute();
}

/** The practice's principal clinical system as the NHS supplier files give it. */
export function findNationalClinicalSystem(db: Db, practiceCode: string) {
  return db
    .selectFrom("practice")
    .select(["clinical_system", "clinical_system_detail", "clinical_system_source"])
    .where("ods_code", "=", practiceCode)
    .executeTakeFirst();
}

/** Inserts the first row for a service; undefined if someone else has just created it. */
export function insertIfAbsent(db: Db, practiceCode: string, serviceKey: string, facts: Facts) {
  return db
    .insertInto("digital_service")
    .values({ practice_code: practiceCode, service_key: serviceKey, ...facts })
    .onConflict((oc) => oc.constraint("digital_service_key").doNothing())
    .returningAll()
    .executeTakeFirst();
}

/** Updates a service row still at the version the editor opened; undefined otherwise. */
export function updateAtVersion(db: Db, practiceCode: string, serviceKey: string, version: number, facts: Facts) {
  return db
    .updateTable("digital_service")
    .set((eb) => ({ ...facts, version: eb("version", "+", 1), updated_at: new Date() }))
    .where("practice_code", "=", practiceCode)
    .where("service_key", "=", serviceKey)
    .where("version", "=", version)
    .returningAll()
    .executeTakeFirst();
}
