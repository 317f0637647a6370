/**
 * Gives every request an id (answered as X-Request-Id and carried by every log line made while
 * serving it) and logs one line when it ends: method, path (not the query string, which may
 * hold search terms), status, time taken, bytes sent (headers included) and, when it had to wait for a render slot, how long. Static files are logged at debug level.
 */
import type { NextFunction, Request, Response } from "express";
import { log, newRequestId, runWithRequestId } from "~/utils/log.server";

const UPSTREAM_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestLog() {
  return (req: Request, res: Response, next: NextFunction) => {
    const requestId = newRequestId();
    const started = process.hrtime.bigint();
    // Kept-alive connections carry several requests: count this one's bytes as the difference.
    const bytesBefore = req.socket.bytesWritten;
    res.locals.requestId = requestId;
    res.setHeader("X-Request-Id", requestId);
    const upstream = req.headers["x-request-id"];
    const upstreamId = typeof upstream === "string" && UPSTREAM_ID.test(upstream) ? upstream : undefined;
    res.on("close", () => {
      const line = {
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round(Number(process.hrtime.bigint() - started) / 1e5) / 10,
        bytes: req.socket.bytesWritten - bytesBefore,
        // The client went away before the answer was complete.
        aborted: res.writableFinished ? undefined : true,
        // Time spent waiting for one of the process's render slots, when it had to (render-slots.ts).
        queuedMs: res.locals.queuedMs as number | undefined,
        upstreamId,
      };
      runWithRequestId(requestId, () => {
        if (res.locals.staticAsset) log().debug(line, "request");
        else log().info(line, "request");
      });
    });
    runWithRequestId(requestId, next);
  };
}
