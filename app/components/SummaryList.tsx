import type { ReactNode } from "react";
import { NotKnown } from "./NotKnown";

/** NHS.UK summary list: key facts about one thing. Empty values show as "Not known". */
export function SummaryList({ rows }: { rows: [string, ReactNode][] }) {
  return (
    <dl className="nhsuk-summary-list">
      {rows.map(([key, value]) => (
        <div className="nhsuk-summary-list__row" key={key}>
          <dt className="nhsuk-summary-list__key">{key}</dt>
          <dd className="nhsuk-summary-list__value">{value === null || value === undefined || value === "" ? <NotKnown /> : value}</dd>
        </div>
      ))}
    </dl>
  );
}
