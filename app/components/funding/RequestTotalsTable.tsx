import type { ReactNode } from "react";
import { DataTable } from "~/components/DataTable";

const COLUMNS = (first: string) => [
  { header: first },
  { header: "Requests", numeric: true },
  { header: "Amount (ex VAT)", numeric: true },
  { header: "Inc VAT", numeric: true },
];

/**
 * Funding requests counted and summed by status or stage, ex and inc VAT: the funding list's
 * "Totals by status" and the dashboard's pipeline by stage. The caller draws the rows (links, total row).
 */
export function RequestTotalsTable({
  caption,
  label,
  first,
  children,
}: {
  caption: ReactNode;
  label: string;
  first: string;
  children: ReactNode;
}) {
  return (
    <DataTable caption={caption} scroll={label} columns={COLUMNS(first)}>
      {children}
    </DataTable>
  );
}
