import { isRouteErrorResponse, useRouteError } from "@remix-run/react";
import { Link } from "~/components/Link";

function messageFrom(data: unknown): string | undefined {
  if (data && typeof data === "object" && "message" in data && typeof data.message === "string") return data.message;
  if (typeof data === "string") {
    try {
      return messageFrom(JSON.parse(data));
    } catch {
      return data || undefined;
    }
  }
  return undefined;
}

/** The one error view every route re-exports: a plain explanation per status, never a stack trace. */
export function GeneralErrorBoundary() {
  const error = useRouteError();
  if (isRouteErrorResponse(error)) {
    const message = messageFrom(error.data);
    const title =
      error.status === 404 ? "Page not found" : error.status === 403 ? "You do not have access to this page" : "Sorry, there is a problem";
    return (
      <>
        <h1>{title}</h1>
        <p>{message ?? (error.status === 404 ? "We could not find that page." : "Please try again.")}</p>
        <p>
          <Link to="/">Go to the home page</Link>
        </p>
      </>
    );
  }
  return (
    <>
      <h1>Sorry, there is a problem with the service</h1>
      <p>Please try again later. If the problem continues, contact your system administrator.</p>
    </>
  );
}
