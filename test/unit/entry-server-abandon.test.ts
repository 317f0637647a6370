/**
 * app/entry.server.tsx gives up on a render still streaming after streamTimeout, and lets go of
 * that timer once React has nothing left to render: left to run, the timer held the whole request
 * (React's render, every loader's data) for six seconds after the page was sent, which promoted
 * it all into the old generation (docs/performance.md, session 15, "what each request leaves
 * behind"). React itself is replaced here by a stand-in that records the options it is given.
 */
import type { AppLoadContext, EntryContext } from "@remix-run/node";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";

const react = vi.hoisted(() => ({
  options: {} as { onShellReady?: () => void; onAllReady?: () => void; onShellError?: (e: unknown) => void },
  abort: vi.fn(),
  pipe: vi.fn(),
}));
vi.mock("react-dom/server", () => ({
  renderToPipeableStream: (_element: unknown, options: typeof react.options) => {
    react.options = options;
    return { pipe: react.pipe, abort: react.abort };
  },
}));
vi.mock("~/modules/jobs/start.server", () => ({ ensureJobWorker: () => {} }));

const { default: handleRequest, streamTimeout } = await import("~/entry.server");

const BROWSER = "Mozilla/5.0 (Windows NT 10.0; Win64; x64; rv:133.0) Gecko/20100101 Firefox/133.0";
const CRAWLER = "Googlebot/2.1 (+http://www.google.com/bot.html)";

function render(userAgent: string) {
  const request = new Request("http://localhost/practices/A81001", { headers: { "user-agent": userAgent } });
  const context = { isSpaMode: false } as unknown as EntryContext;
  return handleRequest(request, 200, new Headers(), context, { cspNonce: "n" } as AppLoadContext);
}

describe("the entry's timer that abandons a render", () => {
  beforeEach(() => {
    vi.useFakeTimers();
    react.abort.mockClear();
    react.pipe.mockClear();
  });
  afterEach(() => vi.useRealTimers());

  it("is let go once a browser's page has nothing left to render", async () => {
    const answer = render(BROWSER);
    expect(vi.getTimerCount()).toBe(1);
    react.options.onShellReady!();
    expect((await answer).status).toBe(200);
    expect(react.pipe).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(1);
    react.options.onAllReady!();
    expect(vi.getTimerCount()).toBe(0);
    vi.advanceTimersByTime(streamTimeout * 2);
    expect(react.abort).not.toHaveBeenCalled();
  });

  it("still abandons a render that is not done after streamTimeout and a second", async () => {
    const answer = render(BROWSER);
    react.options.onShellReady!();
    await answer;
    vi.advanceTimersByTime(streamTimeout + 999);
    expect(react.abort).not.toHaveBeenCalled();
    vi.advanceTimersByTime(1);
    expect(react.abort).toHaveBeenCalledTimes(1);
  });

  it("sends a crawler the whole page once all is ready, and lets the timer go", async () => {
    const answer = render(CRAWLER);
    expect(react.options.onShellReady).toBeUndefined();
    react.options.onAllReady!();
    expect((await answer).status).toBe(200);
    expect(react.pipe).toHaveBeenCalledTimes(1);
    expect(vi.getTimerCount()).toBe(0);
  });

  it("lets the timer go when the shell fails", async () => {
    const answer = render(BROWSER);
    react.options.onShellError!(new Error("shell"));
    await expect(answer).rejects.toThrow("shell");
    expect(vi.getTimerCount()).toBe(0);
  });
});
