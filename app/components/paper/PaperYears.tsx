import { Form } from "@remix-run/react";
import { LineChart } from "~/components/charts";
import { DataTable } from "~/components/DataTable";
import { Tag } from "~/components/Tag";
import { formatKg, monthLong } from "~/modules/paper/format";
import { kg1, type PaperPage } from "./types";

/** Emissions by calendar year, then the straight line to net zero from the chosen baseline year. */
export function PaperYears({ d }: { d: Pick<PaperPage, "years" | "lastMonth" | "trajectory" | "baselineOptions"> }) {
  return (
    <>
      <h2>Emissions by year</h2>
      <DataTable
        caption={`Calendar years (the current year up to ${monthLong(d.lastMonth)})`}
        rows={d.years}
        rowKey={(y) => y.year}
        columns={[
          { header: "Year", rowHeader: true, cell: (y) => y.year },
          { header: "Months recorded", numeric: true, cell: (y) => `${y.recorded} of ${y.months}` },
          {
            header: "kg CO2e",
            numeric: true,
            cell: (y) =>
              y.kg === null ? (
                <>
                  <Tag colour="grey">Missing</Tag>{" "}
                  <span className="nhsuk-body-s">
                    {y.months - y.recorded} {y.months - y.recorded === 1 ? "month" : "months"} without figures
                  </span>
                </>
              ) : (
                formatKg(y.kg, "")
              ),
          },
          {
            header: "Scaled to a full year",
            numeric: true,
            cell: (y) =>
              y.annualised === null
                ? "–"
                : y.months < 12
                  ? `${formatKg(y.annualised, "")} (from ${y.months} months)`
                  : formatKg(y.annualised, ""),
          },
        ]}
      />

      <h2>Net zero trajectory</h2>
      {d.trajectory ? (
        <>
          <p>
            A straight line from {d.trajectory.baselineYear} ({formatKg(d.trajectory.baselineKg)}
            {d.years.find((y) => y.year === d.trajectory!.baselineYear)?.months !== 12 ? ", scaled to a full year" : ""}) to zero in{" "}
            {d.trajectory.netZeroYear}: printing energy ({formatKg(d.trajectory.baselineDirectKg)}) falls to zero by{" "}
            {d.trajectory.netZeroDirectYear}, paper, post and messages by {d.trajectory.netZeroPlusYear}.
          </p>
          {d.baselineOptions.length > 1 ? (
            <Form method="get" className="nhsuk-form-group">
              <label className="nhsuk-label" htmlFor="baseline">
                Baseline year
              </label>
              <select className="nhsuk-select" id="baseline" name="baseline" defaultValue={d.trajectory.baselineYear}>
                {d.baselineOptions.map((y) => (
                  <option key={y} value={y}>
                    {y}
                  </option>
                ))}
              </select>{" "}
              <button className="nhsuk-button nhsuk-button--secondary nhsuk-u-margin-bottom-0" type="submit">
                Show
              </button>
            </Form>
          ) : null}
          <LineChart
            title="Yearly carbon against the net zero line (kg CO2e)"
            labelHeading="Year"
            valueFormat={kg1}
            missingText="Not yet"
            series={[
              { name: "Recorded (scaled to a year)", data: d.trajectory.rows.map((r) => ({ label: String(r.year), value: r.actual })) },
              {
                name: `Straight line to zero by ${d.trajectory.netZeroYear}`,
                dashed: true,
                data: d.trajectory.rows.map((r) => ({ label: String(r.year), value: r.target })),
              },
            ]}
          />
        </>
      ) : (
        <p>
          <Tag colour="grey">Missing</Tag> No year has figures for every month yet, so there is no baseline to draw the line from.
        </p>
      )}
    </>
  );
}
