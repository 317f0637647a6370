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
    pack: (rows: readonly T[]): PackedFields<T, K>[] => rows.map((r) => fields.map((k) => r[k])),
    unpack: (rows: readonly PackedFields<T, K>[]): T[] =>
      rows.map((values) => Object.fromEntries(fields.map((k, i) => [k, values[i]])) as unknown as T),
  });
