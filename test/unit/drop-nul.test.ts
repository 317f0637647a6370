import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { DropNulBytes } from "~/utils/drop-nul.server";

const through = async (chunks: Buffer[]) => {
  const out: Buffer[] = [];
  for await (const c of Readable.from(chunks).pipe(new DropNulBytes())) out.push(c as Buffer);
  return Buffer.concat(out).toString("utf8");
};

describe("DropNulBytes", () => {
  it("passes chunks without NUL bytes through unchanged", async () => {
    expect(await through([Buffer.from("<p>£1,500 × 2</p>")])).toBe("<p>£1,500 × 2</p>");
  });

  it("drops the unwritten tail React sends before a character that did not fit its buffer", async () => {
    // "…>" then the buffer's two unwritten bytes, then "£0" in the next chunk.
    const first = Buffer.concat([Buffer.from('<text y="129">'), Buffer.from([0, 0])]);
    expect(await through([first, Buffer.from("£0</text>")])).toBe('<text y="129">£0</text>');
  });
});
