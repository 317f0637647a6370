/**
 * Sign-in throttling: increasing delays, never a hard lock that the right password cannot pass.
 *
 * Three buckets of failed attempts in the last hour:
 * - the account (every failure against the email address, from anywhere);
 * - the client (every failure from one address, whichever accounts it tried);
 * - a known-good device (failures carrying this browser's signed device cookie for the account).
 *
 * An attempt without a device cookie for the account waits for both the account and the client
 * bucket; one with it waits only for its own device bucket. So a flood of anonymous guesses
 * slows the attacker (and anyone new to the account) but never stops the real user on a browser
 * they have signed in from before. Once a bucket has `free` failures, each further attempt must
 * wait 1, 2, 4 … seconds after the latest failure, up to `maxDelaySeconds`. An attempt refused
 * for waiting tests no password and never counts as a failure, so hammering cannot lengthen the
 * wait. A successful sign-in clears the account's and that device's buckets (not the client's:
 * an attacker signing in to their own account must not reset their address).
 */
export const THROTTLE = {
  windowMinutes: 60,
  account: { free: 5, maxDelaySeconds: 300 },
  client: { free: 20, maxDelaySeconds: 60 },
  device: { free: 5, maxDelaySeconds: 300 },
} as const;

export interface Bucket {
  failures: number;
  lastFailureAt: Date | null;
}
export interface ThrottleRule {
  free: number;
  maxDelaySeconds: number;
}

/** Seconds the next attempt in this bucket must still wait (0: it may go ahead). */
export function waitSeconds(bucket: Bucket, rule: ThrottleRule, now: Date): number {
  if (bucket.failures < rule.free || !bucket.lastFailureAt) return 0;
  const delay = Math.min(rule.maxDelaySeconds, 2 ** Math.min(bucket.failures - rule.free, 30));
  const remainingMs = bucket.lastFailureAt.getTime() + delay * 1000 - now.getTime();
  return remainingMs > 0 ? Math.ceil(remainingMs / 1000) : 0;
}

export function throttledMessage(seconds: number): string {
  const wait =
    seconds < 60
      ? `${seconds} second${seconds === 1 ? "" : "s"}`
      : `${Math.ceil(seconds / 60)} minute${Math.ceil(seconds / 60) === 1 ? "" : "s"}`;
  return `Too many failed sign-in attempts. Wait ${wait} and try again.`;
}
