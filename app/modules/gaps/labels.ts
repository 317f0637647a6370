import type { GapStatus } from "#db/types";
import type { Funder } from "~/modules/catalogue";
import type { PriorityLevel } from "./priority";

/** How gaps are named on pages and in exports (shared by server and client; no server imports). */
// Gap statuses use the funding requests' words: one vocabulary, defined in one place.
export { GAP_STATUS_LABELS } from "~/modules/catalogue/status-words";

export const GAP_STATUS_TAG: Record<GapStatus, string> = {
  open: "nhsuk-tag--red",
  funding_requested: "nhsuk-tag--yellow",
  funded: "nhsuk-tag--blue",
  in_delivery: "nhsuk-tag--purple",
  closed: "nhsuk-tag--grey",
};

/** Who pays to close a gap, in the words the pages use. */
export const RESPONSIBILITY_LABELS: Record<Funder, string> = {
  icb: "ICB may fund",
  practice: "Practice funds",
  national: "Paid for nationally",
};

export const PRIORITY_TAG: Record<PriorityLevel, string> = {
  high: "nhsuk-tag--red",
  medium: "nhsuk-tag--orange",
  low: "nhsuk-tag--grey",
};

export const GAP_EVENT_LABELS: Record<"opened" | "changed" | "status" | "closed", string> = {
  opened: "Opened",
  changed: "Changed",
  status: "Status changed",
  closed: "Closed",
};
