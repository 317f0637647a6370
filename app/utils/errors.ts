/**
 * How a failure is reported (docs/adr/0010-how-a-failure-is-reported.md):
 *
 * - A request that cannot be done is an `AppError`, thrown from wherever it is found (service,
 *   access check, route). Its status says which: 400 invalid input, 403 not allowed, 404 not found
 *   or out of scope, 409 changed since the page was opened (or a state that forbids the step),
 *   413 too large. `fieldErrors` puts messages beside fields; `message` is the form-level one.
 * - Routes never catch it themselves: `formAction` answers 400/409/413 on the form with that status,
 *   `pageLoader` and `formAction` throw 403/404 as responses for the status-aware ErrorBoundary.
 * - Results that are data, not failure, stay return values: the per-row problems of an import
 *   (`{ ok: false, problems }`), which the page lists while the rest of the file is still shown.
 */

import type { FieldErrors } from "./forms";
export type AppErrorStatus = 400 | 403 | 404 | 409 | 413;

export interface AppErrorOptions {
  /** Messages keyed by field name ("role", "items.0.name"), shown beside each field. */
  fieldErrors?: FieldErrors;
  /** What the user typed, to put back in the form (never a password). */
  values?: Record<string, string>;
  /** A machine-readable kind when the page reacts to it (e.g. "budget_override" shows the override box). */
  code?: string;
  /** For logs only, never shown. */
  details?: unknown;
}

/** The one application error. `message` is safe to show to the user; `details` is for logs only. */
export class AppError extends Error {
  readonly status: AppErrorStatus;
  readonly fieldErrors?: FieldErrors;
  readonly values?: Record<string, string>;
  readonly code?: string;
  readonly details?: unknown;
  constructor(status: AppErrorStatus, message: string, options: AppErrorOptions = {}) {
    super(message);
    this.name = "AppError";
    this.status = status;
    this.fieldErrors = options.fieldErrors;
    this.values = options.values;
    this.code = options.code;
    this.details = options.details;
  }
}

export const notFound = (what = "page") => new AppError(404, `We could not find that ${what}.`);
export const forbidden = (message = "You do not have permission to do that.") => new AppError(403, message);
export const badRequest = (message: string, details?: unknown) => new AppError(400, message, { details });
export const conflict = (message: string) => new AppError(409, message);
export const tooLarge = (message: string) => new AppError(413, message);

/** Invalid input with a message beside each field; the form-level message is the first of them unless given. */
export const invalid = (fieldErrors: FieldErrors, options: Omit<AppErrorOptions, "fieldErrors"> & { message?: string } = {}) =>
  new AppError(400, options.message ?? Object.values(fieldErrors)[0] ?? "Check the form and try again.", { ...options, fieldErrors });

/** An AppError as the form's failure (FormFailure's shape): messages beside fields, else one for the form. */
export function failureOf(error: AppError) {
  const fieldErrors = error.fieldErrors ?? {};
  return {
    ok: false as const,
    status: error.status,
    fieldErrors,
    formError: Object.keys(fieldErrors).length ? undefined : error.message,
    values: error.values,
    code: error.code,
  };
}

/** Converts an AppError into a thrown-able Response so Remix error boundaries receive the status. */
export function toResponse(error: AppError): Response {
  return new Response(JSON.stringify({ message: error.message }), {
    status: error.status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}
