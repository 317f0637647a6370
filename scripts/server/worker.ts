/**
 * One server process: the built app on the shared port (node:cluster hands it connections), and a
 * graceful stop — no new connections, requests in flight may finish (up to the shutdown timeout),
 * then the database pool is closed.
 */
import type { ServerBuild } from "@remix-run/node";
import http from "node:http";
import { pathToFileURL } from "node:url";
import { closeDbHandle } from "~/utils/db.server";
import { createApp } from "./app";
import { serverConfig } from "./config";
import { createHttpServer } from "./http-server";
import { installRouteMatchingCache } from "./route-matching";
import { installStaticRouter } from "./static-router";

export async function runWorker() {
  const config = serverConfig();
  // Before the app loads: Remix and react-router match routes through this from the first request.
  installRouteMatchingCache();
  // Likewise before: RemixServer builds its router through this for every page (static-router.ts).
  installStaticRouter();
  const build = (await import(pathToFileURL(config.buildEntry).href)) as ServerBuild;
  const app = createApp({ build, clientDir: config.clientDir, production: config.production, renderConcurrency: config.renderConcurrency });
  const server = createHttpServer(app);
  const inFlight = new Set<http.ServerResponse>();
  let stopping = false;

  server.on("request", (_req: http.IncomingMessage, res: http.ServerResponse) => {
    inFlight.add(res);
    // Once stopping, a kept-alive connection is closed after its current answer.
    if (stopping) res.setHeader("Connection", "close");
    res.on("close", () => {
      inFlight.delete(res);
      if (stopping) server.closeIdleConnections();
    });
  });

  const stop = async (why: string) => {
    if (stopping) return;
    stopping = true;
    console.error(`[server ${process.pid}] ${why}: finishing ${inFlight.size} request(s) in flight, then stopping.`);
    server.close();
    server.closeIdleConnections();
    const deadline = Date.now() + config.shutdownTimeoutMs;
    while (inFlight.size > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
    if (inFlight.size > 0)
      console.error(
        `[server ${process.pid}] ${inFlight.size} request(s) still running after ${config.shutdownTimeoutMs / 1000} s; closing them.`,
      );
    server.closeAllConnections();
    await closeDbHandle().catch((e) => console.error(`[server ${process.pid}] closing the database:`, e));
    process.exit(0);
  };
  process.on("SIGTERM", () => void stop("SIGTERM"));
  process.on("SIGINT", () => void stop("SIGINT"));
  // The supervisor went away (even kill -9): stop rather than serve unsupervised.
  process.on("disconnect", () => void stop("supervisor gone"));

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => resolve());
  });
  // Background work lives in the built app (it must share the app's job handlers and database
  // handle), which exports a starter from its entry module.
  const entry = build.entry.module as { startBackgroundWork?: () => void };
  entry.startBackgroundWork?.();
}
