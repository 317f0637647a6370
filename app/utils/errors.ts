/**
 * The one application error. `message` is safe to show to the user; `details` is for logs only.
 * Loaders throw it (turned into a Response by `toResponse`); the shared ErrorBoundary renders it.
 */
export class AppError extends Error {
  readonly status: number;
  readonly details?: unknown;
  constructor(status: number, message: string, details?: unknown) {
    super(message);
    this.name = "AppError";
    this.status = status;
    this.details = details;
  }
}

export const notFound = (what = "page") => new AppError(404, `We could not find that ${what}.`);
export const forbidden = (message = "You do not have permission to do that.") => new AppError(403, message);
export const badRequest = (message: string, details?: unknown) => new AppError(400, message, details);
export const conflict = (message: string) => new AppError(409, message);

/** Converts an AppError into a thrown-able Response so Remix error boundaries receive the status. */
export function toResponse(error: AppError): Response {
  return new Response(JSON.stringify({ message: error.message }), {
    status: error.status,
    headers: { "Content-Type": "application/json; charset=utf-8" },
  });
}
