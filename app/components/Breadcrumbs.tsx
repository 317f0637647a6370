import { Link } from "~/components/Link";

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
      {/* nhsuk-frontend v10 shows this back link instead of the trail on small screens. */}
      <Link className="nhsuk-back-link" to={last.to}>
        <span className="nhsuk-u-visually-hidden">Back to </span>
        {last.label}
      </Link>
    </nav>
  );
}
