import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";

const appDir = path.resolve(import.meta.dirname, "../../app");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx$/.test(e.name) ? [p] : [];
  });
}

// The Content-Security-Policy (scripts/server/security-headers.ts) has no 'unsafe-inline' for
// styles, so a style="" attribute rendered on the server is silently ignored by the browser.
describe("no inline style attributes", () => {
  it("the app's components use classes (app/styles/app.css), never style={…}", () => {
    const offenders = sourceFiles(appDir).flatMap((file) =>
      fs
        .readFileSync(file, "utf8")
        .split("\n")
        .flatMap((line, i) => (/\bstyle=\{/.test(line) ? [`${path.relative(appDir, file)}:${i + 1}`] : [])),
    );
    expect(offenders).toEqual([]);
  });
});
