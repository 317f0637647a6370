import { describe, expect, it } from "vitest";
import { clientAddress, PEER_ADDRESS_HEADER } from "~/utils/client-address.server";

const req = (headers: Record<string, string>) => new Request("http://localhost/sign-in", { headers });

describe("clientAddress", () => {
  it("is the socket peer our server recorded, when no proxy is trusted (TRUST_PROXY=0)", () => {
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "198.51.100.7" }), 0)).toBe("198.51.100.7");
  });

  it("ignores a made-up X-Forwarded-For with TRUST_PROXY=0: the attacker keeps the peer's bucket", () => {
    for (const xff of ["203.0.113.9", "1.1.1.1, 2.2.2.2", "garbage", "::1"]) {
      expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "198.51.100.7", "x-forwarded-for": xff }), 0)).toBe("198.51.100.7");
    }
  });

  it("is 'unknown' without a peer address (not through our server), whatever XFF says", () => {
    expect(clientAddress(req({}), 0)).toBe("unknown");
    expect(clientAddress(req({ "x-forwarded-for": "203.0.113.9" }), 1)).toBe("unknown");
  });

  it("with one trusted proxy, takes the address that proxy appended (the last entry), not the client's own claims", () => {
    const headers = { [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "6.6.6.6, 203.0.113.9" };
    expect(clientAddress(req(headers), 1)).toBe("203.0.113.9");
    expect(clientAddress(req(headers), 2)).toBe("6.6.6.6");
  });

  it("with more trusted proxies than entries, stops at the first entry; with none, the peer", () => {
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.9" }), 3)).toBe("203.0.113.9");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2" }), 1)).toBe("10.0.0.2");
  });

  it("falls back to the peer when the trusted entry is not an IP address", () => {
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "not-an-ip" }), 1)).toBe("10.0.0.2");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "1".repeat(5000) }), 1)).toBe("10.0.0.2");
  });

  it("writes one address one way: no port, no IPv4-mapped prefix, lower-case IPv6", () => {
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "::ffff:198.51.100.7" }), 0)).toBe("198.51.100.7");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "2001:DB8::1" }), 0)).toBe("2001:db8::1");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "203.0.113.9:51234" }), 1)).toBe("203.0.113.9");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": "[2001:db8::2]:443" }), 1)).toBe("2001:db8::2");
  });

  it("reads only as many XFF entries as it could trust, however long the header", () => {
    const long = Array.from({ length: 2000 }, (_, i) => `10.1.${i % 250}.${i % 200}`).join(", ");
    expect(clientAddress(req({ [PEER_ADDRESS_HEADER]: "10.0.0.2", "x-forwarded-for": `${long}, 203.0.113.9` }), 1)).toBe("203.0.113.9");
  });
});
