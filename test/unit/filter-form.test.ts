import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// Remix's Form and Link render a <form> and an <a>; outside a router they are stood in for by those.
vi.mock("@remix-run/react", () => ({
  Form: ({ method, ...props }: Record<string, unknown>) => h("form", { method, ...props }),
  Link: ({ to, ...props }: Record<string, unknown>) => h("a", { href: to, ...props }),
}));

const { FilterDate, FilterForm, FilterText } = await import("~/components/FilterForm");
const { FilterSelect, filterOptions } = await import("~/components/FilterSelect");

describe("FilterForm: the filter row every list shares", () => {
  it("puts the filters, then sort and order, then Apply and Clear filters, in one GET search form", () => {
    const html = renderToStaticMarkup(
      h(
        FilterForm,
        {
          heading: "Filter and sort",
          clearTo: "/estate/devices",
          sort: {
            value: "age",
            options: [
              ["age", "Age"],
              ["make", "Make"],
            ],
            dir: "desc",
            order: ["Ascending", "Descending"],
          },
        },
        h(FilterText, { name: "q", label: "Asset tag, serial number, make or model", value: "HP", width: 20, spellCheck: false }),
      ),
    );
    expect(html).toBe(
      '<form method="get" role="search" class="nhsuk-u-margin-bottom-5"><h2 class="nhsuk-heading-s">Filter and sort</h2>' +
        '<div class="app-search-row">' +
        '<div class="nhsuk-form-group"><label class="nhsuk-label" for="filter-q">Asset tag, serial number, make or model</label>' +
        '<input class="nhsuk-input nhsuk-input--width-20" id="filter-q" name="q" type="search" spellcheck="false" value="HP"/></div>' +
        '<div class="nhsuk-form-group"><label class="nhsuk-label" for="filter-sort">Sort by</label>' +
        '<select class="nhsuk-select" id="filter-sort" name="sort"><option value="age" selected="">Age</option><option value="make">Make</option></select></div>' +
        '<div class="nhsuk-form-group"><label class="nhsuk-label" for="filter-dir">Order</label>' +
        '<select class="nhsuk-select" id="filter-dir" name="dir"><option value="asc">Ascending</option><option value="desc" selected="">Descending</option></select></div>' +
        '<button class="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">Apply</button>' +
        '<a href="/estate/devices" class="nhsuk-body-s">Clear filters</a></div></form>',
    );
  });

  it("has no heading or sort unless given; a search box without spellCheck leaves the browser's default", () => {
    const html = renderToStaticMarkup(
      h(FilterForm, { clearTo: "/icbs/QMF/compliance#practices" }, h(FilterText, { name: "q", label: "Practice", value: null, width: 20 })),
    );
    expect(html).not.toContain("<h2");
    expect(html).not.toContain("filter-sort");
    expect(html).toContain('<input class="nhsuk-input nhsuk-input--width-20" id="filter-q" name="q" type="search" value=""/>');
    expect(html).toContain('<a href="/icbs/QMF/compliance#practices" class="nhsuk-body-s">Clear filters</a>');
  });

  it('shows the date of the results as dd/mm/yyyy, or empty ("Today") for today', () => {
    const on = (asOf: string, isToday: boolean) => renderToStaticMarkup(h(FilterDate, { label: "Results on", asOf, isToday }));
    expect(on("2026-03-09", false)).toBe(
      '<div class="nhsuk-form-group"><label class="nhsuk-label" for="filter-as_of">Results on</label>' +
        '<input class="nhsuk-input nhsuk-input--width-10" id="filter-as_of" name="as_of" inputMode="numeric" placeholder="Today" value="09/03/2026"/></div>',
    );
    expect(on("2026-12-05", true)).toContain('placeholder="Today" value=""');
  });

  it('filterOptions: a blank "Any …" choice first when asked, then the map\'s entries in order', () => {
    expect(filterOptions({ desktop: "Desktop", laptop: "Laptop" }, "Any type")).toEqual([
      ["", "Any type"],
      ["desktop", "Desktop"],
      ["laptop", "Laptop"],
    ]);
    expect(filterOptions({ a: "A" })).toEqual([["a", "A"]]);
    expect(
      renderToStaticMarkup(h(FilterSelect, { name: "type", label: "Type", value: undefined, options: filterOptions({ a: "A" }, "Any") })),
    ).toContain('<option value="" selected="">Any</option>');
  });
});
