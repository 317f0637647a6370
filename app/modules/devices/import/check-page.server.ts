import { z } from "zod";
import type { Db } from "#db/connect";
import type { MembershipLike } from "~/utils/permissions";
import { cancelUpload, chooseMapping, chooseReplace, loadUpload, mappingFromForm } from "./service.server";
import { saveValueChoices, valueChoicesFromForm } from "./value-mapping.server";

/**
 * The check page's forms other than the import itself (app/routes/estate.import.$id.tsx): the
 * columns, the value choices, the mode and cancelling. Each returns where to go next, or the
 * errors to show next to the fields; AppErrors are thrown to the route's formAction.
 */

export type CheckPageResult = { redirect: string } | { ok: false; fieldErrors: Record<string, string>; formError: string | undefined };

const fail = (formError: string | undefined, fieldErrors: Record<string, string> = {}): CheckPageResult => ({
  ok: false,
  fieldErrors,
  formError,
});

export async function checkPageAction(
  db: Db,
  id: string,
  user: { id: number; memberships: MembershipLike[] },
  intent: string,
  form: FormData,
): Promise<CheckPageResult> {
  const back = { redirect: `/estate/import/${id}` };
  if (intent === "cancel") {
    await cancelUpload(db, id, user.id);
    // Back to the same practice's upload page, so the next file keeps its practice.
    const practice = String(form.get("practice") ?? "").toUpperCase();
    return { redirect: /^[A-Z0-9]{3,10}$/.test(practice) ? `/estate/import?practice=${practice}` : "/estate/import" };
  }
  if (intent === "mapping") {
    const { table } = await loadUpload(db, id, user.id);
    const mapping = mappingFromForm(
      table.headers,
      table.headers.map((_, i) => String(form.get(`target-${i}`) ?? "") || null),
    );
    const result = await chooseMapping(db, id, user.id, mapping);
    return result.ok ? back : fail(result.problems.join(" "));
  }
  if (intent === "values") {
    const choices = valueChoicesFromForm(form);
    if (!choices.success) return fail("The values chosen could not be read. Check the page again and choose them again.");
    const result = await saveValueChoices(db, { uploadId: id, user, choices: choices.data });
    return result.ok ? { redirect: `/estate/import/${id}#values` } : fail(undefined, result.errors);
  }
  if (intent === "mode") {
    // "Add and update" or "this file is the practice's whole inventory".
    const mode = z.enum(["add", "replace"]).safeParse(form.get("mode"));
    if (!mode.success) return fail(undefined, { mode: "Choose whether this file is the practice's whole inventory" });
    // A refusal (an AppError) is answered on the form by the route's formAction.
    await chooseReplace(db, id, user.id, mode.data === "replace");
    return back;
  }
  return fail("Choose what to do with this file.");
}
