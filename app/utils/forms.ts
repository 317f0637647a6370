import type { z } from "zod";

export type FieldErrors = Record<string, string>;
/**
 * What an action answers when the form needs correcting, with `status` as its HTTP status (400
 * when absent; see formAction). `code` names a failure the page reacts to (e.g. "budget_override").
 */
export type FormFailure = {
  ok: false;
  fieldErrors: FieldErrors;
  formError?: string;
  values?: Record<string, string>;
  status?: number;
  code?: string;
};

/** First message per field, keyed by the field's path ("role", "items.0.name"). */
export function zodFieldErrors(error: z.ZodError): FieldErrors {
  const out: FieldErrors = {};
  for (const issue of error.issues) {
    const key = issue.path.join(".") || "_form";
    out[key] ??= issue.message;
  }
  return out;
}

/** Parses submitted fields with the same zod schema the browser form uses. */
export function parseForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): { ok: true; data: z.infer<S> } | FormFailure {
  const raw: Record<string, string> = {};
  for (const [k, v] of formData.entries()) if (typeof v === "string") raw[k] = v;
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, data: parsed.data };
  // Never send a password back to the page (it would be written into the HTML as a value).
  const values = Object.fromEntries(Object.entries(raw).filter(([k]) => !/password/i.test(k)));
  return { ok: false, fieldErrors: zodFieldErrors(parsed.error), values };
}
