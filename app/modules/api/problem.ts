/**
 * Errors as RFC 9457 problem details (application/problem+json). `errors` carries one entry per
 * field or row, each with a JSON pointer into what the client sent, so a script can put the
 * message next to the value that caused it.
 */
export interface FieldProblem {
  /** JSON pointer into the request: "/devices/3/asset_tag", "#/query/limit". */
  pointer: string;
  detail: string;
}

export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  errors?: FieldProblem[];
  [extra: string]: unknown;
}

export const PROBLEM_TITLES: Record<number, string> = {
  400: "The request is not valid",
  401: "Authentication is needed",
  403: "Not allowed",
  404: "Not found",
  405: "Method not allowed",
  409: "Conflict",
  413: "The request body is too large",
  415: "Unsupported media type",
  429: "Too many requests",
  500: "Server error",
};

const TYPES: Record<number, string> = {
  400: "validation",
  401: "unauthenticated",
  403: "forbidden",
  404: "not-found",
  405: "method-not-allowed",
  409: "conflict",
  413: "too-large",
  415: "unsupported-media-type",
  429: "rate-limited",
  500: "server-error",
};

export const problemType = (status: number) => `/api-docs#problem-${TYPES[status] ?? "error"}`;

/** A thrown value every API route turns into its problem response. */
export class ApiProblem extends Error {
  constructor(
    readonly status: number,
    readonly detail: string,
    readonly extra: { errors?: FieldProblem[]; headers?: Record<string, string>; [k: string]: unknown } = {},
  ) {
    super(detail);
    this.name = "ApiProblem";
  }
}

export function problemResponse(status: number, detail: string, extra: ApiProblem["extra"] = {}, instance?: string): Response {
  const { headers, ...rest } = extra;
  const body: Problem = {
    type: problemType(status),
    title: PROBLEM_TITLES[status] ?? "Error",
    status,
    detail,
    ...(instance ? { instance } : {}),
    ...rest,
  };
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/problem+json; charset=utf-8", "Cache-Control": "no-store", ...headers },
  });
}

/** Zod issues as field problems, pointing under `base` ("/devices/0", "#/query"). */
export function zodProblems(issues: readonly { path: readonly PropertyKey[]; message: string }[], base = ""): FieldProblem[] {
  return issues.map((i) => ({
    pointer: `${base}/${i.path.map((p) => String(p).replace(/~/g, "~0").replace(/\//g, "~1")).join("/")}`.replace(/\/$/, "") || "/",
    detail: i.message,
  }));
}
