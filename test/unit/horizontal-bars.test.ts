import { createElement as h } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { HorizontalBars } from "~/components/charts/HorizontalBars";

describe("the horizontal bar chart", () => {
  const html = renderToStaticMarkup(
    h(HorizontalBars, {
      title: "Spend",
      description: "Spend by stage.",
      bars: [
        { label: "Alpha", value: 50 },
        { label: "Beta", value: null },
        { label: "Gamma", value: 0, text: "nothing" },
      ],
      marker: { value: 80, label: "Budget" },
      figures: { labelHeading: "Stage", valueHeading: "Pounds" },
    }),
  );

  it("scales the bars to a tidy maximum above the marker, one group a bar in order", () => {
    // Full size: labels 260 wide, plot 270; the largest value (the marker's 80) rounds up to 100.
    expect(html).toContain('<rect class="app-hbars__bar" x="260" y="12" width="135" height="18"></rect>');
    expect(html).toContain('<rect class="app-hbars__none" x="261" y="39" width="24" height="16"></rect>');
    expect(html).toContain('<rect class="app-hbars__bar" x="260" y="64" width="0" height="18"></rect>');
    expect(html).toContain('<line class="app-hbars__marker" x1="476" x2="476"');
    const values = [...html.matchAll(/<text class="app-hbars__value"[^>]*>([^<]*)<\/text>/g)].map((m) => m[1]);
    expect(values).toEqual(["50", "no value", "nothing"]);
  });

  it("lists the same figures in its table, the marker last", () => {
    const cells = [...html.matchAll(/<tr><th scope="row">([^<]*)<\/th><td>([^<]*)<\/td><\/tr>/g)].map((m) => `${m[1]}=${m[2]}`);
    expect(cells).toEqual(["Alpha=50", "Beta=No value", "Gamma=nothing", "Budget=80"]);
  });
});
