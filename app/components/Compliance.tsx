import { Link } from "~/components/Link";
import { plural } from "~/utils/format";
import type { ReactElement, ReactNode } from "react";
import { toFixText } from "~/modules/compliance/practice-rows";
import { SCORE_BANDS, STATUS_TAG, bandFor, formatScore, sortEvidence } from "~/modules/compliance/display";
import { STATUSES, STATUS_LABELS, type EvidenceRef, type Status } from "~/modules/catalogue/rule-types";
import { formatPence } from "~/modules/pricing/money";
import { formatDate, formatDateTime, formatNumber } from "~/utils/format";

/** A compliance status as an NHS.UK tag (met green, partly met yellow, not met red, not known grey, n/a white). */
export function StatusTag({ status }: { status: Status }) {
  return <strong className={`nhsuk-tag ${STATUS_TAG[status]}`}>{STATUS_LABELS[status]}</strong>;
}

/** Where an evidence record lives in the registers, when its id allows a link. */
export function evidenceHref(ods: string, e: EvidenceRef): string | null {
  switch (e.type) {
    case "device":
      return /^\d+$/.test(e.id) ? `/practices/${ods}/devices/${e.id}` : null;
    case "site":
      return /^[A-Za-z0-9-]+$/.test(e.id) ? `/practices/${ods}/sites/${encodeURIComponent(e.id)}` : null;
    case "telephony_system":
      return `/practices/${ods}/telephony`;
    case "digital_service":
      return `/practices/${ods}/services`;
    case "practice":
      return `/practices/${ods}`;
    case "attestation":
      return `/practices/${ods}/assessment`;
    case "lloyd_george":
    case "paper_activity":
      return `/practices/${ods}/paper`;
    case "dspt_status":
    case "cyber_essentials":
      return `/practices/${ods}/security`;
    case "cbt_month":
      return `/practices/${ods}/telephony`;
    default:
      return null;
  }
}

/**
 * The classes of the lists and paragraphs below when their container styles them instead
 * (`bare`): a practice's requirement tables (.app-reqs in compliance.css) give every paragraph and
 * list in a cell NHS.UK's small body text and an 8 px gap, so each of some 250 elements on the
 * page carries one short class or none rather than three long ones (issue 12, page weight).
 */
const BARE = { lead: "app-lead", evidence: "app-evidence", list: "nhsuk-list", details: "nhsuk-details" } as const;

const OUTCOME: Record<NonNullable<EvidenceRef["outcome"]>, string> = {
  ok: "passes this check",
  fail: "fails this check",
  unknown: "not known",
};

/**
 * Records behind a result, each with its outcome (muted by compliance.css). Their links are found
 * when followed (discover="none"): a list may hold hundreds.
 */
// A loop and a module-level function, not items.map with a closure made per request
// (docs/performance.md, session 17, load scaling). The same elements and keys.
function evidenceItems(ods: string, items: EvidenceRef[]) {
  const out: ReactElement[] = [];
  for (const e of items) out.push(evidenceItem(ods, e));
  return out;
}

function evidenceItem(ods: string, e: EvidenceRef) {
  const href = evidenceHref(ods, e);
  return (
    <li key={`${e.type}-${e.id}`}>
      {href ? (
        <Link to={href} discover="none">
          {e.label}
        </Link>
      ) : (
        e.label
      )}
      {e.outcome ? <span>{`: ${OUTCOME[e.outcome]}`}</span> : null}
    </li>
  );
}

function EvidenceItems({ ods, items, bare }: { ods: string; items: EvidenceRef[]; bare?: boolean }) {
  return <ul className={bare ? BARE.evidence : "nhsuk-list nhsuk-list--bullet nhsuk-body-s app-evidence"}>{evidenceItems(ods, items)}</ul>;
}

/**
 * The records behind a result, failing ones first; more than five fold away in an NHS details
 * element. Devices are listed only when they fail or their data is missing (the reason counts
 * those that pass); sites, telephony and services are listed whatever their outcome.
 */
export function EvidenceList({
  ods,
  evidence,
  open = 5,
  more,
  bare,
}: {
  ods: string;
  evidence: EvidenceRef[];
  open?: number;
  /** Styled by its container (BARE). */
  bare?: boolean;
  /** When `evidence` is an excerpt (display.ts evidenceExcerpt): the counts in all and where every record is listed. */
  more?: { total: number; failing: number; href: string };
}) {
  if (evidence.length === 0) return null;
  const items = sortEvidence(evidence);
  const total = more?.total ?? items.length;
  const failingAll = more?.failing ?? items.filter((e) => e.outcome === "fail").length;
  const rest = total - items.length;
  const restLink =
    more && rest > 0 ? (
      <p className={bare ? BARE.lead : "nhsuk-body-s nhsuk-u-margin-bottom-1"}>
        <Link to={more.href} discover="none">{`and ${formatNumber(rest)} more ${rest === 1 ? "record" : "records"}`}</Link>
      </p>
    ) : null;
  if (total <= open && rest === 0) {
    return (
      <>
        <p className={bare ? BARE.lead : "nhsuk-body-s nhsuk-u-margin-bottom-1"}>Records behind this result:</p>
        <EvidenceItems ods={ods} items={items} bare={bare} />
      </>
    );
  }
  return (
    <details className={bare ? BARE.details : "nhsuk-details nhsuk-u-margin-bottom-2"}>
      <summary className="nhsuk-details__summary">
        <span className="nhsuk-details__summary-text">
          {`${formatNumber(total)} records behind this result${failingAll ? ` (${formatNumber(failingAll)} failing)` : ""}`}
        </span>
      </summary>
      <div className="nhsuk-details__text">
        <EvidenceItems ods={ods} items={items} bare={bare} />
        {restLink}
      </div>
    </details>
  );
}

/** What the open gap's estimate says about a "To fix" list (practice-view.server.ts FixCost). */
export interface FixCostView {
  gapId: number;
  pence: number | null;
  vatPence: number | null;
  missing: string;
  elsewhere: string;
}

/**
 * Remediation the gap needs, in priced units: "7 × Operating system upgrade", and with `cost`
 * (today's open gap) what it costs, ex and inc VAT, or what stops it being priced.
 */
export function UnitsList({
  units,
  cost,
  bare,
}: {
  /** The units, or their "To fix: …" text as practice-rows.ts toFixText words it. */
  units: { quantity: number; label: string }[] | string;
  cost?: FixCostView | null;
  /** Styled by its container (BARE). */
  bare?: boolean;
}) {
  const text = typeof units === "string" ? units : toFixText(units);
  if (!text && !cost) return null;
  return (
    <p className={bare ? undefined : "nhsuk-body-s nhsuk-u-margin-bottom-2"}>
      {`${text || "To fix"}${cost ? " · " : ""}`}
      {cost ? (
        <>
          {cost.pence !== null ? (
            <strong>
              {`${formatPence(cost.pence)} ex VAT${cost.vatPence !== null ? ` (${formatPence(cost.pence + cost.vatPence)} inc VAT)` : ""}`}
            </strong>
          ) : (
            <span>{`No estimate: ${cost.missing}`}</span>
          )}
          {cost.elsewhere ? <span className="app-muted">{` · also needs ${cost.elsewhere}`}</span> : null}
          {" · "}
          <Link to={`/gaps/${cost.gapId}`} discover="none">{`Gap #${cost.gapId}`}</Link>
        </>
      ) : null}
    </p>
  );
}

export function UpcomingList({
  upcoming,
  bare,
}: {
  upcoming: { date: string; message: string }[];
  /** Styled by its container (BARE). */ bare?: boolean;
}) {
  if (upcoming.length === 0) return null;
  return (
    <ul className={bare ? BARE.list : "nhsuk-list nhsuk-body-s nhsuk-u-margin-bottom-2"}>
      {upcoming.map((u) => (
        <li key={`${u.date}-${u.message}`}>
          <strong>{`Coming up ${formatDate(u.date)}:`}</strong>
          {` ${u.message}`}
        </li>
      ))}
    </ul>
  );
}

/** A score with its band colour as a plain-text percentage (the colour only repeats what the number says). */
export function ScoreCell({ score, children }: { score: number | null; children?: ReactNode }) {
  return <td className={`app-heatmap__cell app-band--${bandFor(score)}`}>{children ?? formatScore(score)}</td>;
}

export function BandLegend() {
  return (
    <ul className="app-legend nhsuk-body-s" aria-label="Key to colours">
      {SCORE_BANDS.map((b) => (
        <li key={b.key}>
          <span className={`app-legend__swatch app-band--${b.key}`} aria-hidden="true" />
          {b.label}
        </li>
      ))}
      <li>
        <span className="app-legend__swatch app-band--none" aria-hidden="true" />
        No score (nothing could be judged)
      </li>
    </ul>
  );
}

/** Kept for the pages that import it from here; the component is ./FilterSelect. */
export { FilterSelect } from "./FilterSelect";

/** "31/03/2026" for an as-of input, blank for today. */
export const asOfInputValue = (asOf: string, isToday: boolean) =>
  isToday ? "" : `${asOf.slice(8, 10)}/${asOf.slice(5, 7)}/${asOf.slice(0, 4)}`;

/** Kept here for the pages that import it from the compliance components; the helper is in ./format. */
export { formatDateTime };

/** What a whole-ICB re-check did. */
export function RecheckResult({
  r,
}: {
  r: { asOf: string; practices: number; written: number; removed: number; unchanged: number; byStatus: Record<string, number> };
}) {
  return (
    <div className="nhsuk-notification-banner nhsuk-notification-banner--success" role="alert" aria-labelledby="recheck-title">
      <div className="nhsuk-notification-banner__header">
        <h2 className="nhsuk-notification-banner__title" id="recheck-title">
          Success
        </h2>
      </div>
      <div className="nhsuk-notification-banner__content">
        <p className="nhsuk-notification-banner__heading">
          Re-checked {plural(r.practices, "practice")} for {formatDate(r.asOf)}: {formatNumber(r.written + r.removed)} results changed,{" "}
          {formatNumber(r.unchanged)} unchanged.
        </p>
        <p>{STATUSES.map((s) => `${STATUS_LABELS[s]} ${formatNumber(r.byStatus[s] ?? 0)}`).join(" · ")}</p>
      </div>
    </div>
  );
}
