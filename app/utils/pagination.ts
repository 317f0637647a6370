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
