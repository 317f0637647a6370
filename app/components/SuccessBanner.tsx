import type { ReactNode } from "react";

/** The NHS.UK success notification banner with a one-line heading: what a save just did. */
export function SuccessBanner({ children }: { children: ReactNode }) {
  return (
    <div className="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert">
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">{children}</p>
      </div>
    </div>
  );
}
