/**
 * Pages the server answers itself, before a request reaches Remix (body too large, NUL bytes,
 * a form posted from another site): the NHS.UK header and typography, the built nhsuk-frontend
 * stylesheet, and one plain sentence about what happened. Clients that do not ask for HTML get
 * the same message as JSON.
 */
import { writeReadableStreamToWritable } from "@remix-run/node";
import { UNSAFE_ErrorResponseImpl as ErrorResponseImpl } from "@remix-run/router";
// Remix's own encoder for single-fetch answers: the same one its server uses for a thrown Response.
import { encodeViaTurboStream } from "@remix-run/server-runtime/dist/single-fetch.js";
import { ServerMode } from "@remix-run/server-runtime/dist/mode.js";
import type { Request, Response } from "express";
import fs from "node:fs";
import path from "node:path";

const SERVICE_NAME = "GP digital estate";

const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

/** The hashed nhsuk-frontend stylesheet in the client build (found once at start-up), if any. */
export function findStylesheet(clientDir: string): string | undefined {
  const assets = path.join(clientDir, "assets");
  if (!fs.existsSync(assets)) return undefined;
  const css = fs.readdirSync(assets).find((f) => /^nhsuk-frontend\.min-[\w-]+\.css$/.test(f));
  return css ? `/assets/${css}` : undefined;
}

export interface ErrorPage {
  status: number;
  title: string;
  message: string;
}

export function renderErrorPage(page: ErrorPage, stylesheet: string | undefined): string {
  return `<!DOCTYPE html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(page.title)} – ${SERVICE_NAME}</title>
${stylesheet ? `<link rel="stylesheet" href="${stylesheet}">` : ""}
</head>
<body>
<header class="nhsuk-header" role="banner">
  <div class="nhsuk-header__container nhsuk-width-container">
    <div class="nhsuk-header__service">
      <a class="nhsuk-header__service-logo" href="/" aria-label="NHS ${SERVICE_NAME} homepage">
        <svg class="nhsuk-header__logo" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 80" height="40" width="100" focusable="false" role="img" aria-label="NHS"><title>NHS</title><path fill="currentcolor" d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"/></svg>
        <span class="nhsuk-header__service-name">${SERVICE_NAME}</span>
      </a>
    </div>
  </div>
</header>
<div class="nhsuk-width-container">
  <main class="nhsuk-main-wrapper" id="maincontent" role="main">
    <h1>${escapeHtml(page.title)}</h1>
    <p>${escapeHtml(page.message)}</p>
    <p><a href="/">Go to the home page</a></p>
  </main>
</div>
</body>
</html>
`;
}

/**
 * Sends the page (or JSON). A refused request may still be sending its body: the connection is
 * closed after the answer so the rest of the body is never read.
 */
export function sendErrorPage(req: Request, res: Response, page: ErrorPage, stylesheet: string | undefined) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const hasBody = req.headers["transfer-encoding"] !== undefined || Number(req.headers["content-length"] ?? 0) > 0;
  if (hasBody && !req.readableEnded) res.setHeader("Connection", "close");
  res.status(page.status);
  if (req.path.endsWith(".data")) return sendSingleFetchError(req, res, page);
  // Browsers (and anything that accepts */*) get the page; API clients asking for JSON get JSON.
  if (req.accepts(["html", "json"]) !== "json") {
    res.type("html").send(renderErrorPage(page, stylesheet));
  } else {
    res.json({ status: page.status, message: page.message });
  }
}

const STATUS_TEXT: Record<number, string> = {
  400: "Bad Request",
  403: "Forbidden",
  413: "Payload Too Large",
  500: "Internal Server Error",
  503: "Service Unavailable",
};

/**
 * A Remix <Form> or fetcher posts to "<path>.data" and can only read Remix's single-fetch
 * encoding. Answered in it, the refusal reaches the route's error boundary as a normal error
 * response (status and message) instead of "Unable to decode turbo-stream response".
 * An action expects one result; a loader request expects results per route (the root's
 * boundary shows it).
 */
function sendSingleFetchError(req: Request, res: Response, page: ErrorPage) {
  const error = new ErrorResponseImpl(page.status, STATUS_TEXT[page.status] ?? "", { message: page.message });
  const result = req.method === "GET" || req.method === "HEAD" ? { root: { error } } : { error };
  res.setHeader("Content-Type", "text/x-script");
  res.setHeader("X-Remix-Response", "yes");
  const controller = new AbortController();
  void writeReadableStreamToWritable(encodeViaTurboStream(result, controller.signal, undefined, ServerMode.Production), res).catch(() =>
    res.destroy(),
  );
}
