/**
 * A small Microsoft Graph client for the device sync: an app-only token by OAuth 2.0 client
 * credentials, then `GET /v1.0/deviceManagement/managedDevices` following `@odata.nextLink`
 * (feeds.md §4; microsoft-graph-docs-contrib intune-devices-manageddevice-list.md and
 * concepts/paging.md). Throttled answers (429, and 503) are retried after `Retry-After`
 * (seconds or an HTTP date), or with exponential back-off when it is absent, as the throttling
 * guidance says; retries and the total wait are bounded, as are pages, rows and bytes read.
 * Both base URLs are settings, so tests and the demo point them at the local server
 * (scripts/dev-graph/server.ts).
 */

import { MANAGED_DEVICE_SELECT, type ManagedDevice } from "./map";

export const DEFAULT_AUTHORITY = "https://login.microsoftonline.com";
export const DEFAULT_GRAPH = "https://graph.microsoft.com";

export { MANAGED_DEVICE_SELECT, type ManagedDevice };

export interface GraphLimits {
  maxPages: number;
  maxRows: number;
  /** Bytes read in all, across pages. */
  maxBytes: number;
  /** Retries of one request after a 429/503. */
  maxRetries: number;
  /** Total time spent waiting on throttling in one run. */
  maxWaitMs: number;
  /** One Retry-After is never waited longer than this. */
  maxRetryAfterMs: number;
  requestTimeoutMs: number;
}

export const DEFAULT_LIMITS: GraphLimits = {
  maxPages: 200,
  maxRows: 100_000,
  maxBytes: 200 * 1024 * 1024,
  maxRetries: 5,
  maxWaitMs: 5 * 60_000,
  maxRetryAfterMs: 120_000,
  requestTimeoutMs: 60_000,
};

export interface GraphConnectionSettings {
  authorityUrl: string;
  graphUrl: string;
  tenantId: string;
  clientId: string;
  clientSecret: string;
}

export class GraphError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface GraphClientOptions {
  limits?: Partial<GraphLimits>;
  /** Waits (tests shorten it). */
  sleep?: (ms: number) => Promise<void>;
}

const trimSlash = (u: string) => u.replace(/\/+$/, "");

/** `Retry-After` in milliseconds: delta-seconds or an HTTP date; null when absent or unreadable. */
export function retryAfterMs(value: string | null, now = Date.now()): number | null {
  if (!value) return null;
  const v = value.trim();
  if (/^\d+$/.test(v)) return Number(v) * 1000;
  const t = Date.parse(v);
  return Number.isNaN(t) ? null : Math.max(0, t - now);
}

async function readBounded(res: Response, budget: { left: number }): Promise<string> {
  if (!res.body) return "";
  const reader = res.body.getReader();
  const chunks: Uint8Array[] = [];
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    budget.left -= value.byteLength;
    if (budget.left < 0) {
      await reader.cancel().catch(() => {});
      throw new GraphError("Microsoft Graph sent more data than the sync reads in one run. Nothing was saved.");
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString("utf8");
}

/** Graph's error body, `{ "error": { "code", "message" } }`, as one line. */
function graphMessage(body: string): string {
  try {
    const j = JSON.parse(body) as { error?: { code?: string; message?: string } | string; error_description?: string };
    if (typeof j.error === "object" && j.error) return [j.error.code, j.error.message].filter(Boolean).join(": ");
    if (typeof j.error === "string") return [j.error, j.error_description?.split(/\r?\n/)[0]].filter(Boolean).join(": ");
  } catch {
    /* not JSON */
  }
  return body.slice(0, 200);
}

export class GraphClient {
  private token: string | null = null;
  private readonly limits: GraphLimits;
  private readonly sleep: (ms: number) => Promise<void>;
  private readonly budget: { left: number };
  private waitedMs = 0;
  /** What the run did, for its record. */
  readonly stats = { requests: 0, throttled: 0, waitedMs: 0, pages: 0 };

  constructor(
    private readonly settings: GraphConnectionSettings,
    opts: GraphClientOptions = {},
  ) {
    this.limits = { ...DEFAULT_LIMITS, ...opts.limits };
    this.sleep = opts.sleep ?? ((ms) => new Promise((r) => setTimeout(r, ms)));
    this.budget = { left: this.limits.maxBytes };
  }

  private get graphBase() {
    return trimSlash(this.settings.graphUrl);
  }

  /** An app-only token (client credentials) for `{graph}/.default`. */
  async getToken(): Promise<string> {
    const url = `${trimSlash(this.settings.authorityUrl)}/${encodeURIComponent(this.settings.tenantId)}/oauth2/v2.0/token`;
    const body = new URLSearchParams({
      grant_type: "client_credentials",
      client_id: this.settings.clientId,
      client_secret: this.settings.clientSecret,
      scope: `${this.graphBase}/.default`,
    });
    const res = await this.send(url, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body });
    const text = await readBounded(res, this.budget);
    if (!res.ok) {
      throw new GraphError(
        `Microsoft Entra refused the sign-in for this connection (${res.status} ${graphMessage(text)}). Check the tenant id, client id and secret.`,
        res.status,
      );
    }
    let token: unknown;
    try {
      token = (JSON.parse(text) as { access_token?: unknown }).access_token;
    } catch {
      token = undefined;
    }
    if (typeof token !== "string" || !token) throw new GraphError("The token endpoint's answer had no access token.");
    this.token = token;
    return token;
  }

  /** One request, retried on 429/503 after Retry-After (or back-off), within the run's bounds. */
  private async send(url: string, init: RequestInit): Promise<Response> {
    for (let attempt = 0; ; attempt++) {
      this.stats.requests++;
      let res: Response;
      try {
        res = await fetch(url, { ...init, redirect: "error", signal: AbortSignal.timeout(this.limits.requestTimeoutMs) });
      } catch (e) {
        throw new GraphError(`Could not reach ${new URL(url).origin}: ${e instanceof Error ? e.message : String(e)}`);
      }
      if (res.status !== 429 && res.status !== 503) return res;
      this.stats.throttled++;
      await res.body?.cancel().catch(() => {});
      const wait = Math.min(retryAfterMs(res.headers.get("retry-after")) ?? 1000 * 2 ** attempt, this.limits.maxRetryAfterMs);
      if (attempt >= this.limits.maxRetries || this.waitedMs + wait > this.limits.maxWaitMs) {
        throw new GraphError(
          `Microsoft Graph is throttling this connection (${res.status}) and asked to wait longer than the sync waits. Nothing was saved; the next run will try again.`,
          res.status,
        );
      }
      this.waitedMs += wait;
      this.stats.waitedMs = this.waitedMs;
      await this.sleep(wait);
    }
  }

  /** GET a Graph URL (absolute, on the Graph base's origin) as JSON, refreshing the token once on 401. */
  private async getJson(url: string): Promise<Record<string, unknown>> {
    if (new URL(url).origin !== new URL(this.graphBase).origin)
      throw new GraphError("Microsoft Graph sent a next-page link to another host; the sync does not follow it.");
    for (let retried = false; ; retried = true) {
      const token = this.token ?? (await this.getToken());
      const res = await this.send(url, { headers: { Authorization: `Bearer ${token}`, Accept: "application/json" } });
      if (res.status === 401 && !retried) {
        await res.body?.cancel().catch(() => {});
        this.token = null;
        continue;
      }
      const text = await readBounded(res, this.budget);
      if (!res.ok) {
        const hint =
          res.status === 403
            ? " The app registration needs the application permission DeviceManagementManagedDevices.Read.All, with admin consent."
            : "";
        throw new GraphError(`Microsoft Graph answered ${res.status} (${graphMessage(text)}).${hint}`, res.status);
      }
      try {
        const j = JSON.parse(text) as unknown;
        if (j && typeof j === "object" && !Array.isArray(j)) return j as Record<string, unknown>;
      } catch {
        /* below */
      }
      throw new GraphError("Microsoft Graph's answer was not the JSON object the API documents.");
    }
  }

  /** Every item of a collection, following `@odata.nextLink`, within the page and row bounds. */
  async *collection(firstUrl: string): AsyncGenerator<Record<string, unknown>[]> {
    let url: string | null = firstUrl;
    let rows = 0;
    while (url) {
      if (this.stats.pages >= this.limits.maxPages)
        throw new GraphError(
          `Microsoft Graph had more than ${this.limits.maxPages} pages of results; the sync stopped. Nothing was saved.`,
        );
      const page = await this.getJson(url);
      this.stats.pages++;
      const value = page.value;
      if (!Array.isArray(value)) throw new GraphError("Microsoft Graph's answer had no `value` list.");
      rows += value.length;
      if (rows > this.limits.maxRows)
        throw new GraphError(`Microsoft Graph returned more than ${this.limits.maxRows} devices; the sync stopped. Nothing was saved.`);
      yield value.filter((v): v is Record<string, unknown> => !!v && typeof v === "object");
      const next = page["@odata.nextLink"];
      url = typeof next === "string" && next ? next : null;
    }
  }

  /** All managed devices, with the properties the sync maps. */
  async managedDevices(): Promise<ManagedDevice[]> {
    const out: ManagedDevice[] = [];
    const url = `${this.graphBase}/v1.0/deviceManagement/managedDevices?$select=${MANAGED_DEVICE_SELECT.join(",")}`;
    for await (const page of this.collection(url)) out.push(...page);
    return out;
  }

  /**
   * The Entra device ids (`deviceId`, which managedDevice reports as `azureADDeviceId`) of the
   * devices in a group, nested groups included: `GET /groups/{id}/transitiveMembers/microsoft.graph.device`.
   * Needs GroupMember.Read.All (or Group.Read.All) and Device.Read.All as well.
   */
  async groupDeviceIds(groupId: string): Promise<Set<string>> {
    const ids = new Set<string>();
    const url = `${this.graphBase}/v1.0/groups/${encodeURIComponent(groupId)}/transitiveMembers/microsoft.graph.device?$select=id,deviceId`;
    for await (const page of this.collection(url)) {
      for (const d of page) if (typeof d.deviceId === "string" && d.deviceId) ids.add(d.deviceId.toLowerCase());
    }
    return ids;
  }
}
