import { z } from "zod";
import { notFound } from "./errors";

/**
 * A database id from the URL: a positive whole number that fits PostgreSQL's `integer` (ids are
 * serial columns). Anything else cannot name a record, so it is a 404, never a 500 from the
 * database ("value out of range for type integer").
 */
export const IdParamSchema = z
  .string()
  .regex(/^[1-9]\d{0,9}$/)
  .transform(Number)
  .pipe(z.number().int().max(2_147_483_647));

/** Parses an id route param or throws a 404 (AppError) naming the kind of record ("device", "gap"). */
export function idParam(raw: string | undefined, what: string): number {
  const id = IdParamSchema.safeParse(raw);
  if (!id.success) throw notFound(what);
  return id.data;
}
