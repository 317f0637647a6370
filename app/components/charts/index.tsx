import { useId, type ReactNode } from "react";

/**
 * Small charts drawn on the server as inline SVG, each followed by a table of the same numbers
 * (the table is what screen readers and people who cannot see the chart use). A null value is
 * missing data: the chart marks it "no data" and the table says "Missing", never zero.
 */

export interface Datum {
  label: string;
  value: number | null;
}
export interface Series {
  name: string;
  data: Datum[];
  /** Drawn dashed (for targets and projections). */
  dashed?: boolean;
}

interface CommonProps {
  title: string;
  /** Formats a value for axis ticks and table cells, e.g. (v) => `${v.toFixed(1)} kg`. */
  valueFormat?: (v: number) => string;
  /** The heading of the label column in the table (default "Period"). */
  labelHeading?: string;
  /** Text shown in the table for a missing value. */
  missingText?: string;
  /** Extra content under the table (notes, sources). */
  children?: ReactNode;
  /**
   * The table folded into a "The figures" details under the chart (the dashboard's summary cards),
   * shown open on a phone, where the chart itself is left out (app.css).
   */
  foldFigures?: boolean;
  /** Text size in the chart's units; larger where the chart is drawn narrower than its 640 units (a half-width card). */
  fontSize?: number;
}

const WIDTH = 640;
const HEIGHT = 240;
const PAD = { top: 16, right: 16, bottom: 48, left: 64 };
const COLOURS = ["#005eb8", "#ed8b00", "#007f3b", "#330072", "#768692"];
const defaultFormat = (v: number) => v.toLocaleString("en-GB", { maximumFractionDigits: 1 });

/** A tidy maximum for the axis: 1, 2, 2.5 or 5 times a power of ten. */
export function niceMax(max: number): number {
  if (!(max > 0)) return 1;
  const p = 10 ** Math.floor(Math.log10(max));
  for (const m of [1, 2, 2.5, 5, 10]) if (m * p >= max) return m * p;
  return 10 * p;
}

function Axis({ max, format, fontSize = 11 }: { max: number; format: (v: number) => string; fontSize?: number }) {
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((t) => t * max);
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  return (
    <g fontSize={fontSize} fill="#4c6272">
      {ticks.map((t) => {
        const y = PAD.top + plotH - (t / max) * plotH;
        return (
          <g key={t}>
            <line x1={PAD.left} x2={WIDTH - PAD.right} y1={y} y2={y} stroke="#d8dde0" />
            <text x={PAD.left - 6} y={y + 4} textAnchor="end">
              {format(t)}
            </text>
          </g>
        );
      })}
    </g>
  );
}

/** Shows every label when few, else about eight evenly spread. */
const labelStep = (n: number) => Math.max(1, Math.ceil(n / 8));

function Figures({ fold, children }: { fold?: boolean; children: ReactNode }) {
  if (!fold) return <>{children}</>;
  return (
    <details className="nhsuk-details app-chart__figures">
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">The figures</span>
      </summary>
      <div className="nhsuk-details__text">{children}</div>
    </details>
  );
}

function DataTable({
  title,
  labels,
  series,
  format,
  labelHeading,
  missingText,
}: {
  title: string;
  labels: string[];
  series: Series[];
  format: (v: number) => string;
  labelHeading: string;
  missingText: string;
}) {
  return (
    <table className="nhsuk-table app-chart__table app-numeric-cells">
      <caption className="nhsuk-table__caption nhsuk-table__caption--s">{title}: the figures</caption>
      <thead>
        <tr>
          <th scope="col">{labelHeading}</th>
          {series.map((s) => (
            <th scope="col" className="app-numeric" key={s.name}>
              {s.name}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {labels.map((l, i) => (
          <tr key={l}>
            <th scope="row">{l}</th>
            {series.map((s) => {
              const v = s.data[i]?.value ?? null;
              return <td key={s.name}>{v === null ? <strong className="nhsuk-tag nhsuk-tag--grey">{missingText}</strong> : format(v)}</td>;
            })}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function BarChart({
  title,
  data,
  valueFormat = defaultFormat,
  labelHeading = "Period",
  missingText = "Missing",
  children,
}: CommonProps & { data: Datum[] }) {
  const id = useId();
  const max = niceMax(Math.max(0, ...data.map((d) => d.value ?? 0)));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const slot = plotW / Math.max(1, data.length);
  const step = labelStep(data.length);
  const missing = data.filter((d) => d.value === null).length;
  return (
    <figure className="app-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-t`} width="100%" className="app-chart__svg">
        <title
          id={`${id}-t`}
        >{`${title}. ${data.length} values${missing ? `, ${missing} missing` : ""}; the figures are in the table below.`}</title>
        <Axis max={max} format={valueFormat} />
        {data.map((d, i) => {
          const x = PAD.left + i * slot + slot * 0.15;
          const w = slot * 0.7;
          if (d.value === null) {
            return (
              <g key={d.label}>
                <rect x={x} y={PAD.top + plotH - 12} width={w} height={12} fill="none" stroke="#aeb7bd" strokeDasharray="3 2" />
                <text x={x + w / 2} y={PAD.top + plotH - 16} fontSize="9" textAnchor="middle" fill="#4c6272">
                  no data
                </text>
              </g>
            );
          }
          const h = (d.value / max) * plotH;
          return <rect key={d.label} x={x} y={PAD.top + plotH - h} width={w} height={h} fill={COLOURS[0]} />;
        })}
        <g fontSize="11" fill="#212b32">
          {data.map((d, i) =>
            i % step === 0 ? (
              <text key={d.label} x={PAD.left + i * slot + slot / 2} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                {d.label}
              </text>
            ) : null,
          )}
        </g>
      </svg>
      <DataTable
        title={title}
        labels={data.map((d) => d.label)}
        series={[{ name: title, data }]}
        format={valueFormat}
        labelHeading={labelHeading}
        missingText={missingText}
      />
      {children}
    </figure>
  );
}

export function LineChart({
  title,
  series,
  valueFormat = defaultFormat,
  labelHeading = "Period",
  missingText = "Missing",
  children,
  foldFigures,
  fontSize = 11,
}: CommonProps & { series: Series[] }) {
  const id = useId();
  const labels = series[0]?.data.map((d) => d.label) ?? [];
  const max = niceMax(Math.max(0, ...series.flatMap((s) => s.data.map((d) => d.value ?? 0))));
  const plotW = WIDTH - PAD.left - PAD.right;
  const plotH = HEIGHT - PAD.top - PAD.bottom;
  const x = (i: number) => PAD.left + (labels.length <= 1 ? plotW / 2 : (i / (labels.length - 1)) * plotW);
  const y = (v: number) => PAD.top + plotH - (v / max) * plotH;
  const step = labelStep(labels.length);
  // A missing value breaks the line into segments.
  const segments = (s: Series) => {
    const out: string[] = [];
    let cur: string[] = [];
    s.data.forEach((d, i) => {
      if (d.value === null) {
        if (cur.length) out.push(cur.join(" "));
        cur = [];
      } else cur.push(`${x(i).toFixed(1)},${y(d.value).toFixed(1)}`);
    });
    if (cur.length) out.push(cur.join(" "));
    return out;
  };
  return (
    <figure className="app-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT + 20}`} role="img" aria-labelledby={`${id}-t`} width="100%" className="app-chart__svg">
        <title id={`${id}-t`}>{`${title}: ${series.map((s) => s.name).join(" and ")}; the figures are in the table below.`}</title>
        <Axis max={max} format={valueFormat} fontSize={fontSize} />
        {series.map((s, si) => (
          <g key={s.name} stroke={COLOURS[si % COLOURS.length]} fill={COLOURS[si % COLOURS.length]}>
            {segments(s).map((points) => (
              <polyline key={points} points={points} fill="none" strokeWidth="2.5" strokeDasharray={s.dashed ? "6 4" : undefined} />
            ))}
            {s.data.map((d, i) => (d.value === null ? null : <circle key={d.label} cx={x(i)} cy={y(d.value)} r="3" />))}
          </g>
        ))}
        <g fontSize={fontSize} fill="#212b32">
          {labels.map((l, i) =>
            i % step === 0 || i === labels.length - 1 ? (
              <text key={l} x={x(i)} y={HEIGHT - PAD.bottom + 16} textAnchor="middle">
                {l}
              </text>
            ) : null,
          )}
        </g>
        <g fontSize={fontSize}>
          {series.map((s, si) => (
            <g key={s.name} transform={`translate(${PAD.left + si * 200}, ${HEIGHT - 8})`}>
              <line
                x1="0"
                x2="20"
                y1="0"
                y2="0"
                stroke={COLOURS[si % COLOURS.length]}
                strokeWidth="2.5"
                strokeDasharray={s.dashed ? "6 4" : undefined}
              />
              <text x="26" y="4" fill="#212b32">
                {s.name}
              </text>
            </g>
          ))}
        </g>
      </svg>
      <Figures fold={foldFigures}>
        <DataTable
          title={title}
          labels={labels}
          series={series}
          format={valueFormat}
          labelHeading={labelHeading}
          missingText={missingText}
        />
      </Figures>
      {children}
    </figure>
  );
}
