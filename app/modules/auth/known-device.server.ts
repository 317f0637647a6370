import { randomBytes } from "node:crypto";
import { createCookie } from "@remix-run/node";
import { z } from "zod";
import type { KnownDevice } from "./service.server";
import { getEnv } from "~/utils/env.server";

/**
 * The "known-good device" cookie: after a successful sign-in this browser gets a long-lived,
 * signed, httpOnly cookie naming a random device id and the users who have signed in on it.
 * A sign-in carrying it for the same user is throttled only by that device's own failures, so
 * an attacker's guesses against the account cannot keep its owner out (app/modules/auth/throttle.ts).
 * It grants no access by itself: the password is still needed.
 */
const MAX_USERS = 5;
const DeviceSchema = z.object({ d: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/), u: z.array(z.number().int().positive()).max(MAX_USERS) });

function deviceCookie() {
  const env = getEnv();
  return createCookie("__device", {
    httpOnly: true,
    sameSite: "lax",
    path: "/",
    secure: env.NODE_ENV === "production",
    secrets: [env.SESSION_SECRET],
    maxAge: 365 * 24 * 3600,
  });
}

/** The verified device cookie, or null when absent, unsigned, forged or malformed. */
export async function readKnownDevice(request: Request): Promise<KnownDevice | null> {
  const raw = await deviceCookie().parse(request.headers.get("Cookie"));
  const parsed = DeviceSchema.safeParse(raw);
  return parsed.success ? { deviceId: parsed.data.d, userIds: parsed.data.u } : null;
}

/** The cookie to set after `userId` signed in: same device id if there was one, this user first. */
export function commitKnownDevice(previous: KnownDevice | null, userId: number) {
  const d = previous?.deviceId ?? randomBytes(18).toString("base64url");
  const u = [userId, ...(previous?.userIds ?? []).filter((id) => id !== userId)].slice(0, MAX_USERS);
  return deviceCookie().serialize({ d, u });
}
