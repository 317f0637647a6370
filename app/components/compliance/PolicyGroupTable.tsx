import { Form } from "@remix-run/react";
import { Link } from "~/components/Link";
import { formatDateTime } from "~/components/Compliance";
import { DataTable } from "~/components/DataTable";
import { Tag } from "~/components/Tag";
import type { PolicyEntry } from "./PolicyEditForm";

/** One group of local policy settings: this ICB's value against the national default, with change and reset for its lead. */
export function PolicyGroupTable({ group, entries, canManage }: { group: string; entries: PolicyEntry[]; canManage: boolean }) {
  return (
    <DataTable
      caption={group}
      captionClassName="nhsuk-table__caption nhsuk-table__caption--m"
      scroll
      rows={entries}
      rowKey={(e) => e.key}
      rowProps={(e) => ({ className: e.overridden ? "app-overridden" : undefined })}
      columns={[
        {
          header: "Setting",
          rowHeader: true,
          cell: (e) => (
            <>
              {e.label}
              {e.hint ? <div className="app-requirement-meta">{e.hint}</div> : null}
            </>
          ),
        },
        {
          header: "This ICB",
          cell: (e) => (
            <>
              <strong>{e.valueText}</strong>
              {e.overridden ? (
                <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
                  <Tag colour="blue">Set by this ICB</Tag>
                  {e.updatedAt ? (
                    <div className="app-muted">
                      {e.setBy ? `${e.setBy}, ` : ""}
                      {formatDateTime(e.updatedAt)}
                    </div>
                  ) : null}
                </div>
              ) : (
                <div className="nhsuk-body-s app-muted">National default</div>
              )}
            </>
          ),
        },
        { header: "National default", cell: (e) => e.defaultText },
        {
          header: "Source",
          cell: (e) => (
            <div className="nhsuk-body-s nhsuk-u-margin-bottom-0">
              {e.unconfirmed ? (
                <>
                  <Tag colour="orange">UNCONFIRMED</Tag>{" "}
                </>
              ) : null}
              {e.source}
            </div>
          ),
        },
        canManage && {
          header: <span className="nhsuk-u-visually-hidden">Actions</span>,
          cell: (e) => (
            <>
              <Link to={`?edit=${e.key}#edit-title`}>
                Change<span className="nhsuk-u-visually-hidden"> {e.label}</span>
              </Link>
              {e.overridden && e.version !== null ? (
                <Form method="post" className="nhsuk-u-margin-top-2">
                  <input type="hidden" name="intent" value="reset" />
                  <input type="hidden" name="key" value={e.key} />
                  <input type="hidden" name="version" value={e.version} />
                  <button className="nhsuk-button nhsuk-button--secondary nhsuk-button--small nhsuk-u-margin-bottom-0" type="submit">
                    Use national default<span className="nhsuk-u-visually-hidden"> for {e.label}</span>
                  </button>
                </Form>
              ) : null}
            </>
          ),
        },
      ]}
    />
  );
}
