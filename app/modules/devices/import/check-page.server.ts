import { z } from "zod";
import type { Db } from "#db/connect";
import type { MembershipLike } from "~/utils/permissions";
import { handle, handleForm } from "~/modules/auth/permissions.server";
import { cancelUpload, chooseMapping, chooseReplace, loadUpload, mappingFromForm } from "./service.server";
import { saveValueChoices, valueChoicesFromForm } from "./value-mapping.server";

/**
 * The check page's forms other than the import itself (app/routes/estate.import.$id.tsx): the
 * columns, the value choices, the mode and cancelling. Each returns where to go next, or the
 * errors to show next to the fields.
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
    const { table } = await handle(() => loadUpload(db, id, user.id));
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
    const result = await handle(() => saveValueChoices(db, { uploadId: id, user, choices: choices.data }));
    return result.ok ? { redirect: `/estate/import/${id}#values` } : fail(undefined, result.errors);
  }
  if (intent === "mode") {
    // "Add and update" or "this file is the practice's whole inventory".
    const mode = z.enum(["add", "replace"]).safeParse(form.get("mode"));
    if (!mode.success) return fail(undefined, { mode: "Choose whether this file is the practice's whole inventory" });
    const result = await handleForm(() => chooseReplace(db, id, user.id, mode.data === "replace").then(() => ({ ok: true as const })));
    return result.ok ? back : fail(result.formError, result.fieldErrors);
  }
  return fail("Choose what to do with this file.");
}
