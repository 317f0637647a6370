/**
 * The production HTTP app: the built Remix app behind the defences every request passes first.
 * Order matters: the peer address and security headers apply to everything (static files and
 * the server's own error pages too); bad URLs and cross-site posts are refused before a body is
 * read; the body limit applies while Remix reads it.
 */
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express, { type NextFunction, type Request, type Response } from "express";
import path from "node:path";
import { containsNul, isApiPath } from "./body-limit";
import { findStylesheet, sendErrorPage } from "./error-page";
import { remixHandler } from "./remix-handler";
import { RenderSlots } from "./render-slots";
import { requestLog } from "./request-log";
import { log } from "~/utils/log.server";
import { securityHeaders } from "./security-headers";

/** Read by clientAddress() (app/modules/auth/session.server.ts) as the address the connection came from. */
export const PEER_ADDRESS_HEADER = "x-estate-peer-address";

const UNSAFE_METHODS = new Set(["POST", "PUT", "PATCH", "DELETE"]);

export interface AppOptions {
  build: ServerBuild;
  /** build/client: hashed assets under /assets, and the public files. */
  clientDir: string;
  production: boolean;
  /** Requests in Remix at once in this process (render-slots.ts); unbounded when absent. */
  renderConcurrency?: number;
}

export function createApp({ build, clientDir, production, renderConcurrency }: AppOptions) {
  const stylesheet = findStylesheet(clientDir);
  const app = express();
  app.disable("x-powered-by");
  app.use(requestLog());

  // Only the socket knows who connected; a client-sent header of this name is a forgery.
  app.use((req, _res, next) => {
    delete req.headers[PEER_ADDRESS_HEADER];
    const peer = req.socket.remoteAddress;
    if (peer) req.headers[PEER_ADDRESS_HEADER] = peer;
    next();
  });

  app.use(securityHeaders({ production }));

  // PostgreSQL refuses NUL in text, so a %00 anywhere in the address would end as a 500.
  app.use((req, res, next) => {
    if (!containsNul(req.originalUrl)) return next();
    sendErrorPage(
      req,
      res,
      {
        status: 400,
        title: "There is a problem with the web address",
        message: "The web address contains a NUL character (%00), which this service does not accept. Check the link and try again.",
      },
      stylesheet,
    );
  });

  app.use(compression());

  const markStatic = (res: express.Response) => {
    res.locals.staticAsset = true;
  };
  // Vite puts a content hash in every file name under /assets, so they never change.
  app.use(
    "/assets",
    express.static(path.join(clientDir, "assets"), {
      immutable: true,
      maxAge: "1y",
      index: false,
      setHeaders: markStatic,
      fallthrough: true,
    }),
  );
  app.use(express.static(clientDir, { maxAge: "1h", index: false, setHeaders: markStatic }));

  // Remix refuses a post whose Origin is not this host by throwing, which became a bare 500.
  // The same comparison (X-Forwarded-Host, else Host) here gives the proper 403 page instead.
  app.use((req, res, next) => {
    if (!UNSAFE_METHODS.has(req.method)) return next();
    // The API authenticates with a bearer token that no browser sends by itself, never with the
    // session cookie, so a post from another origin carries no credential to abuse (and gets 401).
    if (isApiPath(req.path)) return next();
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    const forwardedHost = String(req.headers["x-forwarded-host"] ?? "")
      .split(",")[0]
      ?.trim();
    const host = forwardedHost || req.headers.host;
    let originHost: string | undefined;
    try {
      originHost = origin === "null" ? undefined : new URL(origin).host;
    } catch {
      originHost = undefined;
    }
    if (originHost && originHost === host) return next();
    sendErrorPage(
      req,
      res,
      {
        status: 403,
        title: "You do not have access to this page",
        message: "This request came from another site and was refused. Nothing was saved.",
      },
      stylesheet,
    );
  });

  const slots = renderConcurrency ? new RenderSlots(renderConcurrency) : undefined;
  app.all("*", remixHandler({ build, mode: production ? "production" : "development", stylesheet, slots }));

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    log().error({ err: error, method: req.method, path: req.path }, "unhandled error");
    sendErrorPage(
      req,
      res,
      {
        status: 500,
        title: "Sorry, there is a problem with the service",
        message: `Please try again later. If the problem continues, contact your system administrator and quote reference ${String(res.locals.requestId ?? "none")}.`,
      },
      stylesheet,
    );
  });

  return app;
}
