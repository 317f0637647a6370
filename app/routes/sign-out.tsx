import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { signOut } from "~/modules/auth/service.server";
import { getDb } from "~/utils/db.server";
import { assertSameOrigin } from "~/utils/permissions.server";
import { clearSessionCookie, getOptionalUser, readSessionId } from "~/utils/session.server";

export async function loader() {
  return redirect("/");
}

export async function action({ request }: ActionFunctionArgs) {
  assertSameOrigin(request);
  const [id, user] = await Promise.all([readSessionId(request), getOptionalUser(request)]);
  if (id && user) await signOut(getDb(), id, user.id);
  return redirect("/sign-in", { headers: { "Set-Cookie": await clearSessionCookie() } });
}
