import { createHash } from "node:crypto";
import type { TimelineInputs } from "./timeline";

/**
 * A digest of a practice's timeline inputs (timeline.ts timelineInputs): its candidate dates in
 * the window, each date's labels in the order the timeline lists them, and the rules' findings on
 * the first day. practiceTimeline reads `asOf` and `until` only through these, so two windows
 * of the same estate, policy, OS lifecycle and price book whose inputs have the same basis have
 * the same timeline, event for event. The ICB dashboard keeps a practice's forecast share with
 * its basis, and on a later day reuses the share when the basis there is the same: most days no
 * candidate date (a device's birthday, a warranty end) falls on the new first day or joins at
 * the end of the window, and no finding changes overnight (dashboard/service.server.ts).
 *
 * Null when the inputs hold something other than plain data (never so today): such a share is
 * always worked out again rather than compared on a serialisation that might lose a difference.
 */
export function timelineBasis({ dates, drivers, today }: TimelineInputs): string | null {
  try {
    const hash = createHash("sha256");
    for (const d of dates) hash.update(`${d}${canonical([...(drivers.get(d) ?? [])])};`);
    hash.update("|");
    for (const [id, finding] of today) hash.update(`${JSON.stringify(id)}:${canonical(finding)};`);
    return hash.digest("base64");
  } catch {
    return null;
  }
}

/**
 * Plain data as text, one text per value: unlike JSON it keeps `undefined` and -0 apart and
 * refuses anything but plain objects and arrays (a Map or Date would serialise as `{}`). Keys in
 * their own order: two equal objects built in another order only cost a recomputation.
 */
function canonical(v: unknown): string {
  if (v === undefined) return "u";
  if (v === null) return "n";
  if (typeof v === "string") return JSON.stringify(v);
  if (typeof v === "number") return Object.is(v, -0) ? "-0" : String(v);
  if (typeof v === "boolean") return v ? "t" : "f";
  if (Array.isArray(v)) return `[${v.map(canonical).join(",")}]`;
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype)
    return `{${Object.entries(v)
      .map(([k, x]) => `${JSON.stringify(k)}:${canonical(x)}`)
      .join(",")}}`;
  throw new Error(`not plain data: ${typeof v}`);
}
