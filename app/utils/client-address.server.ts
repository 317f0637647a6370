import { isIP } from "node:net";
import { getEnv } from "./env.server";

/**
 * Set by our own HTTP server from the socket's remote address (it deletes any copy a client
 * sends), so it is the one address here a client cannot choose.
 */
export const PEER_ADDRESS_HEADER = "x-estate-peer-address";
const UNKNOWN = "unknown";

/** An IP address as one string per host: no port, no IPv4-mapped IPv6 prefix; null if not an IP. */
function normalise(raw: string | undefined | null): string | null {
  if (!raw) return null;
  let v = raw.trim();
  if (v.length > 64) return null;
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(v);
  if (bracketed) v = bracketed[1];
  else if (/^\d{1,3}(\.\d{1,3}){3}:\d+$/.test(v)) v = v.slice(0, v.lastIndexOf(":"));
  if (v.toLowerCase().startsWith("::ffff:") && isIP(v.slice(7)) === 4) v = v.slice(7);
  return isIP(v) ? v.toLowerCase() : null;
}

/**
 * The client's address, for throttling sign-in. `X-Forwarded-For` is believed only as far as
 * `trustProxy` (env TRUST_PROXY) says: the chain is XFF's entries then the socket peer, and with
 * n trusted proxies in front of us the client is the entry n hops back from the peer. With 0
 * (the default) XFF is ignored, so a made-up header cannot give an attacker a fresh address.
 * Anything unparseable falls back to the peer, or "unknown" when there is none (a request that
 * did not come through our server, such as a test calling a route directly).
 */
export function clientAddress(request: Request, trustProxy: number = getEnv().TRUST_PROXY): string {
  const peer = normalise(request.headers.get(PEER_ADDRESS_HEADER));
  if (trustProxy <= 0 || !peer) return peer ?? UNKNOWN;
  // Read at most the entries we could trust; a long forged list costs nothing.
  const forwarded = (request.headers.get("x-forwarded-for") ?? "").split(",").slice(-trustProxy);
  const chain = [...forwarded.map((f) => f.trim()).filter(Boolean), peer];
  const pick = chain[Math.max(0, chain.length - 1 - trustProxy)];
  return normalise(pick) ?? peer;
}
