import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it, vi } from "vitest";

// usePending reads Remix's navigation; each test sets what the router would report.
let navigation: Record<string, unknown> = { state: "idle" };
vi.mock("@remix-run/react", () => ({ useNavigation: () => navigation }));

const { DataTable } = await import("~/components/DataTable");
const { Tag } = await import("~/components/Tag");
const { YesNo, yesNoText } = await import("~/components/YesNo");
const { NotKnown } = await import("~/components/NotKnown");
const { FilterSelect } = await import("~/components/FilterSelect");
const { usePending } = await import("~/components/usePending");

type Row = { name: string; count: number };
const rows: Row[] = [
  { name: "Alpha", count: 1200 },
  { name: "Beta", count: 7 },
];

describe("DataTable", () => {
  it("has its caption, column headings and right-aligned figures", () => {
    const html = renderToStaticMarkup(
      h(DataTable<Row>, {
        caption: "Devices by practice",
        columns: [
          { header: "Practice", rowHeader: true, cell: (r) => r.name },
          { header: "Devices", numeric: true, cell: (r) => r.count.toLocaleString("en-GB") },
          false,
        ],
        rows,
        rowKey: (r) => r.name,
      }),
    );
    expect(html).toContain('<caption class="nhsuk-table__caption nhsuk-table__caption--s">Devices by practice</caption>');
    expect(html).toContain('<th scope="col">Practice</th>');
    expect(html).toContain('<th scope="col" class="app-numeric">Devices</th>');
    expect(html).toContain('<th scope="row">Alpha</th><td class="app-numeric">1,200</td>');
    expect(html.match(/<th scope="col"/g)).toHaveLength(2); // the `false` column is left out
    expect(html).not.toContain("app-table-wrap");
  });

  it("scrolls inside a focusable region named by its caption, or by the label given", () => {
    const byCaption = renderToStaticMarkup(
      h(DataTable<Row>, { caption: "Devices", scroll: true, columns: [{ header: "Name", cell: (r) => r.name }], rows }),
    );
    expect(byCaption).toMatch(/^<div class="app-table-wrap" role="region" aria-label="Devices" tabindex="0"><table class="nhsuk-table">/);
    const labelled = renderToStaticMarkup(
      h(DataTable<Row>, { caption: h("span", null, "Devices"), scroll: "Devices at each site", columns: [], rows: [] }),
    );
    expect(labelled).toContain('aria-label="Devices at each site" tabindex="0"');
  });

  it("hides the caption visually when asked and draws a caller's own body and foot", () => {
    const html = renderToStaticMarkup(
      h(
        DataTable<Row>,
        {
          caption: "Totals",
          captionHidden: true,
          columns: [{ header: "Year" }, { header: "Total", numeric: true }],
          foot: h("tr", null, h("td", null, "All")),
        },
        h("tr", null, h("td", { colSpan: 2 }, "Nothing recorded")),
      ),
    );
    expect(html).toContain('<caption class="nhsuk-table__caption nhsuk-u-visually-hidden">Totals</caption>');
    expect(html).toContain('<tbody><tr><td colSpan="2">Nothing recorded</td></tr></tbody>');
    expect(html).toContain("<tfoot><tr><td>All</td></tr></tfoot>");
  });

  it("leaves out columns given as false or null, and gives each row its key's props and its cells in column order", () => {
    const html = renderToStaticMarkup(
      h(DataTable<Row>, {
        caption: "Counts",
        columns: [
          false,
          { header: "Name", rowHeader: true, cell: (r, i) => `${i}:${r.name}` },
          null,
          { header: "Count", numeric: true, className: "extra", cell: (r) => r.count },
          { header: "Empty" },
        ],
        rows,
        rowKey: (r) => r.name,
        rowProps: (r) => (r.count > 100 ? { className: "big" } : {}),
      }),
    );
    expect(html).toContain(
      '<tbody><tr class="big"><th scope="row">0:Alpha</th><td class="app-numeric extra">1200</td><td></td></tr>' +
        '<tr><th scope="row">1:Beta</th><td class="app-numeric extra">7</td><td></td></tr></tbody>',
    );
    expect(html.match(/<th scope="col"/g)).toHaveLength(3);
    // No rows and no body of its own: an empty body.
    expect(renderToStaticMarkup(h(DataTable<Row>, { caption: "None", columns: [{ header: "Name" }] }))).toContain("<tbody></tbody>");
  });
});

describe("tags and facts that may be unknown", () => {
  it("Tag is an NHS.UK tag in the colour asked", () => {
    expect(renderToStaticMarkup(h(Tag, { colour: "grey", children: "Missing" }))).toBe(
      '<strong class="nhsuk-tag nhsuk-tag--grey">Missing</strong>',
    );
    expect(renderToStaticMarkup(h(Tag, { children: "Open" }))).toBe('<strong class="nhsuk-tag">Open</strong>');
  });

  it("YesNo never shows an unrecorded answer as No", () => {
    expect(renderToStaticMarkup(h(YesNo, { value: true }))).toBe("Yes");
    expect(renderToStaticMarkup(h(YesNo, { value: false }))).toBe("No");
    expect(renderToStaticMarkup(h(YesNo, { value: null }))).toBe('<span class="app-muted">Not known</span>');
    expect([true, false, undefined].map(yesNoText)).toEqual(["Yes", "No", "Not known"]);
  });

  it("NotKnown is muted, with other words when given", () => {
    expect(renderToStaticMarkup(h(NotKnown))).toBe('<span class="app-muted">Not known</span>');
    expect(renderToStaticMarkup(h(NotKnown, null, "Not recorded"))).toBe('<span class="app-muted">Not recorded</span>');
  });
});

describe("FilterSelect", () => {
  it("is labelled, has the id an error summary links to, and selects the URL's value", () => {
    const html = renderToStaticMarkup(
      h(FilterSelect, {
        name: "pcn",
        label: "PCN",
        value: "U1",
        options: [
          ["", "Any PCN"],
          ["U1", "North PCN"],
        ],
      }),
    );
    expect(html).toContain('<label class="nhsuk-label" for="filter-pcn">PCN</label>');
    expect(html).toContain('<select class="nhsuk-select" id="filter-pcn" name="pcn">');
    expect(html).toContain('<option value="U1" selected="">North PCN</option>');
  });
});

describe("usePending", () => {
  function pendingWith(nav: Record<string, unknown>, opts?: Parameters<typeof usePending>[0]) {
    navigation = nav;
    let result: boolean | undefined;
    const Probe = () => {
      result = usePending(opts);
      return null;
    };
    renderToStaticMarkup(h(Probe));
    return result;
  }
  const form = (intent: string) => {
    const f = new FormData();
    f.set("intent", intent);
    return f;
  };

  it("is true only while submitting, and only for the intent or action asked about", () => {
    expect(pendingWith({ state: "idle" })).toBe(false);
    expect(pendingWith({ state: "loading", formMethod: "POST" })).toBe(false);
    expect(pendingWith({ state: "submitting", formData: form("save") })).toBe(true);
    expect(pendingWith({ state: "submitting", formData: form("save") }, { intent: "save" })).toBe(true);
    expect(pendingWith({ state: "submitting", formData: form("delete") }, { intent: "save" })).toBe(false);
    expect(pendingWith({ state: "submitting", formAction: "/a" }, { action: "/b" })).toBe(false);
  });

  it("with untilLoaded, stays true through the load after a POST but not a GET search", () => {
    expect(pendingWith({ state: "loading", formMethod: "POST" }, { untilLoaded: true })).toBe(true);
    expect(pendingWith({ state: "submitting", formMethod: "GET" }, { untilLoaded: true })).toBe(false);
    expect(pendingWith({ state: "idle" }, { untilLoaded: true })).toBe(false);
  });
});
