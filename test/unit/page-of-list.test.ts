import { describe, expect, it } from "vitest";
import { pageFromUrl, pageOfList } from "~/utils/pagination";

describe("pageOfList", () => {
  const list = Array.from({ length: 7 }, (_, i) => i + 1);

  it("slices the page asked for and keeps the whole list's total", () => {
    expect(pageOfList(list, 1, 3)).toEqual({ rows: [1, 2, 3], total: 7, page: 1, pageSize: 3, pageCount: 3 });
    expect(pageOfList(list, 3, 3)).toEqual({ rows: [7], total: 7, page: 3, pageSize: 3, pageCount: 3 });
  });

  it("a page past the end is the last page; below 1 or not whole, page 1", () => {
    expect(pageOfList(list, 4, 3)).toMatchObject({ rows: [7], page: 3 });
    expect(pageOfList(list, 100_000, 3)).toMatchObject({ rows: [7], page: 3 });
    expect(pageOfList(list, 0, 3)).toMatchObject({ rows: [1, 2, 3], page: 1 });
    expect(pageOfList(list, Number.NaN, 3)).toMatchObject({ rows: [1, 2, 3], page: 1 });
    expect(pageOfList(list, 2.7, 3)).toMatchObject({ rows: [4, 5, 6], page: 2 });
  });

  it("an empty list is one empty page", () => {
    expect(pageOfList([], 5, 3)).toEqual({ rows: [], total: 0, page: 1, pageSize: 3, pageCount: 1 });
  });

  it("with pageFromUrl, as a page reads it", () => {
    const at = (q: string) => pageOfList(list, pageFromUrl(new URL(`http://x/p${q}`)), 3).page;
    expect([at(""), at("?page=2"), at("?page=abc"), at("?page=-1"), at("?page=9")]).toEqual([1, 2, 1, 1, 3]);
  });
});
