import { describe, expect, it } from "vitest";
import { exportBounds } from "~/utils/export-bounds";
import { serverConfig } from "../../scripts/server/config";

// How long a threaded export may go without its client taking a chunk, and how long one may wait
// for a slot (utils/export-thread.server.ts): defaults, fractions for tests, and bad values refused.
describe("EXPORT_STALL_SECONDS and EXPORT_WAIT_SECONDS", () => {
  const bounds = (env: Record<string, string>) =>
    exportBounds({ ...process.env, EXPORT_STALL_SECONDS: "", EXPORT_WAIT_SECONDS: "", ...env });

  it("default to 30 s without a chunk taken and 50 s waiting for a slot", () => {
    expect(bounds({})).toEqual({ stallMs: 30_000, waitMs: 50_000 });
    expect(bounds({ EXPORT_STALL_SECONDS: "", EXPORT_WAIT_SECONDS: "" })).toEqual({ stallMs: 30_000, waitMs: 50_000 });
  });

  it("take whole or fractional seconds", () => {
    expect(bounds({ EXPORT_STALL_SECONDS: "120", EXPORT_WAIT_SECONDS: "0.25" })).toEqual({ stallMs: 120_000, waitMs: 250 });
  });

  it("refuse zero, negative, too long and non-numbers, naming the setting", () => {
    for (const bad of ["0", "-5", "3601", "a minute"]) {
      expect(() => bounds({ EXPORT_STALL_SECONDS: bad })).toThrow(/EXPORT_STALL_SECONDS/);
      expect(() => bounds({ EXPORT_WAIT_SECONDS: bad })).toThrow(/EXPORT_WAIT_SECONDS/);
    }
  });

  it("stop the server at start-up when bad", () => {
    expect(() => serverConfig({ ...process.env, EXPORT_STALL_SECONDS: "never" })).toThrow(/EXPORT_STALL_SECONDS/);
    expect(() => serverConfig({ ...process.env, EXPORT_WAIT_SECONDS: "0" })).toThrow(/EXPORT_WAIT_SECONDS/);
    expect(serverConfig({ ...process.env, EXPORT_STALL_SECONDS: "30" }).renderConcurrency).toBeGreaterThan(0);
  });
});
