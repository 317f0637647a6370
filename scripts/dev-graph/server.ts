import { randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local stand-in for Microsoft Entra's token endpoint and the parts of Microsoft Graph the
 * Intune sync reads, speaking the documented JSON shapes (feeds.md §4; microsoft-graph-docs-contrib
 * intune-devices-manageddevice-list.md, concepts/paging.md, concepts/throttling.md):
 *
 * - `POST /{tenant}/oauth2/v2.0/token` (client credentials) → `{ token_type, expires_in, access_token }`;
 *   a wrong client gets 401 `{ error: "invalid_client", error_description }`.
 * - `GET /v1.0/deviceManagement/managedDevices[?$select=…]` → `{ "@odata.context", value: [...],
 *   "@odata.nextLink" }`, pages of `pageSize` (Graph's default is 1,000), `$skiptoken` paging.
 * - `GET /v1.0/groups/{id}/transitiveMembers/microsoft.graph.device` → Entra device objects (`deviceId`).
 * - Throttling on demand: the next N Graph requests answer 429 with `Retry-After` and Graph's
 *   error body (`throttle()`, or `POST /_dev/throttle?count=N&retryAfter=S` for the demo).
 *
 * Real HTTP on 127.0.0.1, used by the integration tests and `npm run dev:graph`.
 */

export interface FakeManagedDevice {
  id: string;
  deviceName: string;
  managedDeviceName?: string;
  operatingSystem: string;
  osVersion: string;
  complianceState: string;
  isEncrypted: boolean;
  lastSyncDateTime: string;
  serialNumber: string;
  manufacturer: string;
  model: string;
  managementAgent?: string;
  managedDeviceOwnerType?: string;
  azureADDeviceId?: string;
  userPrincipalName?: string;
  notes?: string | null;
  enrolledDateTime?: string;
}

export interface DevGraphOptions {
  port?: number;
  tenantId?: string;
  clientId: string;
  clientSecret: string;
  devices?: FakeManagedDevice[];
  /** Entra group object id → Entra device ids (`deviceId`) in it. */
  groups?: Record<string, string[]>;
  pageSize?: number;
}

export interface DevGraph {
  url: string;
  devices: FakeManagedDevice[];
  groups: Record<string, string[]>;
  pageSize: number;
  /** The next `count` Graph requests answer 429 with this Retry-After (seconds; null: no header). */
  throttle(count: number, retryAfterSeconds: number | null): void;
  /** Every request, in order: "POST /tenant/oauth2/v2.0/token", "GET /v1.0/…" (with its query). */
  log: string[];
  close(): Promise<void>;
}

const json = (res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { "Content-Type": "application/json; charset=utf-8", ...headers });
  res.end(JSON.stringify(body));
};

const graphError = (res: ServerResponse, status: number, code: string, message: string, headers: Record<string, string> = {}) =>
  json(
    res,
    status,
    { error: { code, message, innerError: { date: new Date().toISOString(), "request-id": randomBytes(16).toString("hex") } } },
    headers,
  );

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const c of req) {
    size += (c as Buffer).length;
    if (size > 64 * 1024) throw new Error("body too large");
    chunks.push(c as Buffer);
  }
  return Buffer.concat(chunks).toString("utf8");
}

export async function startDevGraph(opts: DevGraphOptions): Promise<DevGraph> {
  const tokens = new Set<string>();
  let throttleLeft = 0;
  let throttleAfter: number | null = null;
  const state: DevGraph = {
    url: "",
    devices: opts.devices ?? [],
    groups: opts.groups ?? {},
    pageSize: opts.pageSize ?? 1000,
    throttle(count, retryAfterSeconds) {
      throttleLeft = count;
      throttleAfter = retryAfterSeconds;
    },
    log: [],
    close: async () => {},
  };

  const page = (res: ServerResponse, url: URL, items: Record<string, unknown>[], context: string) => {
    const select = url.searchParams.get("$select");
    const fields = select ? new Set(["id", ...select.split(",").map((s) => s.trim())]) : null;
    const skip = Number(url.searchParams.get("$skiptoken") ?? "0") || 0;
    const slice = items
      .slice(skip, skip + state.pageSize)
      .map((d) => (fields ? Object.fromEntries(Object.entries(d).filter(([k]) => fields.has(k))) : d));
    const body: Record<string, unknown> = { "@odata.context": `${state.url}/v1.0/$metadata#${context}`, value: slice };
    if (skip + state.pageSize < items.length) {
      // As Graph writes it: the request's own query with a `$skiptoken` (its `$` not escaped).
      const query = (url.search.slice(1) ? url.search.slice(1).split("&") : []).filter((p) => !/^(\$|%24)skiptoken=/i.test(p));
      body["@odata.nextLink"] = `${state.url}${url.pathname}?${[...query, `$skiptoken=${skip + state.pageSize}`].join("&")}`;
    }
    json(res, 200, body);
  };

  const server = createServer((req, res) => {
    void (async () => {
      const url = new URL(req.url ?? "/", state.url || "http://127.0.0.1");
      state.log.push(`${req.method} ${url.pathname}${url.search}`);
      try {
        if (req.method === "POST" && url.pathname === "/_dev/throttle") {
          state.throttle(
            Number(url.searchParams.get("count") ?? "1"),
            url.searchParams.has("retryAfter") ? Number(url.searchParams.get("retryAfter")) : 2,
          );
          return json(res, 200, { throttling: throttleLeft, retryAfter: throttleAfter });
        }
        const tokenPath = /^\/([^/]+)\/oauth2\/v2\.0\/token$/.exec(url.pathname);
        if (tokenPath) {
          if (req.method !== "POST") return json(res, 405, { error: "invalid_request" });
          const form = new URLSearchParams(await readBody(req));
          if (opts.tenantId && decodeURIComponent(tokenPath[1]) !== opts.tenantId)
            return json(res, 400, { error: "invalid_request", error_description: `AADSTS90002: Tenant '${tokenPath[1]}' not found.` });
          if (form.get("grant_type") !== "client_credentials")
            return json(res, 400, {
              error: "unsupported_grant_type",
              error_description: "AADSTS70003: The app requested an unsupported grant type.",
            });
          if (form.get("client_id") !== opts.clientId || form.get("client_secret") !== opts.clientSecret)
            return json(res, 401, {
              error: "invalid_client",
              error_description:
                "AADSTS7000215: Invalid client secret provided. Ensure the secret being sent in the request is the client secret value.",
            });
          if (!form.get("scope")?.endsWith("/.default"))
            return json(res, 400, {
              error: "invalid_scope",
              error_description: "AADSTS1002012: The provided value for scope is not valid.",
            });
          const token = randomBytes(24).toString("base64url");
          tokens.add(token);
          return json(res, 200, { token_type: "Bearer", expires_in: 3599, ext_expires_in: 3599, access_token: token });
        }
        if (!url.pathname.startsWith("/v1.0/")) return graphError(res, 404, "ResourceNotFound", "Resource not found");
        const auth = /^Bearer (.+)$/.exec(req.headers.authorization ?? "");
        if (!auth || !tokens.has(auth[1])) return graphError(res, 401, "InvalidAuthenticationToken", "Access token is empty or invalid.");
        if (throttleLeft > 0) {
          throttleLeft--;
          return graphError(
            res,
            429,
            "TooManyRequests",
            "Too many requests from Identifier:… under category:throttle.intune.devices",
            throttleAfter === null ? {} : { "Retry-After": String(throttleAfter) },
          );
        }
        if (req.method === "GET" && url.pathname === "/v1.0/deviceManagement/managedDevices") {
          return page(res, url, state.devices as unknown as Record<string, unknown>[], "deviceManagement/managedDevices");
        }
        const group = /^\/v1\.0\/groups\/([^/]+)\/transitiveMembers\/microsoft\.graph\.device$/.exec(url.pathname);
        if (req.method === "GET" && group) {
          const members = state.groups[decodeURIComponent(group[1]).toLowerCase()];
          if (!members) return graphError(res, 404, "Request_ResourceNotFound", `Resource '${group[1]}' does not exist.`);
          const items = members.map((deviceId, i) => ({ "@odata.type": "#microsoft.graph.device", id: `obj-${i}-${deviceId}`, deviceId }));
          return page(res, url, items, "devices");
        }
        return graphError(res, 400, "BadRequest", `Resource not found for the segment '${url.pathname.split("/").pop()}'.`);
      } catch (e) {
        graphError(res, 500, "InternalServerError", e instanceof Error ? e.message : "error");
      }
    })();
  });
  await new Promise<void>((resolve) => server.listen(opts.port ?? 0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  state.url = `http://127.0.0.1:${port}`;
  state.close = () => new Promise<void>((resolve) => server.close(() => resolve()));
  return state;
}

/** A demo tenant: computers of two real North East London practices, named by practice code. */
export function demoDevices(now = new Date()): FakeManagedDevice[] {
  const ago = (hours: number) => new Date(now.getTime() - hours * 3_600_000).toISOString().replace(/\.\d{3}Z$/, "Z");
  const base = { managementAgent: "mdm", managedDeviceOwnerType: "company", notes: null };
  return [
    {
      ...base,
      id: "5f3a1c52-0001-4d6e-9a10-000000000001",
      deviceName: "F84003-RECEP01",
      operatingSystem: "Windows",
      osVersion: "10.0.26100.4061",
      complianceState: "compliant",
      isEncrypted: true,
      lastSyncDateTime: ago(3),
      serialNumber: "DEMO7Q3K21",
      manufacturer: "Dell Inc.",
      model: "OptiPlex 7010",
      azureADDeviceId: "8d0c5b1e-0001-4f2a-9b3c-000000000001",
    },
    {
      ...base,
      id: "5f3a1c52-0002-4d6e-9a10-000000000002",
      deviceName: "F84003-GP01",
      operatingSystem: "Windows",
      osVersion: "10.0.19045.5737",
      complianceState: "noncompliant",
      isEncrypted: false,
      lastSyncDateTime: ago(26),
      serialNumber: "DEMO7Q3K22",
      manufacturer: "Dell Inc.",
      model: "Latitude 5440",
      azureADDeviceId: "8d0c5b1e-0002-4f2a-9b3c-000000000002",
    },
    {
      ...base,
      id: "5f3a1c52-0003-4d6e-9a10-000000000003",
      deviceName: "F84003-GP02",
      operatingSystem: "Windows",
      osVersion: "10.0.22631.5335",
      complianceState: "compliant",
      isEncrypted: true,
      lastSyncDateTime: ago(5),
      serialNumber: "DEMO7Q3K23",
      manufacturer: "HP",
      model: "EliteBook 840 G10",
      azureADDeviceId: "8d0c5b1e-0003-4f2a-9b3c-000000000003",
    },
    {
      ...base,
      id: "5f3a1c52-0004-4d6e-9a10-000000000004",
      deviceName: "F84013-ADMIN1",
      operatingSystem: "Windows",
      osVersion: "10.0.26100.4061",
      complianceState: "inGracePeriod",
      isEncrypted: true,
      lastSyncDateTime: ago(50),
      serialNumber: "DEMO8W2M01",
      manufacturer: "LENOVO",
      model: "ThinkCentre M70q Gen 4",
      azureADDeviceId: "8d0c5b1e-0004-4f2a-9b3c-000000000004",
    },
    {
      ...base,
      id: "5f3a1c52-0005-4d6e-9a10-000000000005",
      deviceName: "DESKTOP-7HF2K9L",
      operatingSystem: "Windows",
      osVersion: "10.0.19045.5737",
      complianceState: "unknown",
      isEncrypted: false,
      lastSyncDateTime: ago(400),
      serialNumber: "DEMO9X1A77",
      manufacturer: "Dell Inc.",
      model: "OptiPlex 3080",
      azureADDeviceId: "8d0c5b1e-0005-4f2a-9b3c-000000000005",
    },
  ];
}
