/**
 * Attributes for a wrapper that scrolls a wide table sideways on a small screen. A scrolled region
 * must be reachable by keyboard (WCAG 2.1.1, axe's scrollable-region-focusable), so it takes focus
 * and is announced as a named region: the table's caption is the usual name.
 *
 *   <div className="app-table-wrap" {...scrollRegion("Devices")}>  <table>…</table>  </div>
 */
export function scrollRegion(label: string) {
  return { role: "region", "aria-label": label, tabIndex: 0 } as const;
}
