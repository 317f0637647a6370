import { Writable } from "node:stream";
import pino from "pino";
import { describe, expect, it } from "vitest";
import { LOGGED_SQL_LIMIT, serializeError } from "~/utils/log.server";

/** An error as PGlite throws it for a failed statement: the query, its values and options attached. */
function failedQuery(rows: number) {
  const params = Array.from({ length: rows * 10 }, (_, i) => `value ${i} of a bulk insert`);
  const query = `insert into device (a, b) values ${Array.from({ length: rows }, (_, i) => `($${2 * i + 1}, $${2 * i + 2})`).join(", ")}`;
  return Object.assign(new Error('duplicate key value violates unique constraint "device_pkey"'), {
    code: "23505",
    query,
    params,
    queryOptions: { rowMode: "object" },
  });
}

/** One line as the service's logger writes it, parsed. */
function logLine(fields: Record<string, unknown>) {
  const lines: string[] = [];
  const out = new Writable({
    write(chunk, _enc, done) {
      lines.push(String(chunk));
      done();
    },
  });
  pino({ serializers: { err: serializeError } }, out).error(fields, "import job failed");
  return { text: lines.join(""), json: JSON.parse(lines[0]) };
}

describe("error logs of a failed query", () => {
  it("drop the query's values (their count is kept) and cut the query text short", () => {
    const { text, json } = logLine({ err: failedQuery(5000) });
    expect(json.err.params).toBeUndefined();
    expect(json.err.queryOptions).toBeUndefined();
    expect(json.err.paramsCount).toBe(50_000);
    expect(text).not.toContain("value 17 of a bulk insert");
    expect(json.err.query.length).toBeLessThan(LOGGED_SQL_LIMIT + 40);
    expect(json.err.query).toMatch(/^insert into device \(a, b\) values \(\$1, \$2\)/);
    expect(json.err.query).toMatch(/… \(\d+ characters\)$/);
    // What identifies the failure stays.
    expect(json.err).toMatchObject({ type: "Error", code: "23505", message: expect.stringContaining("device_pkey") });
    expect(json.err.stack).toContain("failedQuery");
    expect(text.length).toBeLessThan(10_000);
  });

  it("keep a short query whole, and clean an error nested under another key", () => {
    const short = Object.assign(new Error("syntax error"), { query: "select 1 frm x", params: [1, 2] });
    const { json } = logLine({ err: Object.assign(new Error("wrapped"), { original: short }) });
    expect(json.err.original.query).toBe("select 1 frm x");
    expect(json.err.original.params).toBeUndefined();
    expect(json.err.original.paramsCount).toBe(2);
  });

  it("leave other errors as pino writes them", () => {
    const { json } = logLine({ err: Object.assign(new Error("boom"), { jobId: 7 }) });
    expect(json.err).toMatchObject({ type: "Error", message: "boom", jobId: 7 });
    expect(serializeError("not an error")).toBe("not an error");
  });
});
