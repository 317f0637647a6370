import { useEffect, useRef } from "react";

const PREFIX = "Error: ";

/**
 * NHS.UK error summary: listed at the top of the form, focused when it appears, each message
 * linking to its field (ids follow the `field-<name>` convention used by the field components).
 * While it shows, the page title starts "Error: " (the NHS.UK error pattern), so a screen
 * reader user hears that the page has a problem before anything else.
 */
export function ErrorSummary({ errors, formError }: { errors: Record<string, string | undefined>; formError?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors).filter(([, m]) => m) as [string, string][];
  const any = entries.length > 0 || !!formError;
  const key = entries.map(([k, m]) => k + m).join("|") + (formError ?? "");
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [key, any]);
  useEffect(() => {
    if (!any || document.title.startsWith(PREFIX)) return;
    document.title = PREFIX + document.title;
    return () => {
      if (document.title.startsWith(PREFIX)) document.title = document.title.slice(PREFIX.length);
    };
  }, [any]);
  if (!any) return null;
  return (
    <div className="nhsuk-error-summary" aria-labelledby="error-summary-title" role="alert" tabIndex={-1} ref={ref}>
      <h2 className="nhsuk-error-summary__title" id="error-summary-title">
        There is a problem
      </h2>
      <div className="nhsuk-error-summary__body">
        {formError ? <p>{formError}</p> : null}
        {entries.length > 0 ? (
          <ul className="nhsuk-list nhsuk-error-summary__list">
            {entries.map(([name, message]) => (
              <li key={name}>
                <a href={`#field-${name}`}>{message}</a>
              </li>
            ))}
          </ul>
        ) : null}
      </div>
    </div>
  );
}
