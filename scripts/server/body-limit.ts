/**
 * Request body limits, per route, enforced while the body arrives: a declared Content-Length over
 * the limit is refused before a byte is read, and a chunked body is counted as it streams and cut
 * off at the limit. Without this a 400 MB anonymous POST to /sign-in was parsed whole.
 */
import type { Request } from "express";
import { Readable } from "node:stream";
import { MAX_UPLOAD_MB } from "~/modules/devices/import/limits";

const KB = 1024;
const MB = 1024 * KB;

/** Sign-in takes an email, a password and where to go next. */
export const SIGN_IN_BODY_LIMIT = 64 * KB;
/** Every other form: the largest (an ICB's local policy, an assessment) are a few KB. */
export const FORM_BODY_LIMIT = 1 * MB;
/** The spreadsheet uploads: the app's own file limit plus room for the multipart wrapping, so a
 * file just over the app's limit still gets the import page's own message. */
export const UPLOAD_BODY_LIMIT = (MAX_UPLOAD_MB + 1) * MB;

/** /api/v1 JSON bodies: a devices push of a few thousand rows; the route checks its own, smaller limits too. */
export const API_BODY_LIMIT = 5 * MB;

/** The token-authenticated API (app/routes/api.v1.*): JSON in, JSON out, problem details for errors. */
export const isApiPath = (pathname: string) => /^\/api\/v1(\/|$)/.test(pathname);

/** Remix single fetch posts a route's form to the same path with ".data" added. */
const ROUTE_LIMITS: { path: RegExp; limit: number }[] = [
  { path: /^\/sign-in(\.data)?\/?$/, limit: SIGN_IN_BODY_LIMIT },
  { path: /^\/estate\/import(\.data)?\/?$/, limit: UPLOAD_BODY_LIMIT },
  { path: /^\/practices\/[^/]+\/paper\/import(\.data)?\/?$/, limit: UPLOAD_BODY_LIMIT },
  { path: /^\/api\/v1\//, limit: API_BODY_LIMIT },
];

export function bodyLimitFor(pathname: string): number {
  return ROUTE_LIMITS.find((r) => r.path.test(pathname))?.limit ?? FORM_BODY_LIMIT;
}

export function formatBytes(bytes: number): string {
  return bytes >= MB ? `${Math.round((bytes / MB) * 10) / 10} MB` : `${Math.round(bytes / KB)} KB`;
}

export class BodyTooLarge extends Error {
  constructor(readonly limit: number) {
    super(`Request body over the ${formatBytes(limit)} limit; the request was refused with 413.`);
    this.name = "BodyTooLarge";
  }
}

/** True when the declared Content-Length is already over the limit. */
export function declaredTooLarge(req: Request, limit: number): boolean {
  const declared = req.headers["content-length"];
  return declared !== undefined && Number(declared) > limit;
}

/**
 * Passes the body on as a stream, counting it. At the limit the stream fails (so the route
 * stops reading), `onTooLarge` answers 413, and the rest of the body is discarded unread.
 */
export function limitedStream(req: Request, limit: number, onTooLarge: () => void): Readable {
  let seen = 0;
  const out = new Readable({
    read() {
      req.resume();
    },
  });
  const onData = (chunk: Buffer) => {
    seen += chunk.length;
    if (seen > limit) {
      stopReading(req);
      onTooLarge();
      out.destroy(new BodyTooLarge(limit));
      return;
    }
    if (!out.push(chunk)) req.pause();
  };
  req.on("data", onData);
  req.once("end", () => out.push(null));
  req.once("error", (e) => out.destroy(e));
  req.once("aborted", () => out.destroy(new Error("The client closed the connection while sending the body.")));
  return out;
}

/** Reads a whole (small) body, or returns null as soon as it passes the limit. */
export function readLimited(req: Request, limit: number): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let seen = 0;
    const onData = (chunk: Buffer) => {
      seen += chunk.length;
      if (seen > limit) {
        stopReading(req);
        resolve(null);
        return;
      }
      chunks.push(chunk);
    };
    req.on("data", onData);
    req.once("end", () => resolve(Buffer.concat(chunks)));
    req.once("error", reject);
    req.once("aborted", () => reject(new Error("The client closed the connection while sending the body.")));
  });
}

/** Drops our listeners and lets the rest of the body drain into nothing until the socket closes. */
function stopReading(req: Request) {
  req.removeAllListeners("data");
  req.resume();
}

/** A url-encoded NUL ("%00") or a raw NUL byte: PostgreSQL rejects NUL in text, so we refuse it first. */
export function containsNul(text: Buffer | string): boolean {
  const s = typeof text === "string" ? text : text.toString("latin1");
  return s.includes("%00") || s.includes("\0");
}

export const isUrlEncodedForm = (req: Request) => /^application\/x-www-form-urlencoded\b/i.test(req.headers["content-type"] ?? "");
