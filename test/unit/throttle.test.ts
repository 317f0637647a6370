import { describe, expect, it } from "vitest";
import { THROTTLE, throttledMessage, waitSeconds } from "~/modules/auth/throttle";

const t0 = new Date("2026-12-03T12:00:00Z");
const at = (ms: number) => new Date(t0.getTime() + ms);

describe("waitSeconds", () => {
  it("lets the first `free` failures through without a wait", () => {
    for (let n = 0; n < THROTTLE.account.free; n++) expect(waitSeconds({ failures: n, lastFailureAt: t0 }, THROTTLE.account, t0)).toBe(0);
  });

  it("then doubles the wait after the latest failure: 1, 2, 4, 8 … seconds", () => {
    const f = THROTTLE.account.free;
    expect([0, 1, 2, 3, 4].map((k) => waitSeconds({ failures: f + k, lastFailureAt: t0 }, THROTTLE.account, t0))).toEqual([1, 2, 4, 8, 16]);
  });

  it("counts down as time passes and is 0 once the delay is over", () => {
    const b = { failures: THROTTLE.account.free + 2, lastFailureAt: t0 };
    expect(waitSeconds(b, THROTTLE.account, at(1500))).toBe(3);
    expect(waitSeconds(b, THROTTLE.account, at(4000))).toBe(0);
  });

  it("never exceeds the cap, however many failures", () => {
    expect(waitSeconds({ failures: 10_000, lastFailureAt: t0 }, THROTTLE.account, t0)).toBe(THROTTLE.account.maxDelaySeconds);
    expect(waitSeconds({ failures: 10_000, lastFailureAt: t0 }, THROTTLE.client, t0)).toBe(THROTTLE.client.maxDelaySeconds);
  });
});

describe("throttledMessage", () => {
  it("says how long to wait in seconds or whole minutes", () => {
    expect(throttledMessage(1)).toBe("Too many failed sign-in attempts. Wait 1 second and try again.");
    expect(throttledMessage(32)).toBe("Too many failed sign-in attempts. Wait 32 seconds and try again.");
    expect(throttledMessage(60)).toBe("Too many failed sign-in attempts. Wait 1 minute and try again.");
    expect(throttledMessage(299)).toBe("Too many failed sign-in attempts. Wait 5 minutes and try again.");
  });
});
