import { z } from "zod";

/** ODS codes in URLs: letters and digits only, upper-cased; anything else is a 404, not an error page. */
export const OdsCodeSchema = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z0-9]{3,10}$/);

export const PracticeSearchSchema = z.object({
  q: z.string().trim().max(100, "Search must be 100 characters or fewer").optional().default(""),
  closed: z
    .enum(["on", "true", "1"])
    .optional()
    .transform((v) => v !== undefined),
});
