import { describe, expect, it } from "vitest";
import { withoutTsx } from "../../scripts/server/process-bundle";

describe("withoutTsx", () => {
  it("drops tsx's loader flags in both spellings and keeps every other flag", () => {
    expect(
      withoutTsx([
        "--require",
        "/app/node_modules/tsx/dist/preflight.cjs",
        "--import",
        "file:///app/node_modules/tsx/dist/loader.mjs",
        "--max-old-space-size=512",
        "--import=tsx",
        "--inspect",
        "--import",
        "./instrument.mjs",
      ]),
    ).toEqual(["--max-old-space-size=512", "--inspect", "--import", "./instrument.mjs"]);
  });

  it("leaves an argv without tsx alone", () => {
    expect(withoutTsx(["--enable-source-maps"])).toEqual(["--enable-source-maps"]);
  });
});
