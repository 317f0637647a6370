import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { describe, expect, it } from "vitest";

/**
 * The folder import graph of app/modules has no cycle (docs/adr/0005-lint-boundary-rules.md).
 * ESLint's import-x/no-cycle sees file cycles only; this sees module cycles such as
 * compliance → devices → estate → compliance, where no single file imports itself back.
 * Type-only imports count: a module that needs another's types depends on it.
 */
const APP = path.resolve(__dirname, "../../app");
const MODULES = path.join(APP, "modules");

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(p);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith(".d.ts") ? [p] : [];
  });
}

/** The module (first folder under app/modules) a file or import specifier lands in, or null outside modules. */
function moduleOf(absolute: string): string | null {
  const rel = path.relative(MODULES, absolute);
  if (rel.startsWith("..") || path.isAbsolute(rel)) return null;
  const [first] = rel.split(path.sep);
  return first.includes(".") ? null : first;
}

function resolveSpecifier(spec: string, fromFile: string): string | null {
  if (spec.startsWith("~/")) return path.join(APP, spec.slice(2));
  if (spec.startsWith(".")) return path.resolve(path.dirname(fromFile), spec);
  return null;
}

/** module → (imported module → one file that shows the edge). */
function moduleGraph(): Map<string, Map<string, string>> {
  const graph = new Map<string, Map<string, string>>();
  for (const file of sourceFiles(MODULES)) {
    const from = moduleOf(file)!;
    if (!graph.has(from)) graph.set(from, new Map());
    const { importedFiles } = ts.preProcessFile(fs.readFileSync(file, "utf8"), true, true);
    for (const { fileName } of importedFiles) {
      const target = resolveSpecifier(fileName, file);
      const to = target && moduleOf(target);
      if (to && to !== from && !graph.get(from)!.has(to)) graph.get(from)!.set(to, `${path.relative(APP, file)} imports ${fileName}`);
    }
  }
  return graph;
}

/** Strongly connected components with more than one module (Tarjan). */
function cycles(graph: Map<string, Map<string, string>>): string[][] {
  let next = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    onStack.add(v);
    for (const w of graph.get(v)?.keys() ?? []) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      if (component.length > 1) found.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) visit(v);
  return found;
}

describe("module boundaries", () => {
  const graph = moduleGraph();

  it("reads the real graph (the rules depend on the catalogue)", () => {
    expect(graph.get("compliance")?.has("catalogue")).toBe(true);
    expect(graph.size).toBeGreaterThan(15);
  });

  it("finds a cycle when there is one", () => {
    const knot = new Map([
      ["a", new Map([["b", "a.ts imports ~/modules/b"]])],
      ["b", new Map([["c", "b.ts imports ~/modules/c"]])],
      ["c", new Map([["a", "c.ts imports ~/modules/a"]])],
      ["d", new Map([["a", "d.ts imports ~/modules/a"]])],
    ]);
    expect(cycles(knot)).toEqual([["a", "b", "c"]]);
  });

  it("has no cycle between the folders of app/modules", () => {
    const found = cycles(graph).map((c) =>
      c.map(
        (m) =>
          `${m} → ${[...graph.get(m)!]
            .filter(([to]) => c.includes(to))
            .map(([, why]) => why)
            .join("; ")}`,
      ),
    );
    expect(found).toEqual([]);
  });

  it("keeps the catalogue a leaf: it imports no module but the OS lifecycle reference", () => {
    expect([...(graph.get("catalogue")?.keys() ?? [])]).toEqual(["os-lifecycle"]);
    expect([...(graph.get("os-lifecycle")?.keys() ?? [])].filter((m) => m !== "audit")).toEqual([]);
  });
});
