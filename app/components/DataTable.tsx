import type { HTMLAttributes, Key, ReactElement, ReactNode } from "react";
import { scrollRegion } from "./scroll-region";

/** One column of a DataTable: its heading, and how to draw its cell for a row. */
export interface Column<T> {
  header: ReactNode;
  /** Figures: right-aligned, in tabular digits, heading included (NHS.UK's numeric table cells). */
  numeric?: boolean;
  /** The cell that names the row: drawn as <th scope="row"> so screen readers announce it with each cell. */
  rowHeader?: boolean;
  /** Extra classes for this column's cells (not its heading). */
  className?: string;
  /** Extra classes for its heading (a width: app-width-two-fifths). */
  headerClassName?: string;
  /** Omit for a table that draws its own body (children). */
  cell?: (row: T, index: number) => ReactNode;
}

/**
 * Class name for a figure's cell or heading; exported for tables that draw their own rows. One short class
 * (app.css aligns it right in tabular figures) rather than nhsuk's two long ones: the ICB compliance page has
 * thousands of figure cells and is held to a page-weight budget.
 */
export const NUMERIC_CELL = "app-numeric";
export const NUMERIC_HEADER = "app-numeric";

interface DataTableProps<T> {
  caption: ReactNode;
  /** A caption for screen readers only, when a heading just above already names the table. */
  captionHidden?: boolean;
  /** Caption classes; the usual small caption unless given. */
  captionClassName?: string;
  /**
   * Wrap the table in a region that scrolls sideways on a small screen. The region takes keyboard
   * focus (WCAG 2.1.1) and is named by this label, or by the caption when `true` and it is text.
   */
  scroll?: boolean | string;
  id?: string;
  /** Extra table classes (app-numeric-cells, app-heatmap…). */
  className?: string;
  /** Columns; `false`/`null` entries are skipped so a column can be conditional (an editor's Action column). */
  columns: readonly (Column<T> | false | null | undefined)[];
  rows?: readonly T[];
  rowKey?: (row: T, index: number) => Key;
  /** Attributes for a row's <tr> (an id to link to, a class). */
  rowProps?: (row: T, index: number) => HTMLAttributes<HTMLTableRowElement>;
  /** A body drawn by the caller instead of `rows` (rows with colSpan, grouped rows). */
  children?: ReactNode;
  /** A <tfoot>'s rows (totals). */
  foot?: ReactNode;
}

/**
 * An NHS.UK table: caption, column headings (scope="col"), figures right-aligned, optional
 * sideways-scroll region. Columns describe the cells, so a page states what it shows, not how.
 * Its head and body carry no nhsuk-table__head/__body class: nhsuk-frontend styles those only in
 * striped and responsive tables, which these are not (issue 12, page weight).
 */
function headerCell<T>(c: Column<T>, i: number) {
  return (
    <th scope="col" key={i} className={[c.numeric ? NUMERIC_HEADER : "", c.headerClassName ?? ""].filter(Boolean).join(" ") || undefined}>
      {c.header}
    </th>
  );
}

function bodyRow<T>(row: T, r: number, cols: Column<T>[], rowKey: DataTableProps<T>["rowKey"], rowProps: DataTableProps<T>["rowProps"]) {
  const cells: ReactElement[] = [];
  for (let i = 0; i < cols.length; i++) cells.push(bodyCell(cols[i], row, r, i));
  return (
    <tr key={rowKey ? rowKey(row, r) : r} {...rowProps?.(row, r)}>
      {cells}
    </tr>
  );
}

function bodyCell<T>(c: Column<T>, row: T, r: number, i: number) {
  const cls = [c.numeric ? NUMERIC_CELL : "", c.className ?? ""].filter(Boolean).join(" ") || undefined;
  const content = c.cell?.(row, r);
  return c.rowHeader ? (
    <th scope="row" key={i} className={cls}>
      {content}
    </th>
  ) : (
    <td key={i} className={cls}>
      {content}
    </td>
  );
}

export function DataTable<T>({
  caption,
  captionHidden,
  captionClassName,
  scroll,
  id,
  className,
  columns,
  rows,
  rowKey,
  rowProps,
  children,
  foot,
}: DataTableProps<T>) {
  // Loops and module-level functions, not filter/map with closures made per request: V8 drops a
  // per-call closure's optimized code at every full collection (docs/performance.md, session 17,
  // load scaling). The same elements and keys.
  const cols: Column<T>[] = [];
  for (const c of columns) if (c) cols.push(c);
  const headers: ReactElement[] = [];
  for (let i = 0; i < cols.length; i++) headers.push(headerCell(cols[i], i));
  let body: ReactNode = children;
  if (body === undefined || body === null) {
    if (rows) {
      const trs: ReactElement[] = [];
      for (let r = 0; r < rows.length; r++) trs.push(bodyRow(rows[r], r, cols, rowKey, rowProps));
      body = trs;
    } else body = rows;
  }
  const captionClass =
    captionClassName ?? (captionHidden ? "nhsuk-table__caption nhsuk-u-visually-hidden" : "nhsuk-table__caption nhsuk-table__caption--s");
  const table = (
    <table className={className ? `nhsuk-table ${className}` : "nhsuk-table"} id={id}>
      <caption className={captionClass}>{caption}</caption>
      <thead>
        <tr>{headers}</tr>
      </thead>
      <tbody>{body}</tbody>
      {foot ? <tfoot>{foot}</tfoot> : null}
    </table>
  );
  if (!scroll) return table;
  const label = typeof scroll === "string" ? scroll : typeof caption === "string" ? caption : "Table";
  return (
    <div className="app-table-wrap" {...scrollRegion(label)}>
      {table}
    </div>
  );
}
