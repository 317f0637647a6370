/**
 * The production server's HTTP server (scripts/server/http-server.ts) must construct requests and
 * responses with express's prototypes already in place, so express's own `setPrototypeOf` changes
 * nothing (a changed prototype gave every response a hidden class of its own and kept every
 * request's objects past two young-generation collections: docs/performance.md, session 16).
 */
import express from "express";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { createHttpServer } from "../../scripts/server/http-server";

let server: http.Server | undefined;

afterEach(async () => {
  server?.closeAllConnections();
  await new Promise((r) => server?.close(r));
  server = undefined;
});

function get(port: number, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: "127.0.0.1", port, path }, (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (c: string) => (body += c));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      })
      .on("error", reject);
  });
}

describe("createHttpServer", () => {
  it("gives requests and responses express's prototypes from the start, and express still works", async () => {
    const app = express();
    app.get("/hello", (req, res) => {
      res
        .status(201)
        .type("text/plain")
        .send(`${req.query.name as string} ${req.app === app}`);
    });
    const arrived: { req: object; res: object }[] = [];
    server = createHttpServer(app);
    // Before express's own listener: what the server constructed, before express touched it.
    server.prependListener("request", (req, res) =>
      arrived.push({ req: Object.getPrototypeOf(req) as object, res: Object.getPrototypeOf(res) as object }),
    );
    await new Promise<void>((r) => server!.listen(0, "127.0.0.1", () => r()));
    const { port } = server.address() as AddressInfo;

    const answer = await get(port, "/hello?name=x");
    expect(answer).toEqual({ status: 201, body: "x true" });
    expect(arrived).toHaveLength(1);
    expect(arrived[0].req).toBe(app.request);
    expect(arrived[0].res).toBe(app.response);
    // The same chain as express's own: its request and response, then Node's.
    expect(Object.getPrototypeOf(app.request)).toBe(express.request);
    expect(Object.getPrototypeOf(app.response)).toBe(express.response);
    expect(Object.getPrototypeOf(express.request)).toBe(http.IncomingMessage.prototype);
    expect((app.request as unknown as { app: unknown }).app).toBe(app);
    expect((app.response as unknown as { app: unknown }).app).toBe(app);
    // Express's response methods still answer (404 for an unknown path via its final handler).
    expect((await get(port, "/nothing")).status).toBe(404);
  });
});
