import { useNavigation } from "@remix-run/react";
import { useEffect, useState } from "react";

/** How long a navigation runs before the page says it is loading: quick ones show nothing. */
const DELAY_MS = 1000;

/**
 * "Loading…" while a page takes more than a second to arrive (the dashboard's first view, a big
 * filter): a bar at the top of the page, and the words in a live region for screen readers.
 * Rendered once, in the layout, for every navigation and form submission.
 */
export function NavigationProgress() {
  const busy = useNavigation().state !== "idle";
  const [slow, setSlow] = useState(false);
  useEffect(() => {
    if (!busy) {
      setSlow(false);
      return;
    }
    const timer = setTimeout(() => setSlow(true), DELAY_MS);
    return () => clearTimeout(timer);
  }, [busy]);
  return (
    <div className="app-navigation-progress" role="status" aria-live="polite">
      {slow ? (
        <>
          <div className="app-navigation-progress__bar" aria-hidden="true" />
          <span className="nhsuk-u-visually-hidden">Loading the page…</span>
        </>
      ) : null}
    </div>
  );
}
