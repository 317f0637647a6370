import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { WarrantyEnd } from "~/components/WarrantyEnd";

// The cell both device lists show; the lists render it inside their own <td>.
const cell = (end: string | null, expired: boolean | null) => renderToStaticMarkup(h(WarrantyEnd, { end, expired }));

describe("a device's warranty end in a list", () => {
  it("gives the date, with a red Expired tag once it has passed", () => {
    expect(cell("2024-03-31", true)).toBe('31 March 2024 <strong class="nhsuk-tag nhsuk-tag--red">Expired</strong>');
  });

  it("gives the date alone while the warranty runs", () => {
    expect(cell("2029-01-05", false)).toBe("5 January 2029");
  });

  it('says "Not known" rather than leaving the cell blank', () => {
    expect(cell(null, null)).toBe('<span class="app-muted">Not known</span>');
  });
});
