import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import * as openapiRoute from "~/routes/api.v1.openapi[.]json";
import { openApiDocument } from "~/modules/api/openapi.server";
import { docsView } from "~/modules/api/docs-view";
import { apiRequest, callApi } from "../support/api";

// The OpenAPI document checked against the structure the 3.1 specification requires, and
// against the routes: every app/routes/api.* file is documented, with the methods it answers.

type Json = Record<string, any>;
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];
const doc = openApiDocument() as unknown as Json;

/** app/routes/api.v1.practices.$ods.devices.ts → /api/v1/practices/{ods}/devices */
const pathOfRouteFile = (file: string) =>
  "/" +
  file
    .replace(/\.tsx?$/, "")
    .replace(/\[\.\]/g, "\u0000")
    .split(".")
    .filter((seg) => seg !== "_index")
    .map((seg) => (seg.startsWith("$") ? `{${seg.slice(1)}}` : seg))
    .join("/")
    // eslint-disable-next-line no-control-regex -- deliberate: this finds control characters
    .replace(/\u0000/g, ".");

function resolvePointer(root: Json, ref: string): unknown {
  if (!ref.startsWith("#/")) return undefined;
  return ref
    .slice(2)
    .split("/")
    .map((p) => p.replace(/~1/g, "/").replace(/~0/g, "~"))
    .reduce<unknown>((node, key) => (node && typeof node === "object" ? (node as Json)[key] : undefined), root);
}

function collectRefs(node: unknown, out: string[] = []): string[] {
  if (Array.isArray(node)) node.forEach((n) => collectRefs(n, out));
  else if (node && typeof node === "object") {
    for (const [k, v] of Object.entries(node)) {
      if (k === "$ref" && typeof v === "string") out.push(v);
      else collectRefs(v, out);
    }
  }
  return out;
}

describe("the OpenAPI document", () => {
  it("is served to anyone as JSON at /api/v1/openapi.json", async () => {
    const res = await callApi(openapiRoute, apiRequest("GET", "/api/v1/openapi.json"));
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Type")).toMatch(/^application\/json/);
    expect(res.body).toEqual(JSON.parse(JSON.stringify(doc)));
  });

  it("has the 3.1 top-level structure", () => {
    expect(doc.openapi).toBe("3.1.0");
    expect(typeof doc.info.title).toBe("string");
    expect(typeof doc.info.version).toBe("string");
    expect(
      Object.keys(doc).every(
        (k) =>
          [
            "openapi",
            "info",
            "jsonSchemaDialect",
            "servers",
            "paths",
            "webhooks",
            "components",
            "security",
            "tags",
            "externalDocs",
          ].includes(k) || k.startsWith("x-"),
      ),
    ).toBe(true);
    for (const req of doc.security ?? []) for (const name of Object.keys(req)) expect(doc.components.securitySchemes[name]).toBeDefined();
  });

  it("gives every path operations, and every operation an id, responses with descriptions and its path parameters", () => {
    const ids = new Set<string>();
    for (const [p, item] of Object.entries(doc.paths as Json)) {
      expect(p).toMatch(/^\/api\/v1\//);
      const ops = Object.entries(item as Json).filter(([k]) => METHODS.includes(k));
      expect(ops.length, p).toBeGreaterThan(0);
      for (const [method, op] of ops) {
        const where = `${method.toUpperCase()} ${p}`;
        expect(op.operationId, where).toMatch(/^[A-Za-z]+$/);
        expect(ids.has(op.operationId), `duplicate ${op.operationId}`).toBe(false);
        ids.add(op.operationId);
        const responses = Object.entries(op.responses ?? {});
        expect(responses.length, where).toBeGreaterThan(0);
        expect(
          responses.some(([code]) => /^2\d\d$/.test(code)),
          where,
        ).toBe(true);
        for (const [code, r] of responses) {
          expect(code, where).toMatch(/^([1-5]\d\d|[1-5]XX|default)$/);
          expect(typeof (r as Json).description, `${where} ${code}`).toBe("string");
          if (/^[45]/.test(code)) expect(Object.keys((r as Json).content ?? {}), `${where} ${code}`).toEqual(["application/problem+json"]);
        }
        const params: Json[] = op.parameters ?? [];
        for (const prm of params) {
          expect(["query", "header", "path", "cookie"]).toContain(prm.in);
          expect(prm.schema ?? prm.content, `${where} ${prm.name}`).toBeDefined();
        }
        for (const [, name] of p.matchAll(/\{([^}]+)\}/g)) {
          expect(params.find((x) => x.in === "path" && x.name === name)?.required, `${where} path parameter ${name}`).toBe(true);
        }
        if (op.requestBody) expect(Object.keys(op.requestBody.content).length).toBeGreaterThan(0);
      }
    }
  });

  it("resolves every $ref", () => {
    const refs = collectRefs(doc);
    expect(refs.length).toBeGreaterThan(20);
    const broken = refs.filter((r) => resolvePointer(doc, r) === undefined);
    expect(broken).toEqual([]);
  });

  it("documents every app/routes/api.* file with the methods it answers, and nothing else", async () => {
    const dir = path.resolve("app/routes");
    const files = fs.readdirSync(dir).filter((f) => /^api\./.test(f));
    expect(files.length).toBeGreaterThan(8);
    const documented = new Set(Object.keys(doc.paths));
    for (const file of files) {
      const p = pathOfRouteFile(file);
      expect(documented.has(p), `${file} → ${p} is not in the document`).toBe(true);
      documented.delete(p);
      const mod = (await import(/* @vite-ignore */ path.join(dir, file))) as { loader?: unknown; action?: unknown };
      const methods = Object.keys(doc.paths[p]).filter((k) => METHODS.includes(k));
      expect(typeof mod.loader, file).toBe(methods.includes("get") ? "function" : "undefined");
      expect(typeof mod.action, file).toBe(methods.some((m) => m !== "get") ? "function" : "undefined");
    }
    expect([...documented]).toEqual([]);
  });

  it("renders for people: every operation and schema appears on the reference page's data", () => {
    const view = docsView(doc);
    const ops = Object.values(view.operations).flat();
    expect(ops.length).toBe(
      Object.values(doc.paths as Json).reduce(
        (n: number, item: Json) => n + Object.keys(item).filter((k) => METHODS.includes(k)).length,
        0,
      ),
    );
    expect(view.schemas.map((s) => s.name)).toEqual(Object.keys(doc.components.schemas));
    const push = ops.find((o) => o.id === "pushDevices")!;
    expect(push.body).toBe("DeviceBulkBody");
    expect(push.responses.map((r) => r.status)).toEqual(expect.arrayContaining(["200", "400", "409", "413", "429"]));
  });
});
