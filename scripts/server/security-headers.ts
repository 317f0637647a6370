/**
 * Security headers on every response, and the per-request CSP nonce that Remix's inline scripts
 * carry (app/entry.server.tsx reads it from the load context as `cspNonce`).
 */
import type { NextFunction, Request, Response } from "express";
import { randomBytes } from "node:crypto";
import type { ServerResponse } from "node:http";

/** The session cookie's name (app/modules/auth/session.server.ts). */
const SESSION_COOKIE = "__session";

export const nonceOf = (res: Response): string => res.locals.cspNonce as string;

/**
 * Scripts and styles only from this origin, plus inline scripts carrying this response's nonce
 * (Remix's hydration data and module loader). No style="" attributes: the app uses classes.
 * NHS.UK's Frutiger font comes from assets.nhs.uk, as nhsuk-frontend's stylesheet asks.
 */
export function contentSecurityPolicy(nonce: string): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}'`,
    `style-src 'self' 'nonce-${nonce}'`,
    "img-src 'self' data:",
    "font-src 'self' https://assets.nhs.uk",
    "connect-src 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    "base-uri 'none'",
    "object-src 'none'",
  ].join("; ");
}

const PERMISSIONS_POLICY = [
  "accelerometer=()",
  "autoplay=()",
  "browsing-topics=()",
  "camera=()",
  "display-capture=()",
  "geolocation=()",
  "gyroscope=()",
  "magnetometer=()",
  "microphone=()",
  "midi=()",
  "payment=()",
  "usb=()",
].join(", ");

export function hasSessionCookie(req: Request): boolean {
  return (req.headers.cookie ?? "").split(";").some((c) => c.trim().startsWith(`${SESSION_COOKIE}=`));
}

/**
 * Runs `fn` just before the status line and headers are written, whoever writes them (Remix,
 * express.static, an error page), so a late decision can still change a header.
 */
function beforeHeaders(res: ServerResponse, fn: () => void) {
  const writeHead = res.writeHead;
  res.writeHead = function (this: ServerResponse, ...args: Parameters<ServerResponse["writeHead"]>) {
    fn();
    return writeHead.apply(this, args);
  } as ServerResponse["writeHead"];
}

export function securityHeaders({ production }: { production: boolean }) {
  return (req: Request, res: Response, next: NextFunction) => {
    const nonce = randomBytes(16).toString("base64");
    res.locals.cspNonce = nonce;
    res.setHeader("Content-Security-Policy", contentSecurityPolicy(nonce));
    res.setHeader("X-Frame-Options", "DENY");
    res.setHeader("X-Content-Type-Options", "nosniff");
    res.setHeader("Referrer-Policy", "same-origin");
    res.setHeader("Permissions-Policy", PERMISSIONS_POLICY);
    res.setHeader("Cross-Origin-Opener-Policy", "same-origin");
    // Browsers ignore HSTS over plain http, but a local http server has no business sending it.
    if (production) res.setHeader("Strict-Transport-Security", "max-age=31536000; includeSubDomains");
    const signedIn = hasSessionCookie(req);
    beforeHeaders(res, () => {
      // Anything answered to a signed-in browser may hold estate data, and every HTML page names
      // the user: neither may be kept by the browser or a shared cache. Static assets (no cookie
      // needed, hashed names) keep the long cache express.static gives them.
      const type = String(res.getHeader("Content-Type") ?? "");
      const isStatic = res.locals.staticAsset === true;
      if (!isStatic && (signedIn || type.startsWith("text/html"))) res.setHeader("Cache-Control", "no-store");
    });
    next();
  };
}
