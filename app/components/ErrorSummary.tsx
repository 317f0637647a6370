import { useEffect, useRef } from "react";

const ERROR_PREFIX = "Error: ";

/**
 * While the page shows an error summary its title starts "Error: ", as the NHS.UK pattern asks, so
 * a screen reader user hears at once that the form was not accepted. Put back when the summary goes.
 */
function useErrorTitle(any: boolean) {
  useEffect(() => {
    if (!any || document.title.startsWith(ERROR_PREFIX)) return;
    document.title = ERROR_PREFIX + document.title;
    return () => {
      if (document.title.startsWith(ERROR_PREFIX)) document.title = document.title.slice(ERROR_PREFIX.length);
    };
  }, [any]);
}

/**
 * NHS.UK error summary: listed at the top of the form, focused when it appears, each message
 * linking to its field (ids follow the `field-<name>` convention used by the field components).
 * The one place the error pattern lives: focus on the summary and "Error: " in the page title.
 */
export function ErrorSummary({ errors, formError }: { errors: Record<string, string | undefined>; formError?: string }) {
  const ref = useRef<HTMLDivElement>(null);
  const entries = Object.entries(errors).filter(([, m]) => m) as [string, string][];
  const any = entries.length > 0 || !!formError;
  const key = entries.map(([k, m]) => k + m).join("|") + (formError ?? "");
  useEffect(() => {
    if (any) ref.current?.focus();
  }, [key, any]);
  useErrorTitle(any);
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
