import { todayIso } from "~/utils/today";

/**
 * "Today is stored; what-if is computed" (DESIGN.md). Evaluation stores results and moves the gap
 * register only for the day it runs; any other date is computed and shown (what-if.server.ts,
 * the forecast) or, for the past, written as history rows only (history.server.ts).
 */
export class NotTodayError extends Error {}

/** Refuses to store an evaluation dated after today: a future date is a forecast, never a result. */
export function assertStorableDate(asOf: string, today: string = todayIso()) {
  if (asOf > today) {
    throw new NotTodayError(
      `${asOf} is after today (${today}). A future date is a what-if: it is computed and shown, never stored. Use the forecast, or evaluate with --as-of for a what-if that writes nothing.`,
    );
  }
}
