import type { Db } from "#db/connect";
import { listAuditForEntity } from "~/modules/audit/repository.server";
import { notFound } from "~/utils/errors";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import { scopeCoversIcb, scopeCoversPractice, type MembershipLike, type Scope } from "~/utils/permissions";
import * as repo from "./repository.server";
import { OdsCodeSchema } from "./schema";

const offset = (page: number) => (page - 1) * PAGE_SIZE;

function code(raw: string | undefined, what: string) {
  const parsed = OdsCodeSchema.safeParse(raw ?? "");
  if (!parsed.success) throw notFound(what);
  return parsed.data;
}

export async function searchPractices(
  db: Db,
  scope: Scope,
  f: { q?: string; includeClosed?: boolean; page: number; icbCode?: string; subIcbCode?: string; pcnCode?: string },
) {
  const { rows, total } = await repo.searchPractices(db, scope, { ...f, limit: PAGE_SIZE, offset: offset(f.page) });
  return toPage(rows, total, f.page);
}

/** A practice's page. Out of scope is reported exactly like "does not exist": no data leaks. */
export async function getPracticePage(db: Db, scope: Scope, rawCode: string | undefined) {
  const ods = code(rawCode, "practice");
  const practice = await repo.findPractice(db, ods);
  if (!practice || !scopeCoversPractice(scope, practice)) throw notFound("practice");
  const [sites, pcnHistory, listSizes, successions] = await Promise.all([
    repo.listSites(db, ods),
    repo.listPcnHistory(db, ods),
    repo.listListSizes(db, ods),
    repo.listSuccessions(db, "practice", ods),
  ]);
  // Links to the other practice only for people who may open it.
  const link = (o: { code: string; name: string | null; icb_code: string | null }) => ({
    ...o,
    canOpen: scopeCoversPractice(scope, { ods_code: o.code, icb_code: o.icb_code }),
  });
  const merged = successions.filter((s) => s.old_code === ods).map((s) => ({ ...s, new: link(s.new), final: link(s.final) }));
  const predecessors = successions.filter((s) => s.old_code !== ods).map((s) => ({ ...s, old: link(s.old) }));
  return { practice, sites, pcnHistory, listSizes, merged, predecessors };
}

export async function listIcbs(db: Db, scope: Scope, page: number) {
  const { rows, total } = await repo.listIcbs(db, scope.all ? undefined : scope.icbCodes, PAGE_SIZE, offset(page));
  return toPage(rows, total, page);
}

export async function getIcbPage(db: Db, scope: Scope, rawCode: string | undefined) {
  const icbCode = code(rawCode, "ICB");
  if (!scopeCoversIcb(scope, icbCode)) throw notFound("ICB");
  const icb = await repo.findIcb(db, icbCode);
  if (!icb) throw notFound("ICB");
  const [subIcbs, successions] = await Promise.all([repo.listSubIcbs(db, icbCode), repo.listSuccessions(db, "icb", icbCode)]);
  const link = (o: { code: string; name: string | null }) => ({ ...o, canOpen: scopeCoversIcb(scope, o.code) });
  const merged = successions.filter((s) => s.old_code === icbCode).map((s) => ({ ...s, new: link(s.new), final: link(s.final) }));
  const predecessors = successions.filter((s) => s.old_code !== icbCode).map((s) => ({ ...s, old: link(s.old) }));
  return { icb, subIcbs, merged, predecessors };
}

export async function getSubIcbPage(db: Db, scope: Scope, rawCode: string | undefined, page: number) {
  const subCode = code(rawCode, "sub-ICB location");
  const subIcb = await repo.findSubIcb(db, subCode);
  if (!subIcb || !scopeCoversIcb(scope, subIcb.icb_code)) throw notFound("sub-ICB location");
  const { rows, total } = await repo.listPcns(db, subCode, PAGE_SIZE, offset(page));
  return { subIcb, pcns: toPage(rows, total, page) };
}

export async function getPcnPage(db: Db, scope: Scope, rawCode: string | undefined, page: number) {
  const pcnCode = code(rawCode, "PCN");
  const pcn = await repo.findPcn(db, pcnCode);
  if (!pcn || !scopeCoversIcb(scope, pcn.icb_code)) throw notFound("PCN");
  const practices = await searchPractices(db, scope, { pcnCode, page });
  return { pcn, practices };
}

export async function getPracticeHistory(db: Db, scope: Scope, rawCode: string | undefined) {
  const { practice } = await getPracticePage(db, scope, rawCode);
  return listAuditForEntity(db, "practice", practice.ods_code);
}

/** Home page: what each membership gives access to, named; England totals for admins. */
export async function getHomePage(db: Db, scope: Scope, memberships: MembershipLike[]) {
  const icbCodes = memberships.flatMap((m) => (m.icb_code ? [m.icb_code] : []));
  const practiceCodes = memberships.flatMap((m) => (m.practice_code ? [m.practice_code] : []));
  const [icbNames, practiceNames, counts] = await Promise.all([
    repo.namesOf(db, "icb", icbCodes),
    repo.namesOf(db, "practice", practiceCodes),
    scope.all ? repo.englandTotals(db) : Promise.resolve(null),
  ]);
  const roles = memberships.map((m) => ({
    role: m.role,
    icb: m.icb_code ? { code: m.icb_code, name: icbNames.get(m.icb_code) ?? null } : null,
    practice: m.practice_code ? { code: m.practice_code, name: practiceNames.get(m.practice_code) ?? null } : null,
  }));
  return { roles, counts };
}
