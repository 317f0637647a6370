import { Form, useLocation } from "@remix-run/react";
import { usePending } from "~/components/usePending";

/** "Re-check now": posts the page's filters back so the page reopens as it was; disabled until the new results load. */
export function RecheckButton({ secondary = false }: { secondary?: boolean }) {
  const busy = usePending({ untilLoaded: true });
  const params = new URLSearchParams(useLocation().search);
  return (
    <Form method="post" className="nhsuk-u-margin-bottom-4">
      <input type="hidden" name="domain" value={params.get("domain") ?? ""} />
      <input type="hidden" name="status" value={params.get("status") ?? ""} />
      <button
        className={`nhsuk-button nhsuk-u-margin-bottom-0${secondary ? " nhsuk-button--secondary" : ""}`}
        type="submit"
        disabled={busy}
        aria-disabled={busy}
      >
        {busy ? "Re-checking…" : "Re-check now"}
      </button>
    </Form>
  );
}
