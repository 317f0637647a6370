import { useLocation } from "@remix-run/react";
import { Link } from "~/components/Link";

/**
 * Previous/next links that keep every other query parameter (filters stay shareable in the URL).
 * A page with two paged lists gives the second its own `param` and `label`, so each list's links
 * turn its own pages and keep the other's.
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
        <nav className="nhsuk-pagination" role="navigation" aria-label={label}>
          <ul className="nhsuk-list nhsuk-pagination__list">
            {page > 1 ? (
              <li className="nhsuk-pagination-item--previous">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--prev" to={href(page - 1)} rel="prev">
                  <span className="nhsuk-pagination__title">Previous</span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Page {page - 1}</span>
                </Link>
              </li>
            ) : null}
            {page < pageCount ? (
              <li className="nhsuk-pagination-item--next">
                <Link className="nhsuk-pagination__link nhsuk-pagination__link--next" to={href(page + 1)} rel="next">
                  <span className="nhsuk-pagination__title">Next</span>
                  <span className="nhsuk-u-visually-hidden">:</span>
                  <span className="nhsuk-pagination__page">Page {page + 1}</span>
                </Link>
              </li>
            ) : null}
          </ul>
        </nav>
      ) : null}
    </>
  );
}
