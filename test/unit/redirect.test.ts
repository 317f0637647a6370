import { describe, expect, it } from "vitest";
import { safeRedirect } from "~/utils/redirect";

// Each class of open-redirect bypass, as the value reaches the action (form fields arrive
// already percent-decoded once, so `%2F%2Fevil` in the query string is `//evil` here).
describe("safeRedirect", () => {
  it.each([
    ["/practices/F84003", "/practices/F84003"],
    ["/gaps?status=open&group=pcn#top", "/gaps?status=open&group=pcn#top"],
    ["/practices/F84003/gaps", "/practices/F84003/gaps"],
    ["/a/../b", "/b"],
    ["/%2F/evil.example", "/%2F/evil.example"],
    // A browser reads one leading backslash as `/`: a path on this site, which is what we return.
    ["\\evil.example", "/evil.example"],
  ])("keeps the same-origin path %j as %j", (input, expected) => {
    expect(safeRedirect(input)).toBe(expected);
  });

  const bypasses: [string, string][] = [
    ["protocol-relative", "//evil.example/phish"],
    ["backslash after slash", "/\\evil.example"],
    ["two backslashes", "\\\\evil.example"],
    ["tab between slashes (the reported bypass)", "/\t/evil.example/phish"],
    ["CR and LF between slashes", "/\r\n/evil.example"],
    ["other C0 control and DEL between slashes", "/\u0000\u001f\u007f/evil.example"],
    ["%09 as it arrives decoded", decodeURIComponent("%2F%09%2Fevil.example%2Fphish")],
    ["%2F%2F as it arrives decoded", decodeURIComponent("%2F%2Fevil.example")],
    ["still percent-encoded (not a path)", "%2F%2Fevil.example"],
    ["absolute https", "https://evil.example"],
    ["scheme without slashes", "https:evil.example"],
    ["javascript: URL", "javascript:alert(1)"],
    ["javascript: after a slash-like prefix", "\t javascript:alert(1)"],
    ["data: URL", "data:text/html,<script>alert(1)</script>"],
    ["leading spaces before //", "   //evil.example"],
    ["leading tab and newline before //", "\t\n//evil.example"],
    ["leading control characters before //", "\u0001\u0002//evil.example"],
    ["non-breaking space prefix", "\u00a0//evil.example"],
    ["dot segments collapsing to //", "/.//evil.example"],
    ["dot-dot segments collapsing to //", "/x/..//evil.example"],
    ["backslash dot segments", "/.\\\\evil.example"],
    ["empty string", ""],
    ["very long string", "/" + "a".repeat(5000)],
    ["very long string hiding //", "/\t".repeat(3000) + "/evil.example"],
  ];
  it.each(bypasses)("refuses %s", (_name, input) => {
    const out = safeRedirect(input);
    expect(out).toBe("/");
  });

  it("refuses what is not a string", () => {
    expect(safeRedirect(undefined)).toBe("/");
    expect(safeRedirect(null)).toBe("/");
    expect(safeRedirect(["/x"])).toBe("/");
    expect(safeRedirect({ toString: () => "/x" })).toBe("/");
  });

  it("uses the fallback given", () => {
    expect(safeRedirect("//evil.example", "/home")).toBe("/home");
  });

  it("never returns anything a browser would resolve off-site", () => {
    for (const [, input] of bypasses) {
      const resolved = new URL(safeRedirect(input), "https://estate.example");
      expect(resolved.origin).toBe("https://estate.example");
    }
  });
});
