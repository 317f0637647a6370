import type { Db } from "#db/connect";
import { namesOf } from "~/modules/org/repository.server";
import { notFound } from "~/utils/errors";
import { PAGE_SIZE, toPage } from "~/utils/pagination";
import type { Scope } from "~/utils/permissions";
import { FRAMEWORK, REQUIREMENTS, requirementById } from "~/modules/catalogue";
import { frameworkVersionsView, requirementView } from "./requirement-view";
import type { RequirementFilters } from "./service.server";
import { listRequirements } from "./service.server";

/** The requirement catalogue, filtered and paged, in catalogue order. */
export function getCataloguePage(filters: RequirementFilters, page: number) {
  const list = listRequirements(filters);
  const start = (page - 1) * PAGE_SIZE;
  return {
    framework: { name: FRAMEWORK.name, version: FRAMEWORK.version, description: FRAMEWORK.description },
    filters,
    catalogueSize: REQUIREMENTS.length,
    versions: frameworkVersionsView(),
    // Filtered to a version, each requirement is worded as that version words it.
    page: toPage(
      list.slice(start, start + PAGE_SIZE).map((r) => requirementView(r, filters.version)),
      list.length,
      page,
    ),
  };
}

/** One requirement, with links to its results in the ICBs and practices the user belongs to. */
export async function getRequirementPage(db: Db, scope: Scope, id: string | undefined) {
  const requirement = id ? requirementById(id) : undefined;
  if (!requirement) throw notFound("requirement");
  const [icbs, practices] = scope.all
    ? [new Map<string, string | null>(), new Map<string, string | null>()]
    : await Promise.all([namesOf(db, "icb", scope.icbCodes), namesOf(db, "practice", scope.practiceCodes)]);
  return {
    requirement: requirementView(requirement),
    icbs: [...icbs.entries()].map(([code, name]) => ({ code, name })),
    practices: [...practices.entries()].map(([code, name]) => ({ code, name })),
  };
}
