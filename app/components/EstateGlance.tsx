import { Link } from "~/components/Link";
import { plural } from "~/utils/format";
import { DEVICE_TYPES } from "~/modules/devices/schema";
import { formatDate, formatNumber } from "~/utils/format";

const TELEPHONY: Record<string, string> = {
  analogue: "Analogue (PSTN)",
  isdn: "ISDN",
  on_premises_digital: "On-premises digital",
  cloud: "Cloud-based",
};

interface Glance {
  devicesByType: { type: string; count: number }[];
  deviceTotal: number;
  os: Record<"supported" | "unsupported" | "esu" | "unknown" | "not_applicable", number>;
  warrantyExpired: number;
  telephony: { system_type: string; supplier: string | null; contract_end: string | null } | null;
  services: { inUse: number; recorded: number };
  sites: { open: number; withoutHscn: number };
}

function Card({ title, to, children }: { title: string; to: string; children: React.ReactNode }) {
  return (
    <li className="nhsuk-grid-column-one-third nhsuk-card-group__item">
      <div className="nhsuk-card nhsuk-card--clickable">
        <div className="nhsuk-card__content">
          <h3 className="nhsuk-card__heading nhsuk-heading-s">
            <Link className="nhsuk-card__link" to={to}>
              {title}
            </Link>
          </h3>
          {children}
        </div>
      </div>
    </li>
  );
}

/** Estate at a glance: each card summarises one register and links to it. */
export function EstateGlance({ ods, estate, asOf }: { ods: string; estate: Glance; asOf: string }) {
  const base = `/practices/${ods}`;
  const t = estate.telephony;
  return (
    <>
      <h2>Estate at a glance</h2>
      <ul className="nhsuk-grid-row nhsuk-card-group">
        <Card title="Devices" to={`${base}/devices`}>
          {estate.deviceTotal === 0 ? (
            <p className="nhsuk-card__description">No devices recorded.</p>
          ) : (
            <>
              <p className="nhsuk-card__description">
                {plural(estate.deviceTotal, "device")}:{" "}
                {estate.devicesByType
                  .map((d) => `${formatNumber(d.count)} ${DEVICE_TYPES[d.type as keyof typeof DEVICE_TYPES]?.toLowerCase() ?? d.type}`)
                  .join(", ")}
                .
              </p>
              <p className="nhsuk-card__description">
                {estate.os.unsupported > 0 ? (
                  <strong className="nhsuk-tag nhsuk-tag--red">
                    {formatNumber(estate.os.unsupported)} on an unsupported operating system
                  </strong>
                ) : (
                  <strong className="nhsuk-tag nhsuk-tag--green">No unsupported operating systems</strong>
                )}
              </p>
              <p className="nhsuk-card__description nhsuk-body-s">
                {estate.os.esu > 0 ? `${formatNumber(estate.os.esu)} covered by Extended Security Updates. ` : ""}
                {estate.os.unknown > 0 ? `${formatNumber(estate.os.unknown)} with an operating system we cannot check. ` : ""}
                {formatNumber(estate.warrantyExpired)} out of warranty on {formatDate(asOf)}.
              </p>
            </>
          )}
        </Card>
        <Card title="Telephony" to={`${base}/telephony`}>
          {t ? (
            <>
              <p className="nhsuk-card__description">
                {TELEPHONY[t.system_type] ?? t.system_type}
                {t.supplier ? ` from ${t.supplier}` : ""}.
              </p>
              {t.system_type !== "cloud" ? <strong className="nhsuk-tag nhsuk-tag--orange">Not cloud-based telephony</strong> : null}
              <p className="nhsuk-card__description nhsuk-body-s">
                {t.contract_end ? `Contract ends ${formatDate(t.contract_end)}.` : "Contract end date not known."}
              </p>
            </>
          ) : (
            <p className="nhsuk-card__description">No telephony system recorded.</p>
          )}
        </Card>
        <Card title="Clinical system and digital services" to={`${base}/services`}>
          <p className="nhsuk-card__description">
            {estate.services.recorded === 0
              ? "No digital services recorded yet."
              : `${formatNumber(estate.services.inUse)} digital services in use.`}
          </p>
        </Card>
        <Card title="Sites and connectivity" to={`${base}/sites`}>
          <p className="nhsuk-card__description">
            {formatNumber(estate.sites.open)} open site{estate.sites.open === 1 ? "" : "s"}
            {estate.sites.withoutHscn > 0 ? `; ${formatNumber(estate.sites.withoutHscn)} without a recorded HSCN connection` : ""}.
          </p>
        </Card>
      </ul>
    </>
  );
}
