import { describe, expect, it } from "vitest";
import { packLapseRows, unpackLapseRows } from "~/modules/dashboard/lapse-rows";

const line = (key: string, n: number, firstDate: string | null) => ({
  key,
  label: `Requirement ${key}`,
  domain: "devices" as const,
  lapses: n,
  practices: n - 1,
  estimatedPence: n * 1_000,
  noEstimate: n % 2,
  firstDate,
});

describe("the forecast's lines by requirement as the dashboard's loader sends them", () => {
  it("are arrays, and unpack to what the page shows (not the label, domain or practices, which it does not read from them)", () => {
    const lines = [line("DEV-05", 646, "2026-12-07"), line("TEL-02", 6, null)];
    const sent = JSON.parse(JSON.stringify(packLapseRows(lines)));
    expect(sent.every(Array.isArray)).toBe(true);
    expect(unpackLapseRows(sent)).toEqual(
      lines.map(({ key, lapses, estimatedPence, noEstimate, firstDate }) => ({ key, lapses, estimatedPence, noEstimate, firstDate })),
    );
  });
});
