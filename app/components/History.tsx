import { auditActionLabel, auditValueLabel } from "./audit-labels";
import { formatDateTime } from "~/utils/format";

export interface HistoryEvent {
  id: number;
  occurred_at: string | Date;
  action: string;
  user_name: string | null;
  actor?: string | null;
  before: unknown;
  after: unknown;
}

const show = auditValueLabel;

/** What changed, when (UK time) and by whom, from the audit trail: one row per changed field, in words. */
export function History({ events, labels = {} }: { events: HistoryEvent[]; labels?: Record<string, string> }) {
  if (events.length === 0) return <p>No changes have been recorded yet.</p>;
  return (
    <table className="nhsuk-table">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">History of changes</caption>
      <thead className="nhsuk-table__head">
        <tr>
          <th scope="col">When</th>
          <th scope="col">Who</th>
          <th scope="col">What changed</th>
        </tr>
      </thead>
      <tbody className="nhsuk-table__body">
        {events.map((e) => {
          const before = (e.before ?? {}) as Record<string, unknown>;
          const after = (e.after ?? {}) as Record<string, unknown>;
          const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter(
            (k) => !["version", "updated_at", "created_at", "id"].includes(k) && show(before[k]) !== show(after[k]),
          );
          return (
            <tr key={e.id}>
              <td>{formatDateTime(e.occurred_at)}</td>
              <td>{e.user_name ?? e.actor ?? "System"}</td>
              <td>
                <strong>{auditActionLabel(e.action)}</strong>
                {keys.length ? (
                  <ul className="nhsuk-list nhsuk-u-margin-bottom-0">
                    {keys.map((k) => (
                      <li key={k}>
                        {labels[k] ?? k.replace(/_/g, " ")}: {show(before[k])} → {show(after[k])}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
