import type { Db } from "#db/connect";
import { reevaluateAfterChange } from "~/modules/estate/reevaluate.server";
import { listAuditForEntity, recordAudit } from "~/modules/audit/repository.server";
import { badRequest, conflict, notFound } from "~/utils/errors";
import type { FormFailure } from "~/utils/forms";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import * as repo from "./repository.server";
import {
  CONNECTIVITY_FIELDS,
  OWNERSHIP,
  PREMISES_FIELDS,
  SITE_COLUMNS,
  SITE_KINDS,
  type Ownership,
  type ConnectivityInput,
  type NewSiteInput,
  type PremisesInput,
} from "./schema";

export const SITE_ENTITY = "site";

const CHANGED_MESSAGE =
  "Someone else changed this site since you opened it, so nothing was saved. Reload the page to see their changes, then make yours again.";

const only = <K extends keyof repo.SiteRow>(row: repo.SiteRow, keys: readonly K[]) =>
  Object.fromEntries(keys.map((k) => [k, row[k]])) as Pick<repo.SiteRow, K>;

export async function getSitesPage(db: Db, practiceCode: string, page: number) {
  const { rows, total } = await repo.listSites(db, practiceCode, PAGE_SIZE, (page - 1) * PAGE_SIZE);
  return toPage(rows, total, page);
}

export async function getSite(db: Db, practiceCode: string, code: string) {
  const site = await repo.findSite(db, practiceCode, code);
  if (!site) throw notFound("site");
  return site;
}

export async function getSitePage(db: Db, practiceCode: string, code: string) {
  const site = await getSite(db, practiceCode, code);
  const [events, deviceCount] = await Promise.all([
    listAuditForEntity(db, SITE_ENTITY, site.code),
    repo.countDevicesAtSite(db, practiceCode, site.code),
  ]);
  // Kind and ownership shown as people read them ("Branch surgery", "NHS Property Services").
  const readable = (v: unknown) => {
    if (!v || typeof v !== "object") return v;
    const r = { ...(v as Record<string, unknown>) };
    if (typeof r.ownership === "string") r.ownership = OWNERSHIP[r.ownership as Ownership] ?? r.ownership;
    if (typeof r.kind === "string") r.kind = SITE_KINDS[r.kind as keyof typeof SITE_KINDS] ?? r.kind;
    return r;
  };
  const history = events.map((e) => ({ ...e, before: readable(e.before), after: readable(e.after) }));
  return { site, history, deviceCount };
}

/** Changes the connectivity facts only; premises columns are never touched by this path. */
export async function updateSiteConnectivity(db: Db, actorId: number, practiceCode: string, code: string, input: ConnectivityInput) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findSite(trx, practiceCode, code);
    if (!before) throw notFound("site");
    const after = await repo.updateConnectivity(trx, practiceCode, code, input);
    if (!after) throw conflict(CHANGED_MESSAGE);
    await recordAudit(trx, {
      userId: actorId,
      action: "site.connectivity.update",
      entityType: SITE_ENTITY,
      entityId: code,
      before: { ...only(before, CONNECTIVITY_FIELDS), version: before.version },
      after: { ...only(after, CONNECTIVITY_FIELDS), version: after.version },
    });
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return after;
  });
}

/** Changes the premises facts only; connectivity columns are never touched by this path. */
export async function updateSitePremises(db: Db, actorId: number, practiceCode: string, code: string, input: PremisesInput) {
  return db.transaction().execute(async (trx) => {
    const before = await repo.findSite(trx, practiceCode, code);
    if (!before) throw notFound("site");
    const after = await repo.updatePremises(trx, practiceCode, code, input);
    if (!after) throw conflict(CHANGED_MESSAGE);
    await recordAudit(trx, {
      userId: actorId,
      action: "site.premises.update",
      entityType: SITE_ENTITY,
      entityId: code,
      before: { ...only(before, PREMISES_FIELDS), version: before.version },
      after: { ...only(after, PREMISES_FIELDS), version: after.version },
    });
    await reevaluateAfterChange(trx, practiceCode, actorId);
    return after;
  });
}

const isSiteKeyViolation = (e: unknown) => (e as { code?: string })?.code === "23505";

/** Adds a site that the ODS files do not list, with a generated code like `F84003-M1`. */
export async function addManualSite(
  db: Db,
  actorId: number,
  practiceCode: string,
  input: NewSiteInput,
): Promise<{ ok: true; code: string } | FormFailure> {
  try {
    return await db.transaction().execute(async (trx) => {
      if (input.kind === "main") {
        const main = await repo.hasOpenMainSite(trx, practiceCode);
        if (main)
          return {
            ok: false,
            fieldErrors: { kind: `This practice already has an open main site (${main}). Add this one as a branch.` },
          } as FormFailure;
      }
      const code = `${practiceCode}-M${await repo.nextManualNumber(trx, practiceCode)}`;
      const site = await repo.insertManualSite(trx, practiceCode, code, input);
      await recordAudit(trx, {
        userId: actorId,
        action: "site.create",
        entityType: SITE_ENTITY,
        entityId: code,
        after: only(site, ["code", "kind", "name", "address", "postcode", "open_date", "is_manual"]),
      });
      await reevaluateAfterChange(trx, practiceCode, actorId);
      return { ok: true as const, code };
    });
  } catch (e) {
    // Two people adding a site at the same moment picked the same code.
    if (isSiteKeyViolation(e)) throw conflict("Someone else added a site at the same time. Try again.");
    throw e;
  }
}

export async function deleteManualSite(db: Db, actorId: number, practiceCode: string, code: string, version: number) {
  await db.transaction().execute(async (trx) => {
    const site = await repo.findSite(trx, practiceCode, code);
    if (!site) throw notFound("site");
    if (!site.is_manual) throw badRequest("This site comes from the NHS ODS files, so it cannot be deleted here.");
    const devices = await repo.countDevicesAtSite(trx, practiceCode, code);
    if (devices > 0) {
      throw badRequest(
        `${devices} ${devices === 1 ? "device is" : "devices are"} recorded at this site. Move ${devices === 1 ? "it" : "them"} to another site first.`,
      );
    }
    const removed = await repo.deleteManualSite(trx, practiceCode, code, version);
    if (!removed) throw conflict(CHANGED_MESSAGE);
    const { version: _v, ...facts } = removed;
    await recordAudit(trx, { userId: actorId, action: "site.delete", entityType: SITE_ENTITY, entityId: code, before: facts });
    await reevaluateAfterChange(trx, practiceCode, actorId);
  });
}

/** One row per site with the ODS facts and both forms' fields. */
export async function exportSites(db: Db, practiceCode: string) {
  const sites = await repo.listAllSites(db, practiceCode);
  return {
    columns: [...SITE_COLUMNS],
    rows: sites.map((s) => SITE_COLUMNS.map((c) => (c === "site_code" ? s.code : c === "practice_ods_code" ? s.practice_code : s[c]))),
  };
}
