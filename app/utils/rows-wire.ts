/** A row's values in the order of its wire's fields. */
export type PackedFields<T, K extends readonly (keyof T)[]> = T[K[number]][];

type Unpacked<T, K extends readonly (keyof T)[]> = Exclude<keyof T, K[number]>;

/**
 * Rows of objects as a loader sends them: each row an array of its values in the order of
 * `fields`, rather than an object. Remix writes loader data into the page for hydration as
 * turbo-stream inside a JavaScript string, where each property of each object costs some 13 bytes
 * of reference (`\"_12\":34,`) whatever its value (issue 12, page weight). `unpack` gives the page,
 * and tests, the objects again.
 *
 * Every property of T must be among `fields` (or the page would lose it): a call that leaves one
 * out fails to compile ("Expected 2 arguments"; the second's type names the properties left out).
 *
 *   const wire = rowsWire<RegisterRow>()(["id", "title", …]);
 */
export const rowsWire =
  <T>() =>
  <const K extends readonly (keyof T)[]>(fields: K, ..._everyField: [Unpacked<T, K>] extends [never] ? [] : [missing: Unpacked<T, K>]) => ({
    fields,
    pack: (rows: readonly T[]): PackedFields<T, K>[] => packFields(rows, fields),
    unpack: (rows: readonly PackedFields<T, K>[]): T[] => unpackFields(rows, fields),
  });

/*
 * Loops in module-level functions rather than closures made on each call (`rows.map((r) => …)`):
 * V8 drops the optimized code of closures made per request at every full collection
 * (docs/performance.md, session 16, optimized code dropped at every full collection).
 */
function packFields<T, K extends readonly (keyof T)[]>(rows: readonly T[], fields: K): PackedFields<T, K>[] {
  const packed: PackedFields<T, K>[] = [];
  for (const r of rows) {
    const values: PackedFields<T, K> = [];
    for (const k of fields) values.push(r[k]);
    packed.push(values);
  }
  return packed;
}

function unpackFields<T, K extends readonly (keyof T)[]>(rows: readonly PackedFields<T, K>[], fields: K): T[] {
  const out: T[] = [];
  for (const values of rows) {
    const o: Record<PropertyKey, unknown> = {};
    for (let i = 0; i < fields.length; i++) o[fields[i] as PropertyKey] = values[i];
    out.push(o as T);
  }
  return out;
}
