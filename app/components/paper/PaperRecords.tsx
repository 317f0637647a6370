import { Link } from "~/components/Link";
import { DataTable } from "~/components/DataTable";
import { formatDate, titleCase } from "~/utils/format";
import { SummaryList } from "~/components/SummaryList";
import { Tag } from "~/components/Tag";
import { yesNoText } from "~/components/YesNo";
import { formatCount } from "~/modules/paper/format";
import { LG_LABELS } from "~/modules/paper/schema";
import type { PaperPage } from "./types";

/** The Lloyd George record counts and contract, and the floor each site gives to paper records. */
export function LloydGeorgeRecords({
  d,
  ods,
  base,
  canEdit,
}: {
  d: Pick<PaperPage, "lloydGeorge" | "counts" | "sites">;
  ods: string;
  base: string;
  canEdit: boolean;
}) {
  const lg = d.lloydGeorge;
  return (
    <>
      <h2>Lloyd George records</h2>
      {lg ? (
        <SummaryList
          rows={[
            [LG_LABELS.envelopes_on_site, formatCount(lg.envelopes_on_site)],
            [LG_LABELS.envelopes_elsewhere, formatCount(lg.envelopes_elsewhere)],
            [LG_LABELS.digitised, formatCount(lg.digitised)],
            [LG_LABELS.destroyed, formatCount(lg.destroyed)],
            ["Records in all", formatCount(d.counts.total)],
            ["Still on paper only", formatCount(d.counts.notDigitised)],
            ["Scanned, envelope not yet destroyed", formatCount(d.counts.awaitingDestruction)],
            [LG_LABELS.new_envelopes_since_2021, formatCount(lg.new_envelopes_since_2021)],
            [
              "Digitisation contract",
              lg.supplier || lg.contract_start || lg.contract_end
                ? `${lg.supplier ?? "Supplier not known"}, ${lg.contract_start ? formatDate(lg.contract_start) : "start not known"} to ${lg.contract_end ? formatDate(lg.contract_end) : "end not known"}`
                : "None recorded",
            ],
            [LG_LABELS.supplier_approved, yesNoText(lg.supplier_approved)],
            [LG_LABELS.destruction_approved_on, lg.destruction_approved_on ? formatDate(lg.destruction_approved_on) : "Not recorded"],
            ["Notes", lg.notes],
          ]}
        />
      ) : (
        <p>No Lloyd George record counts have been recorded for this practice yet.</p>
      )}
      {canEdit ? (
        <Link className="nhsuk-button nhsuk-button--secondary" to={`${base}/lloyd-george`}>
          {lg ? "Change the Lloyd George records" : "Record the Lloyd George records"}
        </Link>
      ) : null}
      <DataTable
        caption="Floor area used for paper records, by site"
        rows={d.sites}
        rowKey={(s) => s.code}
        columns={[
          {
            header: "Site",
            cell: (s) => (
              <>
                <Link to={`/practices/${ods}/sites/${s.code}`}>{titleCase(s.name)}</Link> ({s.code}){s.close_date ? " – closed" : ""}
              </>
            ),
          },
          {
            header: "Records storage (m²)",
            numeric: true,
            cell: (s) => (s.records_storage_m2 === null ? "Not known" : s.records_storage_m2.toLocaleString("en-GB")),
          },
        ]}
      />
    </>
  );
}

/** The emission factors in force today, with where each comes from. */
export function PaperFactors({ factors, isAdmin }: { factors: PaperPage["factors"]; isAdmin: boolean }) {
  return (
    <>
      <h2>Factors in force today</h2>
      <p>
        Each period is worked out with the factor versions in force on its first day, so a new version changes only periods from its
        effective date.
        {isAdmin ? (
          <>
            {" "}
            <Link to="/admin/emission-factors">Manage emission factors</Link>
          </>
        ) : null}
      </p>
      <DataTable
        caption="Emission factors"
        captionHidden
        scroll
        rows={factors}
        rowKey={(f) => f.id}
        columns={[
          { header: "Factor", cell: (f) => f.label },
          { header: "Value", numeric: true, cell: (f) => `${f.value.toLocaleString("en-GB")} ${f.unit}` },
          { header: "Since", cell: (f) => formatDate(f.effective_from) },
          {
            header: "Source",
            className: "nhsuk-body-s",
            cell: (f) => (
              <>
                {f.is_assumption ? <Tag colour="yellow">Assumption</Tag> : null} {f.source}
              </>
            ),
          },
        ]}
      />
    </>
  );
}
