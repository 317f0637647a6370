import { DEVICE_EXPORT } from "~/modules/devices/export.server";
import { FUNDING_EXPORT } from "~/modules/funding/export.server";
import { GAP_EXPORT } from "~/modules/gaps/export.server";
import type { ExportProducer } from "./export-thread.server";

/**
 * The streamed exports an export thread can run, by name (export.worker.ts). Only the thread
 * imports this list: the main thread runs a producer it holds itself, so these modules never
 * import it back. The ICB dashboard's export is not here: it is built in memory from the
 * dashboard's own figures (a few hundred rows), not streamed.
 */
export const EXPORT_PRODUCERS: ReadonlyMap<string, ExportProducer<never>> = new Map(
  ([GAP_EXPORT, DEVICE_EXPORT, FUNDING_EXPORT] as ExportProducer<never>[]).map((p) => [p.name, p]),
);
