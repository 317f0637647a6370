import { z } from "zod";
import { ApiProblem } from "./problem";

/**
 * Opaque cursors. Inside, a page number and the page size it was counted with, so following
 * `next` keeps the same rows per page even if the caller leaves `limit` off. Clients must treat
 * the value as opaque: its contents may change.
 */
export interface CursorState {
  page: number;
  limit: number;
}

export const MAX_LIMIT = 100;
export const DEFAULT_LIMIT = 25;

export const encodeCursor = (c: CursorState) => Buffer.from(JSON.stringify({ p: c.page, l: c.limit })).toString("base64url");

const CursorJson = z.object({ p: z.number().int().min(1).max(1_000_000), l: z.number().int().min(1).max(MAX_LIMIT) });

export function decodeCursor(raw: string | undefined, limit: number | undefined, fixedLimit?: number): CursorState {
  const size = fixedLimit ?? limit ?? DEFAULT_LIMIT;
  if (!raw) return { page: 1, limit: size };
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(raw, "base64url").toString("utf8"));
  } catch {
    parsed = null;
  }
  const c = CursorJson.safeParse(parsed);
  if (!c.success || (fixedLimit !== undefined && c.data.l !== fixedLimit)) {
    throw new ApiProblem(400, "The cursor is not one this API gave out. Start again without a cursor.", {
      errors: [{ pointer: "#/query/cursor", detail: "Use the `next` value of the previous page, unchanged" }],
    });
  }
  return { page: c.data.p, limit: c.data.l };
}

/** The `page` block of every list response. */
export function pageInfo(c: CursorState, total: number) {
  const more = c.page * c.limit < total;
  return { limit: c.limit, total, next: more ? encodeCursor({ page: c.page + 1, limit: c.limit }) : null };
}
