/**
 * Hands requests to Remix, like @remix-run/express's handler, but with the body passed through
 * the per-route size limit (and url-encoded forms checked for NUL) and the CSP nonce in the load
 * context.
 */
import { createReadableStreamFromReadable, createRequestHandler, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, Response } from "express";
import {
  bodyLimitFor,
  containsNul,
  declaredTooLarge,
  formatBytes,
  isApiPath,
  isUrlEncodedForm,
  limitedStream,
  readLimited,
} from "./body-limit";
import { sendErrorPage } from "./error-page";
import { waitsForSlot, type RenderSlots } from "./render-slots";
import { sendBody } from "./send-body";
import { nonceOf } from "./security-headers";

function remixHeaders(incoming: Request["headers"]): Headers {
  const headers = new Headers();
  for (const [key, value] of Object.entries(incoming)) {
    if (Array.isArray(value)) for (const v of value) headers.append(key, v);
    else if (value !== undefined) headers.set(key, value);
  }
  return headers;
}

/**
 * An error a response body may fail with before anything was sent, answered with its own status
 * and message rather than a 500: an export that waited too long for its turn (503, with
 * Retry-After; utils/export-thread.server.ts's ExportBusyError). Read by its fields: the class
 * lives in the app's build, which is bundled apart from this server.
 */
export function refusalOf(error: unknown): { status: number; title: string; message: string; retryAfterSeconds?: number } | null {
  if (!(error instanceof Error)) return null;
  const e = error as Error & { status?: unknown; title?: unknown; retryAfterSeconds?: unknown };
  if (typeof e.status !== "number" || e.status < 400 || e.status > 599 || typeof e.title !== "string") return null;
  return {
    status: e.status,
    title: e.title,
    message: e.message,
    retryAfterSeconds: typeof e.retryAfterSeconds === "number" ? e.retryAfterSeconds : undefined,
  };
}

/**
 * As @remix-run/express sends it: status, headers (appended to ours), then the streamed body. A
 * body that fails before anything has gone out leaves the response as it found it (no download
 * headers), so the error can still be answered with a status of its own.
 */
export async function sendRemixResponse(res: Response, response: globalThis.Response) {
  const before = res.getHeaders();
  res.statusMessage = response.statusText;
  res.status(response.status);
  for (const [key, value] of response.headers.entries()) res.append(key, value);
  if (/text\/event-stream/i.test(response.headers.get("Content-Type") ?? "")) res.flushHeaders();
  if (!response.body) return void res.end();
  try {
    await sendBody(res, response.body);
  } catch (error) {
    if (!res.headersSent) {
      for (const name of res.getHeaderNames()) res.removeHeader(name);
      for (const [name, value] of Object.entries(before)) if (value !== undefined) res.setHeader(name, value);
      res.statusMessage = "";
    }
    throw error;
  }
}

/**
 * Sends Remix's answer; a body refused before its first byte (refusalOf) becomes that status's
 * error page. Other failures are thrown: before anything was sent they still can be answered (the
 * caller's 500 page); after, the connection has been destroyed.
 */
export async function sendAnswer(req: Request, res: Response, response: globalThis.Response, stylesheet: string | undefined) {
  try {
    await sendRemixResponse(res, response);
  } catch (error) {
    const refusal = res.headersSent ? null : refusalOf(error);
    if (!refusal) throw error;
    if (refusal.retryAfterSeconds !== undefined) res.setHeader("Retry-After", String(refusal.retryAfterSeconds));
    sendErrorPage(req, res, refusal, stylesheet);
  }
}

const UPLOAD_HINT = "Nothing was saved. If it is a spreadsheet, split it into smaller files and upload each one.";

export function remixHandler({
  build,
  mode,
  stylesheet,
  slots,
}: {
  build: ServerBuild;
  mode: string;
  stylesheet: string | undefined;
  /** How many requests may be in Remix at once (the rest wait in order); unbounded without. */
  slots?: RenderSlots;
}) {
  const handleRequest = createRequestHandler(build, mode);

  const tooLarge = (req: Request, res: Response, limit: number) =>
    isApiPath(req.path)
      ? void res
          .status(413)
          .type("application/problem+json")
          .send(
            JSON.stringify({
              type: "/api-docs#problem-too-large",
              title: "The request body is too large",
              status: 413,
              detail: `The body may be at most ${formatBytes(limit)}. Nothing was changed.`,
            }),
          )
      : sendErrorPage(
          req,
          res,
          {
            status: 413,
            title: "What you sent is too large",
            message: `This page accepts at most ${formatBytes(limit)}. ${limit > 1024 * 1024 ? UPLOAD_HINT : "Nothing was saved. Go back and try again."}`,
          },
          stylesheet,
        );

  return async (req: Request, res: Response, next: NextFunction) => {
    try {
      let body: Buffer | ReadableStream<Uint8Array> | undefined;
      if (req.method !== "GET" && req.method !== "HEAD") {
        const limit = bodyLimitFor(req.path);
        if (declaredTooLarge(req, limit)) return tooLarge(req, res, limit);
        if (isUrlEncodedForm(req)) {
          // Forms are small (the limit says so): read them whole, so a NUL can be refused before any code sees it.
          const form = await readLimited(req, limit);
          if (!form) return tooLarge(req, res, limit);
          if (containsNul(form)) {
            return sendErrorPage(
              req,
              res,
              {
                status: 400,
                title: "The form could not be read",
                message:
                  "A field contained a NUL character (%00), which this service does not accept. Nothing was saved. Go back, remove it and try again.",
              },
              stylesheet,
            );
          }
          body = form;
        } else {
          body = createReadableStreamFromReadable(limitedStream(req, limit, () => tooLarge(req, res, limit)));
        }
      }
      const controller = new AbortController();
      // Stop loaders and actions once the client has gone and nothing can be sent any more.
      res.on("close", () => {
        if (!res.writableFinished) controller.abort();
      });
      const request = new globalThis.Request(new URL(req.originalUrl, `${req.protocol}://${req.get("host") ?? "localhost"}`), {
        method: req.method,
        headers: remixHeaders(req.headers),
        signal: controller.signal,
        ...(body ? { body, duplex: "half" } : {}),
      } as RequestInit);
      const context = { cspNonce: nonceOf(res), requestId: res.locals.requestId as string | undefined };
      // The slot is held until Remix answers: by then the loaders have run and the page's shell is
      // rendered; sending it (and any download's stream) happens outside the bound.
      let response: globalThis.Response | null;
      if (slots && waitsForSlot(req.method)) {
        const queuedAt = slots.active >= slots.limit ? performance.now() : null;
        response = await slots.run(async () => {
          // The request log says how long it waited for a slot (render-slots.ts).
          if (queuedAt !== null) res.locals.queuedMs = Math.round((performance.now() - queuedAt) * 10) / 10;
          // The client gave up while it waited: nothing can be sent, so nothing is worked out.
          return controller.signal.aborted ? null : handleRequest(request, context);
        });
      } else {
        response = await handleRequest(request, context);
      }
      // Already answered (413 while the body streamed), or nobody left to answer.
      if (!response || res.headersSent) return;
      await sendAnswer(req, res, response, stylesheet);
    } catch (error) {
      if (res.headersSent) return;
      next(error);
    }
  };
}
