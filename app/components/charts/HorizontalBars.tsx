import { useId, type ReactElement, type ReactNode } from "react";

/**
 * A horizontal bar chart drawn on the server as inline SVG, for categories with long names
 * (domains, PCNs, funding stages). Each bar carries its value as text, so the chart reads in
 * black and white and in print; an optional marker line (a budget, say) is labelled too. The
 * chart is an image to assistive technology (role="img" with a title and a description): the
 * page puts the same figures, with their links, in a table next to it. The bars carry no links:
 * an image holds no controls (links inside role="img" are hidden from screen readers and fail
 * WCAG 4.1.2, axe's nested-interactive), so the table's links are the one way in for everyone.
 */
export interface HBar {
  label: string;
  /** Null is "no value" (shown as such, never as a zero-length bar). */
  value: number | null;
  /** What is written after the bar; defaults to the formatted value. */
  text?: string;
}

const ROW = 26;
const TOP = 8;
/** Full size, and compact for a half-width card (560 units, so its 12 px text stays about 12 px there). */
const SIZES = {
  full: { width: 720, label: 260, value: 190, clip: 38 },
  compact: { width: 560, label: 190, value: 170, clip: 28 },
};

const defaultFormat = (v: number) => v.toLocaleString("en-GB");

/** A tidy maximum for the scale: 1, 2, 2.5 or 5 times a power of ten. */
function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

const clip = (s: string, n = 38) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);

function barGroup(b: HBar, i: number, LABEL_W: number, max: number, plotW: number, CLIP: number, format: (v: number) => string) {
  const y = TOP + i * ROW;
  const w = b.value === null ? 0 : Math.max(b.value > 0 ? 1 : 0, LABEL_W + (b.value / max) * plotW - LABEL_W);
  const text = b.text ?? (b.value === null ? "no value" : format(b.value));
  return (
    <g key={`${b.label}-${i}`}>
      <text className="app-hbars__label" x={LABEL_W - 8} y={y + ROW / 2 + 4} textAnchor="end">
        {clip(b.label, CLIP)}
      </text>
      {b.value === null ? (
        <rect className="app-hbars__none" x={LABEL_W + 1} y={y + 5} width={24} height={ROW - 10} />
      ) : (
        <rect className="app-hbars__bar" x={LABEL_W} y={y + 4} width={w} height={ROW - 8} />
      )}
      <text className="app-hbars__value" x={LABEL_W + (b.value === null ? 30 : w) + 6} y={y + ROW / 2 + 4}>
        {text}
      </text>
    </g>
  );
}

function figureRow(b: HBar, i: number, format: (v: number) => string) {
  return (
    <tr key={`${b.label}-${i}`}>
      <th scope="row">{b.label}</th>
      <td>{b.text ?? (b.value === null ? "No value" : format(b.value))}</td>
    </tr>
  );
}

export function HorizontalBars({
  title,
  description,
  bars,
  format = defaultFormat,
  marker,
  size = "full",
  figures,
}: {
  title: string;
  /** One or two sentences on what the bars show (the SVG's desc). */
  description: string;
  bars: HBar[];
  format?: (v: number) => string;
  marker?: { value: number; label: string };
  size?: keyof typeof SIZES;
  /**
   * The same figures as a table, folded under the chart ("The figures") and shown open on a phone,
   * where the chart is left out (app.css): for a chart whose page has no table of them beside it.
   */
  figures?: { labelHeading: string; valueHeading: string; extra?: ReactNode };
}) {
  const id = useId();
  const { width: WIDTH, label: LABEL_W, value: VALUE_W, clip: CLIP } = SIZES[size];
  const plotW = WIDTH - LABEL_W - VALUE_W;
  let top = Math.max(0, marker?.value ?? 0);
  for (const b of bars) top = Math.max(top, b.value ?? 0);
  const max = niceMax(top);
  const height = TOP + bars.length * ROW + (marker ? 22 : 8);
  const x = (v: number) => LABEL_W + (v / max) * plotW;
  // The bars and the figures' rows in loops by module-level functions, not maps with closures made
  // per request (docs/performance.md, session 17, load scaling). The same elements and keys.
  const g: ReactElement[] = [];
  for (let i = 0; i < bars.length; i++) g.push(barGroup(bars[i], i, LABEL_W, max, plotW, CLIP, format));
  const figureRows: ReactElement[] = [];
  if (figures) for (let i = 0; i < bars.length; i++) figureRows.push(figureRow(bars[i], i, format));
  return (
    <figure className="app-hbars-figure">
      <figcaption className="app-hbars-figure__caption" aria-hidden="true">
        {title}
      </figcaption>
      <svg className="app-hbars" viewBox={`0 0 ${WIDTH} ${height}`} width="100%" role="img" aria-labelledby={`${id}-title ${id}-desc`}>
        <title id={`${id}-title`}>{title}</title>
        <desc id={`${id}-desc`}>{`${description} The same figures are in the table with this chart.`}</desc>
        <line className="app-hbars__axis" x1={LABEL_W} x2={LABEL_W} y1={TOP - 4} y2={TOP + bars.length * ROW} />
        {g}
        {marker ? (
          <g>
            <line className="app-hbars__marker" x1={x(marker.value)} x2={x(marker.value)} y1={TOP - 4} y2={TOP + bars.length * ROW + 4} />
            <text className="app-hbars__marker-label" x={x(marker.value)} y={TOP + bars.length * ROW + 17} textAnchor="middle">
              {marker.label}
            </text>
          </g>
        ) : null}
      </svg>
      {figures ? (
        <details className="nhsuk-details app-chart__figures">
          <summary className="nhsuk-details__summary">
            <span className="nhsuk-details__summary-text">The figures</span>
          </summary>
          <div className="nhsuk-details__text">
            <table className="nhsuk-table app-numeric-cells">
              <caption className="nhsuk-table__caption nhsuk-table__caption--s">{title}: the figures</caption>
              <thead>
                <tr>
                  <th scope="col">{figures.labelHeading}</th>
                  <th scope="col" className="app-numeric">
                    {figures.valueHeading}
                  </th>
                </tr>
              </thead>
              <tbody>
                {figureRows}
                {marker ? (
                  <tr>
                    <th scope="row">{marker.label}</th>
                    <td>{format(marker.value)}</td>
                  </tr>
                ) : null}
              </tbody>
            </table>
            {figures.extra}
          </div>
        </details>
      ) : null}
    </figure>
  );
}
