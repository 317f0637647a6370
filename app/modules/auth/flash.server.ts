import { redirect } from "@remix-run/node";
import { getDb } from "~/utils/db.server";
import { clearSessionFlash, setSessionFlash } from "./repository.server";
import type { SessionUser } from "./service.server";
import { readSessionId } from "./session.server";

/**
 * One-time messages after a save ("Device saved."), kept on the session row rather than in the
 * address: a reload or a bookmark does not say it again. The root loader takes it (reads it with
 * the session's user, in the same query, and clears it) and the layout shows it in SuccessBanner.
 */

/** Redirects after a change, with a message for the next page. Without a session (signed out) it is a plain redirect. */
export async function redirectWithFlash(request: Request, to: string, message: string, init?: ResponseInit) {
  const id = await readSessionId(request);
  if (id) await setSessionFlash(getDb(), id, message);
  return redirect(to, init);
}

/** The message for this page, cleared so that it is shown once. `user` is the session's user the root loader read. */
export async function takeFlash(request: Request, user: SessionUser | null): Promise<string | null> {
  if (!user?.flash) return null;
  const id = await readSessionId(request);
  if (id) await clearSessionFlash(getDb(), id, user.flash);
  return user.flash;
}
