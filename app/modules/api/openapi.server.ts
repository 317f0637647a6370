import { z } from "zod";
import { createDocument, type ZodOpenApiOperationObject, type ZodOpenApiResponsesObject } from "zod-openapi";
import * as s from "./schemas";

/**
 * The OpenAPI 3.1 document, generated from the zod schemas the routes check requests with
 * (schemas.ts). Every app/routes/api.v1.* file has its path here; a test checks that.
 */

const PROBLEM_TEXT: Record<number, string> = {
  400: "The request is not valid: see `errors` for each field or row",
  401: "No token, or a token that is unknown, revoked or expired",
  403: "The token's account may not do this here",
  404: "Not found, or outside the token's scope",
  405: "Method not allowed",
  409: "Someone changed the record since the version sent",
  413: "The body is too large",
  415: "The body is not JSON",
  429: "Rate limit reached: wait for the seconds in Retry-After",
};

function problems(...codes: number[]): ZodOpenApiResponsesObject {
  const out: ZodOpenApiResponsesObject = {};
  for (const c of codes) {
    out[String(c) as "400"] = {
      description: PROBLEM_TEXT[c],
      ...(c === 429 ? { headers: z.object({ "Retry-After": z.string().meta({ description: "Seconds to wait" }) }) } : {}),
      content: { "application/problem+json": { schema: s.Problem } },
    };
  }
  return out;
}

const READ_ERRORS = [400, 401, 403, 404, 429];
const WRITE_ERRORS = [400, 401, 403, 404, 405, 409, 413, 415, 429];

const ok = (schema: z.ZodType, description: string): ZodOpenApiResponsesObject => ({
  "200": { description, content: { "application/json": { schema } } },
});

function get(
  summary: string,
  tag: string,
  opts: { path?: z.ZodObject; query?: z.ZodObject; schema: z.ZodType; description?: string },
): ZodOpenApiOperationObject {
  return {
    summary,
    tags: [tag],
    description: opts.description,
    requestParams: { ...(opts.path ? { path: opts.path } : {}), ...(opts.query ? { query: opts.query } : {}) },
    responses: { ...ok(opts.schema, "OK"), ...problems(...READ_ERRORS) },
  };
}

let cached: ReturnType<typeof createDocument> | null = null;

export function openApiDocument() {
  cached ??= createDocument({
    openapi: "3.1.0",
    info: {
      title: "GP digital estate API",
      version: "1.0.0",
      description:
        "Read and update GP practices' IT estate with the same scopes and checks as the web pages. Authenticate with an API token: `Authorization: Bearer <token>`. Make a token on your account page (/account/tokens). Errors are RFC 9457 problem details. Lists are paged with an opaque cursor: pass `page.next` back as `cursor`.",
    },
    servers: [{ url: "/" }],
    security: [{ bearer: [] }],
    components: { securitySchemes: { bearer: { type: "http", scheme: "bearer", description: "An API token (gpde_…)" } } },
    tags: [
      { name: "Practices" },
      { name: "Devices" },
      { name: "Telephony" },
      { name: "Digital services" },
      { name: "Sites" },
      { name: "Compliance" },
      { name: "Gaps and funding" },
      { name: "Documentation" },
    ],
    paths: {
      "/api/v1/practices": {
        get: { ...get("List practices", "Practices", { query: s.PracticesQuery, schema: s.PracticeList }), operationId: "listPractices" },
      },
      "/api/v1/practices/{ods}": {
        get: {
          ...get("One practice, with its estate at a glance", "Practices", { path: s.OdsPath, schema: s.PracticeDetail }),
          operationId: "getPractice",
        },
      },
      "/api/v1/practices/{ods}/devices": {
        get: {
          ...get("List a practice's devices", "Devices", { path: s.OdsPath, query: s.DevicesQuery, schema: s.DeviceList }),
          operationId: "listDevices",
        },
        post: {
          operationId: "pushDevices",
          summary: "Create or update devices (bulk, as the device import)",
          description:
            "Each device is matched at the practice by asset tag, then serial number, and checked exactly as a row of the device import. One transaction. Sending the same devices again changes nothing (created 0, updated 0). Needs the GP IT delivery partner's rights for the practice.",
          tags: ["Devices"],
          requestParams: { path: s.OdsPath, query: s.DeviceBulkQuery },
          requestBody: { required: true, content: { "application/json": { schema: s.DeviceBulkBody } } },
          responses: { ...ok(s.DeviceBulkResult, "Checked (and written unless a dry run)"), ...problems(...WRITE_ERRORS) },
        },
      },
      "/api/v1/practices/{ods}/telephony": {
        get: {
          ...get("The practice's telephony systems", "Telephony", { path: s.OdsPath, schema: s.TelephonyView }),
          operationId: "getTelephony",
        },
        patch: {
          operationId: "updateTelephony",
          summary: "Correct the current telephony system",
          description:
            "Send the `version` you read; a stale version is refused with 409 and nothing is changed. Needs the practice manager's rights.",
          tags: ["Telephony"],
          requestParams: { path: s.OdsPath },
          requestBody: { required: true, content: { "application/json": { schema: s.TelephonyUpdateBody } } },
          responses: { ...ok(z.object({ current: s.TelephonySystem }), "Saved"), ...problems(...WRITE_ERRORS) },
        },
      },
      "/api/v1/practices/{ods}/digital-services": {
        get: {
          ...get("The practice's digital services", "Digital services", { path: s.OdsPath, schema: s.DigitalServicesView }),
          operationId: "getDigitalServices",
        },
        patch: {
          operationId: "updateDigitalServices",
          summary: "Change some digital services",
          description:
            "Each service changed must carry the `version` you read (0 if none was recorded); any stale version is 409 and nothing is changed.",
          tags: ["Digital services"],
          requestParams: { path: s.OdsPath },
          requestBody: { required: true, content: { "application/json": { schema: s.DigitalServicesUpdateBody } } },
          responses: { ...ok(z.object({ changed: z.number().int() }), "Saved"), ...problems(...WRITE_ERRORS) },
        },
      },
      "/api/v1/practices/{ods}/sites": {
        get: {
          ...get("The practice's sites", "Sites", { path: s.OdsPath, query: s.SitesQuery, schema: s.SiteList }),
          operationId: "listSites",
        },
      },
      "/api/v1/practices/{ods}/compliance": {
        get: {
          ...get("The practice's compliance results", "Compliance", {
            path: s.OdsPath,
            query: s.ComplianceQuery,
            schema: s.ComplianceView,
          }),
          operationId: "getCompliance",
        },
      },
      "/api/v1/gaps": {
        get: {
          ...get("The gap register", "Gaps and funding", {
            query: s.GapsQuery,
            schema: s.GapList,
            description: "Pages hold 25 gaps, as the register page.",
          }),
          operationId: "listGaps",
        },
      },
      "/api/v1/funding-requests": {
        get: {
          ...get("Funding requests (read only)", "Gaps and funding", { query: s.FundingQuery, schema: s.FundingList }),
          operationId: "listFundingRequests",
        },
      },
      "/api/v1/openapi.json": {
        get: {
          operationId: "getOpenApi",
          summary: "This document",
          tags: ["Documentation"],
          security: [],
          responses: {
            "200": {
              description: "The OpenAPI 3.1 document",
              content: { "application/json": { schema: z.object({ openapi: z.string() }).passthrough() } },
            },
          },
        },
      },
    },
  });
  return cached;
}
