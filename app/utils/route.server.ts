import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import type { z } from "zod";
import { AppError, failureOf, invalid, toResponse } from "./errors";
import { parseForm, type FormFailure } from "./forms";

/**
 * The two route wrappers every page uses (docs/adr/0010-how-a-failure-is-reported.md):
 *
 *   export const loader = pageLoader(async ({ request, params }) => { … });
 *   export const action = formAction(async ({ request, params }) => { … });
 *
 * Inside, code throws `AppError` (or lets a service throw it) and does not catch it.
 */

/** Failures the user can correct on the same form; the others have no form to correct. */
const ON_THE_FORM = new Set([400, 409, 413]);

/** A thrown failure, typed like the failures the action returns itself (their own keys optional), so pages read one shape. */
type OwnFailure<T> = Extract<T, { ok: false }>;
type FailureFor<T> = [OwnFailure<T>] extends [never] ? ReturnType<typeof failureOf> : ReturnType<typeof failureOf> & Partial<OwnFailure<T>>;

function isFailure(value: unknown): value is FormFailure {
  return (
    typeof value === "object" &&
    value !== null &&
    !(value instanceof Response) &&
    "ok" in value &&
    value.ok === false &&
    "fieldErrors" in value
  );
}

/**
 * A page's loader. An AppError becomes a thrown response with its status, which the route's
 * status-aware ErrorBoundary renders ("You do not have access to this page", "Page not found", …).
 */
export function pageLoader<T>(fn: (args: LoaderFunctionArgs) => Promise<T>) {
  return async (args: LoaderFunctionArgs): Promise<T> => {
    try {
      return await fn(args);
    } catch (e) {
      if (e instanceof AppError) throw toResponse(e);
      throw e;
    }
  };
}

/**
 * A form's action. Input the user can correct (400 invalid, 409 changed since the page was opened,
 * 413 too large) is answered on the same page with that status, as a FormFailure `{ ok: false,
 * fieldErrors, formError, values, code }` that ErrorSummary and the fields show. A FormFailure the
 * action returns itself (parseForm's, or failureOf's with the page's own context) is answered the
 * same way, 400 unless it says otherwise. 403 and 404 are thrown to the ErrorBoundary, as from a loader.
 */
export function formAction<T>(fn: (args: ActionFunctionArgs) => Promise<T>) {
  return async (args: ActionFunctionArgs) => {
    try {
      const result = await fn(args);
      if (isFailure(result)) return json(result as Extract<T, FormFailure>, { status: result.status ?? 400 });
      return result as Exclude<T, FormFailure>;
    } catch (e) {
      if (onTheForm(e)) return json(failureOf(e) as FailureFor<T>, { status: e.status });
      throw e instanceof AppError ? toResponse(e) : e;
    }
  };
}

function onTheForm(e: unknown): e is AppError {
  return e instanceof AppError && ON_THE_FORM.has(e.status);
}

/**
 * For a page with several forms: the failure of `fn` as a FormFailure the page can place (with
 * `context` such as which form it came from), returned rather than thrown. 403/404 still throw.
 */
export async function orFailure<T, C extends Record<string, unknown>>(context: C, fn: () => Promise<T>) {
  try {
    return await fn();
  } catch (e) {
    if (onTheForm(e)) return { ...failureOf(e), ...context };
    throw e;
  }
}

/** Parses submitted fields with a zod schema, throwing a 400 AppError with a message per field. */
export function readForm<S extends z.ZodTypeAny>(formData: FormData, schema: S): z.infer<S> {
  const parsed = parseForm(formData, schema);
  if (!parsed.ok) throw invalid(parsed.fieldErrors, { values: parsed.values });
  return parsed.data;
}
