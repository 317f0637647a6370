import { useLocation } from "@remix-run/react";
import { useRef } from "react";

/**
 * A page's one-time notice (takeNotice in its loader), kept while the page stays open: a page
 * that refreshes its data (a job's progress) would otherwise lose it at the first refresh. A new
 * visit to the page (another location) starts without it.
 */
export function useKeptNotice<T>(notice: T | null | undefined): T | null {
  const location = useLocation();
  const kept = useRef<{ key: string; notice: T } | null>(null);
  if (notice !== null && notice !== undefined) kept.current = { key: location.key, notice };
  return kept.current?.key === location.key ? kept.current.notice : null;
}
