/**
 *   npm run dev:graph [-- --port 9091 --page-size 2]
 *
 * A local Microsoft Graph (Intune) for the demo: a token endpoint and managedDevices with
 * paging, serving five computers of two North East London practices (three F84003-…, one
 * F84013-…, one named by Windows that no rule maps). Throttle it on demand with
 * `curl -X POST 'http://127.0.0.1:9091/_dev/throttle?count=1&retryAfter=2'`.
 * It prints the connection details to enter on the app's "Device management sync" page.
 */
import { parseArgs } from "node:util";
import { demoDevices, startDevGraph } from "./dev-graph/server";

const { values } = parseArgs({ options: { port: { type: "string", default: "9091" }, "page-size": { type: "string", default: "2" } } });
const port = Number(values.port);
const pageSize = Number(values["page-size"]);
if (!Number.isInteger(port) || port < 0 || port > 65535 || !Number.isInteger(pageSize) || pageSize < 1) {
  console.error("--port must be a port number (like 9091) and --page-size a whole number of 1 or more");
  process.exit(2);
}
const tenantId = process.env.DEV_GRAPH_TENANT_ID ?? "0b1e7f3a-1c2d-4e5f-8a9b-0c1d2e3f4a5b";
const clientId = process.env.DEV_GRAPH_CLIENT_ID ?? "6a3b9c1d-2e4f-4a5b-8c7d-9e0f1a2b3c4d";
const clientSecret = process.env.DEV_GRAPH_CLIENT_SECRET ?? "dev-graph-client-secret";
const graph = await startDevGraph({ port, tenantId, clientId, clientSecret, devices: demoDevices(), pageSize });

console.log(`Local Microsoft Graph (Intune) at ${graph.url}, ${graph.devices.length} managed devices, ${pageSize} a page.

Start the app with a key to encrypt client secrets, e.g.
  GRAPH_SECRET_KEY=$(openssl rand -hex 32) npm run dev
then, signed in as the demo admin, add a connection on /device-sync with:
  Tenant ID      ${tenantId}
  Client ID      ${clientId}
  Client secret  ${clientSecret}
  Sign-in address ${graph.url}    Graph address ${graph.url}
  Device name prefixes:  F84003-, F84003   and   F84013-, F84013

Throttle the next request: curl -X POST '${graph.url}/_dev/throttle?count=1&retryAfter=2'`);

const stop = () => graph.close().then(() => process.exit(0));
process.on("SIGINT", stop);
process.on("SIGTERM", stop);
