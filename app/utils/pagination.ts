export const PAGE_SIZE = 25;

export interface Page<T> {
  rows: T[];
  total: number;
  page: number;
  pageSize: number;
  pageCount: number;
}

/**
 * Reads `?page=` (or another parameter, when a page has two paged lists) leniently: anything that
 * is not a positive whole number means page 1.
 */
export function pageFromUrl(url: URL, param = "page"): number {
  const n = Number(url.searchParams.get(param));
  return Number.isInteger(n) && n > 0 ? Math.min(n, 100_000) : 1;
}

export function toPage<T>(rows: T[], total: number, page: number, pageSize = PAGE_SIZE): Page<T> {
  return { rows, total, page, pageSize, pageCount: Math.max(1, Math.ceil(total / pageSize)) };
}

/**
 * One page of a list already in its order, worked out on the server so only that page goes to
 * the browser: a page past the end is the last page (as the gap register's groups do), and the
 * total is the whole list's.
 */
export function pageOfList<T>(rows: readonly T[], page: number, pageSize = PAGE_SIZE): Page<T> {
  const total = rows.length;
  const pageCount = Math.max(1, Math.ceil(total / pageSize));
  const current = Math.min(Math.max(1, Math.trunc(page) || 1), pageCount);
  return { rows: rows.slice((current - 1) * pageSize, current * pageSize), total, page: current, pageSize, pageCount };
}
