import { Link } from "@remix-run/react";

export interface Crumb {
  label: string;
  to: string;
}

/** NHS.UK breadcrumb: the trail above the page heading, with a back link on small screens. */
export function Breadcrumbs({ items }: { items: Crumb[] }) {
  if (items.length === 0) return null;
  const last = items[items.length - 1];
  return (
    <nav className="nhsuk-breadcrumb" aria-label="Breadcrumb">
      <ol className="nhsuk-breadcrumb__list">
        {items.map((c) => (
          <li className="nhsuk-breadcrumb__list-item" key={c.to}>
            <Link className="nhsuk-breadcrumb__link" to={c.to}>
              {c.label}
            </Link>
          </li>
        ))}
      </ol>
      <p className="nhsuk-breadcrumb__back">
        <Link className="nhsuk-breadcrumb__backlink" to={last.to}>
          <span className="nhsuk-u-visually-hidden">Back to &nbsp;</span>
          {last.label}
        </Link>
      </p>
    </nav>
  );
}
