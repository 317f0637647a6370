import { redirect } from "@remix-run/node";
import { z } from "zod";
import { getDb } from "~/utils/db.server";
import { clearSessionFlash, setSessionFlash } from "./repository.server";
import type { SessionUser } from "./service.server";
import { readSessionId } from "./session.server";

/**
 * One-time messages after a save ("Device saved."), kept on the session row rather than in the
 * address: a reload or a bookmark does not say it again. The root loader takes it (reads it with
 * the session's user, in the same query, and clears it) and the layout shows it in SuccessBanner.
 *
 * A page whose banner needs data (which policy value changed, which row to highlight) is sent a
 * notice instead: a kind, the path it is for and a few values, stored as JSON in the same column.
 * That page's own loader takes it (takeNotice) and renders its banner; the root loader leaves a
 * notice for the page being loaded to that page, and drops one meant for a page the user never reached.
 */

/** The pages' notices and what each carries. */
const NOTICES = {
  /** Local policy: a value changed, and the re-check it queued (job) or found running (running). */
  "policy-changed": z.object({ key: z.string(), job: z.number().optional(), running: z.number().optional() }),
  /** An ICB price list: the version added, by the date it takes effect. */
  "price-added": z.object({ effectiveFrom: z.string() }),
  /** Emission factors: the version added. */
  "factor-added": z.object({ id: z.number() }),
  /** A practice's self-assessment was started. */
  "assessment-started": z.object({}),
  /** An import was refused because one for the same thing was already under way: its job page says so. */
  "job-already": z.object({}),
  /** A device sync was asked for: queued, or one already under way. */
  "sync-asked": z.object({ outcome: z.enum(["queued", "already"]) }),
} satisfies Record<string, z.ZodTypeAny>;

export type NoticeKind = keyof typeof NOTICES;
export type NoticeDetail<K extends NoticeKind> = z.infer<(typeof NOTICES)[K]>;

const StoredNoticeSchema = z.object({ notice: z.string(), path: z.string(), detail: z.record(z.string(), z.unknown()) });

/** The stored notice, or null for a plain message (or anything not a notice). */
function readNotice(flash: string) {
  if (!flash.startsWith("{")) return null;
  try {
    const parsed = StoredNoticeSchema.safeParse(JSON.parse(flash));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

const pathOf = (to: string) => new URL(to, "http://x").pathname;

/** Redirects after a change, with a message for the next page. Without a session (signed out) it is a plain redirect. */
export async function redirectWithFlash(request: Request, to: string, message: string, init?: ResponseInit) {
  const id = await readSessionId(request);
  if (id) await setSessionFlash(getDb(), id, message);
  return redirect(to, init);
}

/** Redirects after a change, with a notice for the page at `to` (its loader takes it with takeNotice). */
export async function redirectWithNotice<K extends NoticeKind>(
  request: Request,
  to: string,
  kind: K,
  detail: NoticeDetail<K>,
  init?: ResponseInit,
) {
  const stored = JSON.stringify({ notice: kind, path: pathOf(to), detail });
  return redirectWithFlash(request, to, stored, init);
}

/** The message for this page, cleared so that it is shown once. `user` is the session's user the root loader read. */
export async function takeFlash(request: Request, user: SessionUser | null): Promise<string | null> {
  if (!user?.flash) return null;
  const notice = readNotice(user.flash);
  // A notice for this page is its loader's to take; one for another page was never seen and is dropped.
  if (notice && notice.path === new URL(request.url).pathname) return null;
  const id = await readSessionId(request);
  if (id) await clearSessionFlash(getDb(), id, user.flash);
  return notice ? null : user.flash;
}

/** This page's notice of that kind, if the last change sent one here; cleared so that it is shown once. */
export async function takeNotice<K extends NoticeKind>(request: Request, user: SessionUser, kind: K): Promise<NoticeDetail<K> | null> {
  const notice = user.flash ? readNotice(user.flash) : null;
  if (!notice || notice.notice !== kind || notice.path !== new URL(request.url).pathname) return null;
  const detail = NOTICES[kind].safeParse(notice.detail);
  const id = await readSessionId(request);
  if (id) await clearSessionFlash(getDb(), id, user.flash!);
  return detail.success ? (detail.data as NoticeDetail<K>) : null;
}
