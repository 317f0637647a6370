/**
 * The OpenAPI document flattened for the documentation page: operations by tag with their
 * parameters and responses, and each named schema's properties. Plain data, so the page renders
 * it without any script (the CSP allows none from elsewhere).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

export interface DocParam {
  name: string;
  in: string;
  required: boolean;
  type: string;
  description: string;
}
export interface DocOperation {
  id: string;
  method: string;
  path: string;
  summary: string;
  description: string;
  params: DocParam[];
  body: string | null;
  responses: { status: string; description: string; type: string }[];
}
export interface DocSchema {
  name: string;
  description: string;
  properties: { name: string; type: string; required: boolean; description: string }[];
}

const refName = (ref: string) => ref.replace("#/components/schemas/", "");

/** A schema in a few words: "string (date)", "array of Device", "one of …". */
export function typeOf(s: Json | undefined): string {
  if (!s) return "any";
  if (s.$ref) return refName(s.$ref);
  if (s.enum) return `one of: ${s.enum.map((e: unknown) => JSON.stringify(e)).join(", ")}`;
  if (s.anyOf || s.oneOf) return (s.anyOf ?? s.oneOf).map(typeOf).join(" or ");
  if (s.type === "array") return `array of ${typeOf(s.items)}`;
  if (Array.isArray(s.type)) return s.type.join(" or ");
  if (s.type === "object" && s.properties) return `object (${Object.keys(s.properties).join(", ")})`;
  return `${s.type ?? "any"}${s.format ? ` (${s.format})` : ""}`;
}

export function docsView(doc: Json) {
  const operations: Record<string, DocOperation[]> = {};
  for (const [path, item] of Object.entries(doc.paths as Json)) {
    for (const [method, op] of Object.entries(item as Json)) {
      const tag = op.tags?.[0] ?? "Other";
      const content = op.requestBody?.content?.["application/json"]?.schema;
      (operations[tag] ??= []).push({
        id: op.operationId ?? `${method}-${path}`,
        method: method.toUpperCase(),
        path,
        summary: op.summary ?? "",
        description: op.description ?? "",
        params: (op.parameters ?? []).map((p: Json) => ({
          name: p.name,
          in: p.in,
          required: !!p.required,
          type: typeOf(p.schema),
          description: p.description ?? p.schema?.description ?? "",
        })),
        body: content ? typeOf(content) : null,
        responses: Object.entries(op.responses as Json).map(([status, r]) => {
          const c = (r as Json).content ?? {};
          const schema = c["application/json"]?.schema ?? c["application/problem+json"]?.schema;
          return { status, description: (r as Json).description ?? "", type: schema ? typeOf(schema) : "" };
        }),
      });
    }
  }
  const schemas: DocSchema[] = Object.entries((doc.components?.schemas ?? {}) as Json).map(([name, s]) => ({
    name,
    description: (s as Json).description ?? "",
    properties: Object.entries(((s as Json).properties ?? {}) as Json).map(([p, ps]) => ({
      name: p,
      type: typeOf(ps as Json),
      required: ((s as Json).required ?? []).includes(p),
      description: (ps as Json).description ?? "",
    })),
  }));
  return {
    title: doc.info.title as string,
    version: doc.info.version as string,
    description: doc.info.description as string,
    operations,
    schemas,
  };
}
