/**
 * The HTTP server for the express app, with requests and responses born with express's prototypes.
 *
 * Why: express's first middleware (express/lib/middleware/init.js) gives every request and
 * response its own prototypes with `setPrototypeOf`. On a Node `IncomingMessage` or
 * `ServerResponse` (not on a plain object: V8 caches that change for those) this left every
 * response with a hidden class (V8 map) of its own, new maps for every property added after,
 * and every request's objects alive past two young-generation collections, so they were copied
 * into the old generation for a full collection to free: with a route that only answers "ok",
 * 3.9-4.1 KB a request promoted (3.6-4.6 MB at every scavenge, 99.9% of what survived) against
 * none with plain `http` (docs/performance.md, session 16, "express's prototypes").
 *
 * Here the server constructs them from subclasses whose prototypes are express's own (the same
 * chain: ours, then express's request or response, then Node's), and the app's `request` and
 * `response` are those prototypes, so express's `setPrototypeOf` finds the prototype already in
 * place and changes nothing.
 */
import type { Express } from "express";
import http from "node:http";

/**
 * `proto` (a subclass's prototype) takes the place of the app's `app.request` or `app.response`:
 * the same parent (express's request or response) and the same own properties (`app`).
 */
function adopt(proto: object, current: object) {
  Object.setPrototypeOf(proto, Object.getPrototypeOf(current) as object);
  Object.defineProperties(proto, Object.getOwnPropertyDescriptors(current));
}

export function createHttpServer(app: Express): http.Server {
  class AppRequest extends http.IncomingMessage {}
  class AppResponse extends http.ServerResponse<AppRequest> {}
  adopt(AppRequest.prototype, app.request);
  adopt(AppResponse.prototype, app.response);
  app.request = AppRequest.prototype as unknown as Express["request"];
  app.response = AppResponse.prototype as unknown as Express["response"];
  return http.createServer({ IncomingMessage: AppRequest, ServerResponse: AppResponse }, app);
}
