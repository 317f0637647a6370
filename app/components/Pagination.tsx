import { useLocation } from "@remix-run/react";
import { Link } from "~/components/Link";

/**
 * The pages the numbered navigation lists: the first, the last, the current page and its
 * neighbours, with `null` for an ellipsis where pages are left out. A gap of a single page shows
 * that page instead: its number takes no more room than the ellipsis would, and says more.
 * 2,800 of 5,600 gives 1 … 2799 2800 2801 … 5600; never more than 7 entries, whatever the count.
 */
export function pageItems(page: number, pageCount: number): (number | null)[] {
  const shown = new Set([1, page - 1, page, page + 1, pageCount].filter((p) => p >= 1 && p <= pageCount));
  const pages = [...shown].sort((a, b) => a - b);
  const items: (number | null)[] = [];
  for (const p of pages) {
    const previous = items[items.length - 1];
    if (typeof previous === "number" && p - previous === 2) items.push(previous + 1);
    else if (typeof previous === "number" && p - previous > 2) items.push(null);
    items.push(p);
  }
  return items;
}

/**
 * The NHS.UK design system's numbered pagination, keeping every other query parameter (filters stay
 * shareable in the URL). A page with two paged lists gives the second its own `param` and `label`,
 * so each list's links turn its own pages and keep the other's. The arrow icons the design system
 * puts beside Previous and Next are drawn by app.css, not sent as SVG in every page's HTML.
 */
export function Pagination({
  page,
  pageCount,
  total,
  noun,
  param = "page",
  label = "Pagination",
}: {
  page: number;
  pageCount: number;
  total: number;
  noun: string;
  /** The query parameter that holds this list's page. */
  param?: string;
  /** The navigation's accessible name (distinct when a page has two). */
  label?: string;
}) {
  const { pathname, search } = useLocation();
  const href = (p: number) => {
    const params = new URLSearchParams(search);
    if (p <= 1) params.delete(param);
    else params.set(param, String(p));
    const qs = params.toString();
    return qs ? `${pathname}?${qs}` : pathname;
  };
  return (
    <>
      <p className="nhsuk-body-s" aria-live="polite">
        {total.toLocaleString("en-GB")} {noun}
        {pageCount > 1 ? ` · page ${page} of ${pageCount.toLocaleString("en-GB")}` : ""}
      </p>
      {pageCount > 1 ? (
        <nav className="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label={label}>
          {page > 1 ? (
            <Link className="nhsuk-pagination__previous" to={href(page - 1)} rel="prev">
              <span className="nhsuk-pagination__title">
                Previous<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
            </Link>
          ) : null}
          <ul className="nhsuk-pagination__list">
            {pageItems(page, pageCount).map((p, i) =>
              p === null ? (
                // Two ellipses at most, each in its own place: the index keys them.
                <li key={`gap${i}`} className="nhsuk-pagination__item nhsuk-pagination__item--ellipsis">
                  ⋯
                </li>
              ) : (
                <li key={p} className={p === page ? "nhsuk-pagination__item nhsuk-pagination__item--current" : "nhsuk-pagination__item"}>
                  <Link
                    className="nhsuk-pagination__link"
                    to={href(p)}
                    aria-label={`Page ${p}`}
                    aria-current={p === page ? "page" : undefined}
                  >
                    {p}
                  </Link>
                </li>
              ),
            )}
          </ul>
          {page < pageCount ? (
            <Link className="nhsuk-pagination__next" to={href(page + 1)} rel="next">
              <span className="nhsuk-pagination__title">
                Next<span className="nhsuk-u-visually-hidden"> page</span>
              </span>
            </Link>
          ) : null}
        </nav>
      ) : null}
    </>
  );
}
