import { Tag } from "~/components/Tag";
import { formatCount, formatKg, formatPounds } from "~/modules/paper/format";
import type { PaperPage } from "./types";

/** What digitising the Lloyd George records and sending letters digitally would save a year, or what is missing to say. */
export function PaperSavings({ savings }: { savings: PaperPage["savings"] }) {
  const { lloydGeorge, letters } = savings;
  return (
    <>
      <h2>What the practice could save each year</h2>
      <div className="nhsuk-grid-row">
        <div className="nhsuk-grid-column-one-half">
          <div className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">Digitising the remaining Lloyd George records</h3>
              {lloydGeorge.status === "ok" ? (
                <p className="nhsuk-card__description">
                  {formatCount(lloydGeorge.records)} records still on paper only. Scanning and destroying every envelope frees about{" "}
                  {lloydGeorge.floorM2.toLocaleString("en-GB", { maximumFractionDigits: 1 })} m² of floor
                  {lloydGeorge.floorFromSites
                    ? " (the records storage recorded for the sites)"
                    : " (estimated from the number of envelopes)"}
                  : about <strong>{formatKg(lloydGeorge.kgPerYear)}</strong> and{" "}
                  <strong>{formatPounds(lloydGeorge.pencePerYear, true)}</strong> a year.
                </p>
              ) : (
                <p className="nhsuk-card__description">
                  <Tag colour="grey">Missing</Tag> Needs: {lloydGeorge.missing.join(", ")}.
                </p>
              )}
            </div>
          </div>
        </div>
        <div className="nhsuk-grid-column-one-half">
          <div className="nhsuk-card">
            <div className="nhsuk-card__content">
              <h3 className="nhsuk-card__heading">Moving letters to digital messages</h3>
              {letters.status === "ok" ? (
                <p className="nhsuk-card__description" id="letter-savings">
                  About {formatCount(letters.lettersPerYear)} letters and {formatCount(letters.digitalPerYear)} digital messages a year
                  {letters.annualisedFrom < 12 ? ` (scaled from ${letters.annualisedFrom} months)` : ""}.{" "}
                  {letters.lettersMoved > 0 ? (
                    <>
                      Sending {Math.round(letters.targetShare * 100)}% digitally (the local target) means{" "}
                      {formatCount(letters.lettersMoved)} fewer letters: about <strong>{formatKg(letters.kgPerYear)}</strong> and{" "}
                      <strong>{formatPounds(letters.pencePerYear, true)}</strong> a year.
                    </>
                  ) : (
                    <>The practice already sends at least {Math.round(letters.targetShare * 100)}% digitally (the local target).</>
                  )}{" "}
                  Moving every remaining letter would save at most {formatKg(letters.allLettersKg)} and{" "}
                  {formatPounds(letters.allLettersPence, true)} a year.
                </p>
              ) : (
                <p className="nhsuk-card__description">
                  <Tag colour="grey">Missing</Tag> Needs: {letters.missing.join(", ")}.
                </p>
              )}
            </div>
          </div>
        </div>
      </div>
    </>
  );
}
