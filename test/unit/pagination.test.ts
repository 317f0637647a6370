import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { StaticRouter } from "react-router-dom/server";
import { describe, expect, it } from "vitest";
import { Pagination, pageItems } from "~/components/Pagination";

// The shared list navigation (app/components/Pagination.tsx), rendered on the server at a URL as a
// route renders it: the NHS.UK design system's numbered pagination, with the app's own links.

type Props = Parameters<typeof Pagination>[0];

function render(url: string, props: Partial<Props> & Pick<Props, "page" | "pageCount">) {
  return renderToStaticMarkup(h(StaticRouter, { location: url }, h(Pagination, { total: props.pageCount * 25, noun: "gaps", ...props })));
}

const unescape = (s: string) => s.replace(/&amp;/g, "&");

/** The numbered list as rendered: each entry's text, href, accessible name and whether it is the current page. */
function items(html: string) {
  return [...html.matchAll(/<li class="([^"]*)">(.*?)<\/li>/g)].map(([, cls, inner]) => {
    if (cls.includes("nhsuk-pagination__item--ellipsis")) return { text: inner, ellipsis: true };
    const a = /<a ([^>]*)>([^<]*)<\/a>/.exec(inner);
    if (!a) throw new Error(`an item with no link: ${inner}`);
    const attr = (name: string) => new RegExp(`${name}="([^"]*)"`).exec(a[1])?.[1];
    return {
      text: a[2],
      href: unescape(attr("href") ?? ""),
      label: attr("aria-label"),
      current: attr("aria-current"),
      currentClass: cls.includes("nhsuk-pagination__item--current"),
    };
  });
}

/** The Previous or Next link: its href and its text with tags removed (what a screen reader reads). */
function arrow(html: string, rel: "prev" | "next") {
  const m = new RegExp(`<a ([^>]*rel="${rel}"[^>]*)>(.*?)</a>`).exec(html);
  if (!m) return null;
  return {
    href: unescape(/href="([^"]*)"/.exec(m[1])?.[1] ?? ""),
    name: m[2].replace(/<[^>]*>/g, "").trim(),
    className: /class="([^"]*)"/.exec(m[1])?.[1],
  };
}

const texts = (html: string) => items(html).map((i) => i.text);

describe("pageItems: which pages the numbered navigation lists", () => {
  it("the first, the last, the current page and its neighbours, an ellipsis between", () => {
    expect(pageItems(1, 1)).toEqual([1]);
    expect(pageItems(1, 2)).toEqual([1, 2]);
    expect(pageItems(2800, 5600)).toEqual([1, null, 2799, 2800, 2801, null, 5600]);
    expect(pageItems(5600, 5600)).toEqual([1, null, 5599, 5600]);
    expect(pageItems(1, 5600)).toEqual([1, 2, null, 5600]);
    // One page left out is shown rather than an ellipsis: the same room, and a page to go to.
    expect(pageItems(4, 125)).toEqual([1, 2, 3, 4, 5, null, 125]);
    expect(pageItems(122, 125)).toEqual([1, null, 121, 122, 123, 124, 125]);
    // A page past the end (a hand-edited URL) still lists the first and the last.
    expect(pageItems(9, 3)).toEqual([1, 2, 3]);
  });

  it("for every page of up to 40: never more than 7 entries, in order, each page at most once, no ellipsis for a single page", () => {
    for (let count = 1; count <= 40; count++)
      for (let page = 1; page <= count; page++) {
        const list = pageItems(page, count);
        const pages = list.filter((p): p is number => p !== null);
        expect(list.length).toBeLessThanOrEqual(7);
        expect(pages[0]).toBe(1);
        expect(pages[pages.length - 1]).toBe(count);
        expect(pages).toContain(page);
        for (const n of [page - 1, page + 1]) if (n >= 1 && n <= count) expect(pages).toContain(n);
        for (let i = 1; i < list.length; i++) {
          const before = list[i - 1];
          const here = list[i];
          if (here === null) {
            expect(before).not.toBeNull();
            expect((list[i + 1] as number) - (before as number)).toBeGreaterThan(2);
          } else if (before !== null) expect(here).toBe(before + 1);
        }
      }
  });
});

describe("Pagination as rendered", () => {
  it("page 1 of 1: the count and no navigation", () => {
    const html = render("/estate/devices?type=desktop", { page: 1, pageCount: 1, total: 7, noun: "devices" });
    expect(html).toBe('<p class="nhsuk-body-s" aria-live="polite">7 devices</p>');
  });

  it("page 1 of 2: the numbered variant, page 1 current, page 2 and Next; no Previous", () => {
    const html = render("/estate/devices?type=desktop", { page: 1, pageCount: 2, total: 30, noun: "devices" });
    expect(html).toContain("30 devices · page 1 of 2");
    expect(html).toContain('<nav class="nhsuk-pagination nhsuk-pagination--numbered" role="navigation" aria-label="Pagination">');
    expect(arrow(html, "prev")).toBeNull();
    expect(arrow(html, "next")).toEqual({
      href: "/estate/devices?type=desktop&page=2",
      name: "Next page",
      className: "nhsuk-pagination__next",
    });
    expect(items(html)).toEqual([
      { text: "1", href: "/estate/devices?type=desktop", label: "Page 1", current: "page", currentClass: true },
      { text: "2", href: "/estate/devices?type=desktop&page=2", label: "Page 2", current: undefined, currentClass: false },
    ]);
  });

  it("the middle of 5,600 pages: 1 … 2799 2800 2801 … 5600, every href keeping the other parameters where they were", () => {
    const url = "/gaps?icb=QMF&page=2800&status=all&sort=cost";
    const html = render(url, { page: 2800, pageCount: 5600, total: 139_990, label: "Pagination of the gaps" });
    expect(html).toContain("139,990 gaps · page 2800 of 5,600");
    expect(html).toContain('aria-label="Pagination of the gaps"');
    expect(texts(html)).toEqual(["1", "⋯", "2799", "2800", "2801", "⋯", "5600"]);
    const at = (p: string) => `/gaps?icb=QMF&page=${p}&status=all&sort=cost`;
    expect(items(html).map((i) => ("href" in i ? i.href : null))).toEqual([
      "/gaps?icb=QMF&status=all&sort=cost",
      null,
      at("2799"),
      at("2800"),
      at("2801"),
      null,
      at("5600"),
    ]);
    expect(arrow(html, "prev")).toEqual({ href: at("2799"), name: "Previous page", className: "nhsuk-pagination__previous" });
    expect(arrow(html, "next")).toEqual({ href: at("2801"), name: "Next page", className: "nhsuk-pagination__next" });
    // Only the current page is marked, and every number is named for its page.
    expect(html.match(/aria-current="page"/g)).toHaveLength(1);
    expect(items(html).filter((i) => "current" in i && i.current)).toEqual([
      { text: "2800", href: at("2800"), label: "Page 2800", current: "page", currentClass: true },
    ]);
    for (const i of items(html)) if ("label" in i) expect(i.label).toBe(`Page ${i.text}`);
    // Previous, the list, Next: the design system's order (the list wraps beneath on a phone).
    expect(html.indexOf('rel="prev"')).toBeLessThan(html.indexOf("<ul"));
    expect(html.indexOf("</ul>")).toBeLessThan(html.indexOf('rel="next"'));
  });

  it("the last page: Previous and the numbers, no Next", () => {
    const html = render("/practices?page=125", { page: 125, pageCount: 125, noun: "practices" });
    expect(texts(html)).toEqual(["1", "⋯", "124", "125"]);
    expect(arrow(html, "next")).toBeNull();
    expect(arrow(html, "prev")).toMatchObject({ href: "/practices?page=124", name: "Previous page" });
    expect(items(html).at(-1)).toMatchObject({ href: "/practices?page=125", current: "page" });
  });

  it("a second list's own parameter: its links turn gpage and keep the other list's page and filters", () => {
    const html = render("/gaps?group=practice&status=all&page=2&gpage=2", {
      page: 2,
      pageCount: 3,
      param: "gpage",
      label: "Pagination of the group totals",
    });
    expect(html).toContain('aria-label="Pagination of the group totals"');
    expect(items(html).map((i) => ("href" in i ? i.href : null))).toEqual([
      "/gaps?group=practice&status=all&page=2",
      "/gaps?group=practice&status=all&page=2&gpage=2",
      "/gaps?group=practice&status=all&page=2&gpage=3",
    ]);
    expect(arrow(html, "prev")?.href).toBe("/gaps?group=practice&status=all&page=2");
    expect(arrow(html, "next")?.href).toBe("/gaps?group=practice&status=all&page=2&gpage=3");
  });

  it("stays small: the navigation for the middle of 5,600 pages is under 1.5 KB of HTML", () => {
    // The Previous/Next-only navigation it replaced was 0.7 KB here; the arrows are drawn by
    // app.css rather than sent as two SVGs (another 0.7 KB) on every page.
    const html = render("/gaps?page=2800", { page: 2800, pageCount: 5600 });
    const nav = html.slice(html.indexOf("<nav"));
    expect(nav).not.toContain("<svg");
    expect(Buffer.byteLength(nav)).toBeLessThan(1536);
  });
});
