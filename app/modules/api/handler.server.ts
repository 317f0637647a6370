import { ZodError, type z } from "zod";
import { AppError } from "~/utils/errors";
import { currentRequestId, logFor } from "~/utils/log.server";
import { authenticateApi, type ApiAuth } from "./auth.server";
import { runWithApiToken } from "~/modules/audit/context.server";
import { ApiProblem, problemResponse, zodProblems } from "./problem";

/** JSON bodies: most updates are a few KB; a devices push may hold thousands of rows. */
export const JSON_BODY_LIMIT = 256 * 1024;
export const BULK_BODY_LIMIT = 5 * 1024 * 1024;

export function json(data: unknown, init: { status?: number; headers?: Record<string, string> } = {}) {
  return new Response(JSON.stringify(data), {
    status: init.status ?? 200,
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "no-store", ...init.headers },
  });
}

/** Any error as a problem response: ours, the services' AppErrors, validation, or a surprise. */
export async function toProblem(e: unknown, instance?: string): Promise<Response> {
  if (e instanceof ApiProblem) return problemResponse(e.status, e.detail, e.extra, instance);
  if (e instanceof AppError) return problemResponse(e.status, e.message, {}, instance);
  if (e instanceof ZodError) return problemResponse(400, "Some values are not valid.", { errors: zodProblems(e.issues) }, instance);
  if (e instanceof Response) {
    // A Response thrown by shared code (a redirect, or a JSON error answer): keep its status and message.
    let detail = e.statusText || "The request could not be completed.";
    try {
      const body = (await e.clone().json()) as { message?: string };
      if (body?.message) detail = body.message;
    } catch {
      /* not JSON */
    }
    return problemResponse(e.status >= 400 ? e.status : 500, detail, {}, instance);
  }
  logFor("api").error({ err: e, path: instance }, "API request failed");
  const reference = currentRequestId();
  return problemResponse(
    500,
    `Something went wrong on the server. Nothing was changed. Try again later.${reference ? ` If it keeps happening, quote reference ${reference}.` : ""}`,
    reference ? { reference } : {},
    instance,
  );
}

/**
 * Every /api/v1 handler runs through here: authenticate the token (and count it against its
 * rate limit), run the handler with the token id in context so audit events name it, and turn
 * anything thrown into a problem response. Remix sees a Response either way.
 */
export async function apiRoute(request: Request, handler: (auth: ApiAuth) => Promise<Response | object>): Promise<Response> {
  const instance = new URL(request.url).pathname;
  try {
    const auth = await authenticateApi(request);
    const out = await runWithApiToken(auth.tokenId, () => handler(auth));
    return out instanceof Response ? out : json(out);
  } catch (e) {
    return toProblem(e, instance);
  }
}

/** Routes answer only the methods they list; anything else is 405 with an Allow header. */
export function methodNotAllowed(allow: string[]) {
  return new ApiProblem(405, `This address accepts ${allow.join(", ")}.`, { headers: { Allow: allow.join(", ") } });
}

/** Reads a JSON body within `limit` bytes, then checks it with `schema` (errors point into the body). */
export async function readJson<S extends z.ZodTypeAny>(request: Request, schema: S, limit = JSON_BODY_LIMIT): Promise<z.infer<S>> {
  const type = request.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) throw new ApiProblem(415, "Send the body as JSON, with Content-Type: application/json.");
  const declared = Number(request.headers.get("content-length") ?? NaN);
  const tooLarge = () =>
    new ApiProblem(413, `The body may be at most ${Math.round(limit / 1024)} KB. Nothing was changed; send fewer rows at a time.`);
  if (Number.isFinite(declared) && declared > limit) throw tooLarge();
  const bytes = await readLimited(request, limit);
  if (!bytes) throw tooLarge();
  let data: unknown;
  try {
    data = JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(bytes));
  } catch {
    throw new ApiProblem(400, "The body is not valid JSON.");
  }
  const parsed = schema.safeParse(data);
  if (!parsed.success)
    throw new ApiProblem(400, "Some values are not valid. Nothing was changed.", { errors: zodProblems(parsed.error.issues) });
  return parsed.data;
}

async function readLimited(request: Request, limit: number): Promise<Uint8Array | null> {
  if (!request.body) return new Uint8Array();
  const reader = request.body.getReader();
  const parts: Uint8Array[] = [];
  let seen = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    seen += value.length;
    if (seen > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    parts.push(value);
  }
  const out = new Uint8Array(seen);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** Query parameters checked with a zod schema; errors point at #/query/<name>. */
export function readQuery<S extends z.ZodTypeAny>(request: Request, schema: S): z.infer<S> {
  const raw = Object.fromEntries(new URL(request.url).searchParams);
  const parsed = schema.safeParse(raw);
  if (!parsed.success)
    throw new ApiProblem(400, "Some query parameters are not valid.", { errors: zodProblems(parsed.error.issues, "#/query") });
  return parsed.data;
}
