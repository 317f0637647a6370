import type { ReactNode } from "react";
import { Link } from "~/components/Link";
import { formatNumber } from "~/utils/format";

/** A filter of a practice's compliance page. */
export type Filter = { domain?: string; status?: string };

/** What a link to a practice's compliance page, filtered, keeps: its path, and the date when not today. */
export type FilterLinks = { base: string; isToday: boolean; asOf: string };

/*
 * Module-level functions taking the page's values, not closures made on each render: V8 keeps a
 * closure's optimized code only while one of them is alive, so one made per request is compiled
 * again after every full collection (docs/performance.md, session 16, optimized code dropped at
 * every full collection).
 */

/** The practice's compliance page with the filter `p`, at the page's date. */
export function filterHref(links: FilterLinks, p: Filter): string {
  const qs = new URLSearchParams();
  if (p.domain) qs.set("domain", p.domain);
  if (p.status) qs.set("status", p.status);
  if (!links.isToday) qs.set("as_of", links.asOf);
  const s = qs.toString();
  return s ? `${links.base}?${s}` : links.base;
}

/**
 * A count linking to the page filtered to what it counts ("0" has no link). Its words for screen
 * readers ("3 not met in Devices") are hidden by the table's class (DomainScoreTable), and its
 * link needs no route looked up on load.
 */
export function countLink(links: FilterLinks, n: number, p: Filter, label: string): ReactNode {
  return n === 0 ? (
    "0"
  ) : (
    <Link to={filterHref(links, p)} discover="none">
      {formatNumber(n)}
      <span>{` ${label}`}</span>
    </Link>
  );
}
