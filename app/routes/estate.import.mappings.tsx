import type { ActionFunctionArgs, LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, useLoaderData, useNavigation } from "@remix-run/react";
import { Link } from "~/components/Link";
import { Breadcrumbs } from "~/components/Breadcrumbs";
import { GeneralErrorBoundary } from "~/components/ErrorBoundary";
import { deleteSavedValueChoice, listSavedValueChoices } from "~/modules/devices/import/value-mapping.server";
import { requirePermission } from "~/modules/auth/permissions.server";
import { getDb } from "~/utils/db.server";
import { pageTitle } from "~/utils/page-title";
import { formAction, pageLoader } from "~/utils/route.server";
import { redirectWithFlash } from "~/modules/auth/flash.server";

export const meta: MetaFunction = () => [{ title: pageTitle("Your saved import choices") }];

export const loader = pageLoader(async ({ request }: LoaderFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  return { choices: await listSavedValueChoices(getDb(), user.id) };
});

export const action = formAction(async ({ request }: ActionFunctionArgs) => {
  const { user } = await requirePermission(request, "estate.icb:write");
  const form = await request.formData();
  // Only the user's own choices can be deleted: anyone else's id is not found.
  await deleteSavedValueChoice(getDb(), user.id, Number(form.get("id")));
  return redirectWithFlash(request, "/estate/import/mappings", "Saved choice deleted. Your next import will ask about that value again.");
});

export default function SavedChoices() {
  const { choices } = useLoaderData<typeof loader>();
  const busy = useNavigation().state !== "idle";
  return (
    <>
      <Breadcrumbs
        items={[
          { label: "Home", to: "/" },
          { label: "Import devices", to: "/estate/import" },
        ]}
      />
      <h1>Your saved import choices</h1>
      <p>
        When a file you import uses a word the register does not, such as &quot;Desktops&quot; for a type, you choose what it means on the
        check page. Those choices are saved here, for you only, and applied to your next imports.
      </p>
      {choices.length === 0 ? (
        <p>You have no saved choices.</p>
      ) : (
        <table className="nhsuk-table">
          <caption className="nhsuk-table__caption nhsuk-table__caption--s">Values you mapped</caption>
          <thead className="nhsuk-table__head">
            <tr>
              <th scope="col">Column</th>
              <th scope="col">In your file</th>
              <th scope="col">Imported as</th>
              <th scope="col">
                <span className="nhsuk-u-visually-hidden">Action</span>
              </th>
            </tr>
          </thead>
          <tbody className="nhsuk-table__body">
            {choices.map((c) => (
              <tr key={c.id}>
                <td>{c.practice ? `${c.column} (practice ${c.practice})` : c.column}</td>
                <td>{c.source}</td>
                <td>{c.target === "" ? "Not known (left blank)" : c.target}</td>
                <td>
                  <Form method="post">
                    <input type="hidden" name="id" value={c.id} />
                    <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit" disabled={busy}>
                      Delete<span className="nhsuk-u-visually-hidden">{` the choice for "${c.source}" in ${c.column}`}</span>
                    </button>
                  </Form>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <p>
        <Link to="/estate/import">Import devices</Link>
      </p>
    </>
  );
}

export const ErrorBoundary = GeneralErrorBoundary;
