import { CONTRACT_EXPORT } from "~/modules/contracts/export.server";
import { DEVICE_EXPORT } from "~/modules/devices/export.server";
import { FUNDING_EXPORT } from "~/modules/funding/export.server";
import { GAP_EXPORT } from "~/modules/gaps/export.server";
import type { ExportProducer } from "./export-thread.server";

/**
 * The streamed exports an export thread can run, by name (export.worker.ts). Only the thread
 * imports this list: the main thread runs a producer it holds itself, so these modules never
 * import it back.
 *
 * Not here, and run in-process on purpose: the ICB dashboard's export (built in memory from the
 * dashboard's own figures, a few hundred cells, the page's work again), the ICB and PCN paper and
 * carbon export (one ranked row per practice of one ICB, at most a few hundred, ranked in memory
 * as the page is), and one practice's registers (telephony, sites, digital services, paper,
 * devices, contracts: a handful of rows each). Only exports whose rows grow with a whole ICB or
 * England stream from a thread.
 */
export const EXPORT_PRODUCERS: ReadonlyMap<string, ExportProducer<never>> = new Map(
  ([GAP_EXPORT, DEVICE_EXPORT, FUNDING_EXPORT, CONTRACT_EXPORT] as ExportProducer<never>[]).map((p) => [p.name, p]),
);
