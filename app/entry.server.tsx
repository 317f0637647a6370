/**
 * Remix's default Node entry, plus the Content-Security-Policy nonce: the server
 * (scripts/server/security-headers.ts) puts a fresh nonce in the load context for every request,
 * and its CSP header allows inline scripts carrying exactly that nonce.
 */
import type { ActionFunctionArgs, AppLoadContext, EntryContext, LoaderFunctionArgs } from "@remix-run/node";
import { createReadableStreamFromReadable } from "@remix-run/node";
import { RemixServer } from "@remix-run/react";
import { isbot } from "isbot";
import { renderToPipeableStream } from "react-dom/server";
import { ensureJobWorker } from "~/modules/jobs/start.server";
import { DropNulBytes } from "~/utils/drop-nul.server";
import { log } from "~/utils/log.server";
import { NonceProvider } from "~/utils/nonce";

declare module "@remix-run/node" {
  interface AppLoadContext {
    /** Per-request CSP nonce; absent in `npm run dev`, which sends no CSP. */
    cspNonce?: string;
    /** The id the production server gave this request (X-Request-Id); absent in `npm run dev`. */
    requestId?: string;
  }
}

/** Called by the production server (scripts/server/worker.ts) once it listens: jobs and housekeeping. */
export function startBackgroundWork() {
  ensureJobWorker();
}

/**
 * Remix calls this for every error thrown by a loader, action or render. A client that went away
 * (the request's signal aborted) is not an error of ours; everything else is logged once, with the
 * request id the production server set (log() finds it in the request's async context).
 */
export function handleError(error: unknown, { request }: LoaderFunctionArgs | ActionFunctionArgs) {
  if (request.signal.aborted) return;
  const url = new URL(request.url);
  log().error({ err: error, method: request.method, path: url.pathname }, "error in a loader, action or render");
}

/** How long deferred data may stream before the render is abandoned (Remix single fetch reads this). */
export const streamTimeout = 5_000;

export default function handleRequest(
  request: Request,
  responseStatusCode: number,
  responseHeaders: Headers,
  remixContext: EntryContext,
  loadContext: AppLoadContext,
) {
  const nonce = loadContext.cspNonce;
  // Crawlers and SPA mode get the whole document at once; browsers get the shell as soon as it is ready.
  const waitForAll = isbot(request.headers.get("user-agent") ?? "") || remixContext.isSpaMode;
  return new Promise<Response>((resolve, reject) => {
    let shellRendered = false;
    // The timer that abandons a render still streaming after streamTimeout. It is cleared once
    // React has nothing left to render (or gave up): left to run, its `abort` closure held the
    // whole request (React's render, Remix's context with every loader's data, the response's
    // stream) for six seconds after the page was sent, long enough for two scavenges to copy it
    // all into the old generation, about 280 KB a request that only a full collection freed
    // (docs/performance.md, session 15, "what each request leaves behind").
    let settled = false;
    let abandon: ReturnType<typeof setTimeout> | undefined;
    const settle = () => {
      settled = true;
      clearTimeout(abandon);
    };
    const ready = () => {
      shellRendered = true;
      // Without the stray NUL bytes React 18.3.1 writes at some buffer boundaries (drop-nul.server.ts).
      const body = new DropNulBytes();
      responseHeaders.set("Content-Type", "text/html");
      resolve(new Response(createReadableStreamFromReadable(body), { headers: responseHeaders, status: responseStatusCode }));
      pipe(body);
    };
    const { pipe, abort } = renderToPipeableStream(
      <NonceProvider value={nonce}>
        <RemixServer context={remixContext} url={request.url} nonce={nonce} />
      </NonceProvider>,
      {
        nonce,
        ...(waitForAll ? {} : { onShellReady: ready }),
        onAllReady() {
          settle();
          if (waitForAll) ready();
        },
        onShellError(error: unknown) {
          settle();
          reject(error);
        },
        onError(error: unknown) {
          responseStatusCode = 500;
          // Errors before the shell are logged by Remix's handleDocumentRequest; these are later ones.
          if (shellRendered) log().error({ err: error }, "error while streaming a page");
        },
      },
    );
    // Give up on streaming after streamTimeout, leaving time for rejected promises to reach the client.
    if (!settled) abandon = setTimeout(abort, streamTimeout + 1000);
  });
}
