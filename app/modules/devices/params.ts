import { z } from "zod";
import { notFound, toResponse } from "~/utils/errors";

/** A device id from the URL; anything but a positive whole number is a 404. */
export function deviceIdFrom(raw: string | undefined): number {
  const id = z.coerce.number().int().positive().max(2_147_483_647).safeParse(raw);
  if (!id.success) throw toResponse(notFound("device"));
  return id.data;
}
