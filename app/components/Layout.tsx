import { Form, useLocation, useMatches } from "@remix-run/react";
import { Link } from "~/components/Link";
import { NavigationProgress } from "./NavigationProgress";
import type { ReactElement, ReactNode } from "react";
import { SERVICE_NAME } from "~/utils/page-title";

export interface NavUser {
  name: string;
  isAdmin: boolean;
  icbCodes: string[];
  practiceCodes: string[];
  canImport: boolean;
  canVerify: boolean;
  /** Holds funding:request somewhere: can see and raise funding requests. */
  canRequestFunding?: boolean;
}

interface NavItem {
  to: string;
  label: string;
  /** In the header's "Admin" menu rather than on the bar itself. */
  admin?: boolean;
}

export function navItems(user: NavUser): NavItem[] {
  const items: NavItem[] = [{ to: "/", label: "Home" }];
  if (user.isAdmin || user.icbCodes.length) items.push({ to: "/icbs", label: "Organisations" });
  items.push({
    to: "/practices",
    label: user.isAdmin || user.icbCodes.length || user.practiceCodes.length > 1 ? "Practices" : "My practice",
  });
  // One ICB in scope: its compliance view and assessment cycles are a click away.
  if (user.icbCodes.length === 1) {
    const icb = user.icbCodes[0];
    items.push({ to: `/icbs/${icb}/dashboard`, label: "Dashboard" });
    items.push({ to: `/icbs/${icb}/compliance`, label: "Compliance" });
    if (user.canVerify) items.push({ to: `/icbs/${icb}/assessments`, label: "Assessments" });
  }
  if (user.isAdmin || user.icbCodes.length || user.practiceCodes.length > 1) items.push({ to: "/estate/devices", label: "Devices" });
  items.push({ to: "/gaps", label: "Gaps" });
  if (user.canImport) items.push({ to: "/estate/import", label: "Import devices" });
  // Intune connections are an ICB's: for those who change devices across one (and admins).
  if (user.canImport && (user.isAdmin || user.icbCodes.length)) items.push({ to: "/device-sync", label: "Intune sync" });
  if (user.canRequestFunding) items.push({ to: "/funding-requests", label: "Funding" });
  items.push({ to: "/requirements", label: "Requirements" });
  if (user.isAdmin)
    items.push(
      // Four more items wrapped an admin's bar onto two lines at 1,280 px: they sit in one menu.
      { to: "/admin/users", label: "Users", admin: true },
      { to: "/admin/os-lifecycle", label: "OS lifecycle", admin: true },
      { to: "/admin/emission-factors", label: "Emission factors", admin: true },
      { to: "/admin/dspt", label: "DSPT status", admin: true },
    );
  return items;
}

/**
 * The one navigation item the page sits under: the longest item address that is the page's path or
 * a folder above it ("/icbs/QMF/dashboard" is under Dashboard, not also under Organisations' "/icbs").
 * Home is current only on the home page itself.
 */
export function currentNavItem(items: { to: string }[], pathname: string): string | undefined {
  // The longest match in a loop (the first of equal length, as the stable sort gave), not a filter
  // and a sort with closures made per request (docs/performance.md, session 17, load scaling).
  let best: string | undefined;
  for (const i of items) {
    if ((pathname === i.to || (i.to !== "/" && pathname.startsWith(`${i.to}/`))) && (best === undefined || i.to.length > best.length))
      best = i.to;
  }
  return best;
}

export { SERVICE_NAME };

/** One header link; the current one marked as nhsuk-frontend marks it. */
function NavEntry({ item: i, current, pathname }: { item: NavItem; current: string | undefined; pathname: string }) {
  return i.to === current ? (
    // "page" on the page itself, "true" on a page below it; the strong keeps the mark for people who override colours.
    <li className="nhsuk-header__navigation-item nhsuk-header__navigation-item--current">
      <Link className="nhsuk-header__navigation-link" to={i.to} aria-current={pathname === i.to ? "page" : "true"}>
        <strong className="nhsuk-header__navigation-item-current-fallback">{i.label}</strong>
      </Link>
    </li>
  ) : (
    <li className="nhsuk-header__navigation-item">
      <Link className="nhsuk-header__navigation-link" to={i.to}>
        {i.label}
      </Link>
    </li>
  );
}

/** The NHS.UK header (service name, account, navigation), main container and footer. */
export function Layout({ user, children }: { user: NavUser | null; children: ReactNode }) {
  const { pathname } = useLocation();
  const items = user ? navItems(user) : [];
  const current = currentNavItem(items, pathname);
  // Loops rather than filter/map/some with closures made per request: V8 drops their optimized code
  // at every full collection (docs/performance.md, session 17, load scaling). The same elements.
  const bar: ReactElement[] = [];
  const admin: ReactElement[] = [];
  let adminCurrent = false;
  for (const i of items) {
    (i.admin ? admin : bar).push(<NavEntry key={i.to} item={i} current={current} pathname={pathname} />);
    if (i.admin && i.to === current) adminCurrent = true;
  }
  // A data page (the gap register, device lists) asks for the full width with `handle = { fullWidth: true }`.
  let fullWidth = false;
  for (const m of useMatches()) if ((m.handle as { fullWidth?: boolean } | undefined)?.fullWidth) fullWidth = true;
  return (
    <>
      <NavigationProgress />
      <a className="nhsuk-skip-link" href="#maincontent">
        Skip to main content
      </a>
      <header className="nhsuk-header" role="banner">
        <div className="nhsuk-header__container nhsuk-width-container">
          <div className="nhsuk-header__service">
            <Link className="nhsuk-header__service-logo" to="/" aria-label={`NHS ${SERVICE_NAME} homepage`}>
              <svg
                className="nhsuk-header__logo"
                xmlns="http://www.w3.org/2000/svg"
                viewBox="0 0 200 80"
                height="40"
                width="100"
                focusable="false"
                role="img"
                aria-label="NHS"
              >
                <title>NHS</title>
                <path
                  fill="currentcolor"
                  d="M200 0v80H0V0h200Zm-27.5 5.5c-14.5 0-29 5-29 22 0 10.2 7.7 13.5 14.7 16.3l.7.3c5.4 2 10.1 3.9 10.1 8.4 0 6.5-8.5 7.5-14 7.5s-12.5-1.5-16-3.5L135 70c5.5 2 13.5 3.5 20 3.5 15.5 0 32-4.5 32-22.5 0-19.5-25.5-16.5-25.5-25.5 0-5.5 5.5-6.5 12.5-6.5a35 35 0 0 1 14.5 3l4-13.5c-4.5-2-12-3-20-3Zm-131 2h-22l-14 65H22l9-45h.5l13.5 45h21.5l14-65H64l-9 45h-.5l-13-45Zm63 0h-18l-13 65h17l6-28H117l-5.5 28H129l13.5-65H125L119.5 32h-20l5-24.5Z"
                />
              </svg>
              <span className="nhsuk-header__service-name">{SERVICE_NAME}</span>
            </Link>
          </div>
          {user ? (
            <nav className="nhsuk-header__account" aria-label="Account">
              <ul className="nhsuk-header__account-list">
                <li className="nhsuk-header__account-item">{user.name}</li>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/account/password">
                    Change password
                  </Link>
                </li>
                <li className="nhsuk-header__account-item">
                  <Link className="nhsuk-header__account-link" to="/account/tokens">
                    API tokens
                  </Link>
                </li>
                <li className="nhsuk-header__account-item">
                  <Form method="post" action="/sign-out" className="nhsuk-header__account-form">
                    <button className="nhsuk-header__account-button" type="submit">
                      Sign out
                    </button>
                  </Form>
                </li>
              </ul>
            </nav>
          ) : null}
        </div>
        {user ? (
          <nav className="nhsuk-header__navigation" aria-label="Menu">
            <div className="nhsuk-header__navigation-container nhsuk-width-container">
              <ul className="nhsuk-header__navigation-list">
                {bar}
                {admin.length ? (
                  <li className={`nhsuk-header__navigation-item app-nav-more${adminCurrent ? " app-nav-more--current" : ""}`}>
                    {/* Keyed by the address so it closes again after a click inside it (client-side navigation keeps the element). */}
                    <details className="app-nav-more__details" key={pathname}>
                      <summary className="nhsuk-header__navigation-link app-nav-more__summary">Admin</summary>
                      <ul className="app-nav-more__list">{admin}</ul>
                    </details>
                  </li>
                ) : null}
              </ul>
            </div>
          </nav>
        ) : null}
      </header>
      <div className={`nhsuk-width-container${fullWidth ? " app-width-container--full" : ""}`}>
        <main className="nhsuk-main-wrapper" id="maincontent" role="main">
          {children}
        </main>
      </div>
      <footer role="contentinfo">
        <div className="nhsuk-footer">
          <div className="nhsuk-width-container">
            <p className="nhsuk-body-s">
              Organisation data: NHS England Organisation Data Service and NHS England publications, under the Open Government Licence.
            </p>
          </div>
        </div>
      </footer>
    </>
  );
}
