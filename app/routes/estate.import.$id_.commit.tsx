import type { ActionFunctionArgs } from "@remix-run/node";
import { commitUpload, expectedFromForm, type ImportProgress } from "~/modules/devices/import/commit.server";
import { requireUpload } from "~/modules/devices/import/service.server";
import { getDb } from "~/utils/db.server";
import { AppError } from "~/utils/errors";
import { handle, requirePermission } from "~/utils/permissions.server";
import { logFor } from "~/utils/log.server";

/**
 * Runs a confirmed import and streams its progress as JSON lines (`progress`, then `done` with
 * the run id, or `error` with a message), so the page can show rows written while one
 * transaction does the work. The preview page's own action does the same without streaming.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { user } = await requirePermission(request, "estate.icb:write");
  const form = await request.formData();
  const expected = expectedFromForm(form);
  const id = params.id ?? "";
  await handle(() => requireUpload(getDb(), id, user.id));
  const encoder = new TextEncoder();
  const body = new ReadableStream<Uint8Array>({
    async start(controller) {
      const send = (msg: object) => controller.enqueue(encoder.encode(`${JSON.stringify(msg)}\n`));
      try {
        const result = await commitUpload(getDb(), {
          id,
          user,
          expected,
          onProgress: (p: ImportProgress) => send({ type: "progress", ...p }),
        });
        send({ type: "done", runId: result.runId, counts: result.counts });
      } catch (e) {
        if (!(e instanceof AppError)) logFor("device-import").error({ err: e, importId: id }, "device import failed");
        send({ type: "error", message: e instanceof AppError ? e.message : "Sorry, the import failed and nothing was saved. Please try again." });
      }
      controller.close();
    },
  });
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      // Keep proxies and compression from holding progress lines back.
      "Cache-Control": "no-store, no-transform",
      "X-Accel-Buffering": "no",
    },
  });
}
