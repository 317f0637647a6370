import type { PriceBasis, PriceFinance, PriceRecurrence } from "#db/types";
import type { UnitKind } from "~/modules/catalogue/units";

/**
 * National default unit costs, seeded once and inherited by every ICB until it sets its own.
 * The research (../shared/reference/operating-model.md) found few published unit prices, so most
 * figures are local assumptions and say so; ICB leads are expected to replace them with their own
 * framework prices. Sourced figures name their S-number. Effective from 1 April 2025 so that
 * every date the product evaluates this year has a price in force.
 *
 * Deliberately not priced: `clinical_system_procurement` (clinical systems are paid for nationally),
 * so its gaps show "no estimate" rather than an invented figure.
 */
export const DEFAULT_PRICES_FROM = "2025-04-01";

/**
 * Every price is ex VAT with its VAT rate (standard rate, 20%, unless said), capital (equipment
 * and works the NHS owns afterwards) or revenue (services, licences, labour), and one-off or
 * annual (bought a year at a time: warranty, ESU years, line rental, cloud telephony licences).
 */
export interface DefaultPrice {
  basis: PriceBasis;
  pounds: number;
  source: string;
  localEstimate: boolean;
  vatRatePercent: number;
  finance: PriceFinance;
  recurrence: PriceRecurrence;
}

type Treatment = Partial<Pick<DefaultPrice, "basis" | "vatRatePercent" | "finance" | "recurrence">>;

const local = (pounds: number, why: string, t: Treatment = {}): DefaultPrice => ({
  basis: "each",
  vatRatePercent: 20,
  finance: "revenue",
  recurrence: "one_off",
  ...t,
  pounds,
  source: `Local estimate: ${why}`,
  localEstimate: true,
});
const CAPITAL: Treatment = { finance: "capital" };
const ANNUAL: Treatment = { recurrence: "annual" };

export const DEFAULT_PRICES: Partial<Record<UnitKind, DefaultPrice>> = {
  desktop_replacement: local(
    750,
    "no NHS unit price found; a 2005-06 GP PC cost £662.50 (S69) is a floor, and kit is bought through NHS SBS Tech Devices (S70)",
    CAPITAL,
  ),
  laptop_replacement: local(950, "no NHS unit price found; bought through NHS SBS Tech Devices (S70)", CAPITAL),
  device_replacement: local(600, "blended figure for servers, printers and peripherals", CAPITAL),
  os_upgrade: local(60, "engineer time to upgrade one computer in place"),
  esu_licence: local(
    48,
    "Windows 10 Extended Security Updates, about US$61 per device for the first year (Microsoft list price), bought a year at a time",
    ANNUAL,
  ),
  warranty_extension: local(80, "one year's extended warranty or support per device", ANNUAL),
  laptop_purchase: local(950, "as a replacement laptop", CAPITAL),
  smartcard_reader: local(25, "reader only, fitted by the service desk", CAPITAL),
  smartcard_client_deployment: local(20, "engineer time per computer"),
  device_management_enrolment: local(15, "engineer time per device"),
  device_encryption: local(20, "engineer time per device"),
  device_patching: local(15, "engineer time per device"),
  antivirus_fix: local(15, "engineer time per device"),
  asset_record_update: local(5, "administrator time per register entry"),
  network_device_replacement: local(1200, "switch or firewall, supplied and configured", CAPITAL),
  // Both figures below are extrapolations from one reported range, so they are local estimates (issue #13 item 10).
  telephony_migration: local(
    2500,
    "extrapolated from reported set-up costs of £15,000-£30,000 per practice (S24); £2,500 per 1,000 patients puts a 6,000-patient practice at the low end",
    { basis: "per_1000_patients" },
  ),
  cloud_telephony_licence: local(
    1000,
    "extrapolated from about £6,000 a year for a 6,000-patient practice (S24): £1,000 per 1,000 patients a year",
    { basis: "per_1000_patients", recurrence: "annual" },
  ),
  telephony_feature_upgrade: local(1000, "licence or configuration change with the telephony supplier"),
  telephony_capacity_upgrade: local(500, "extra channels or licences"),
  analogue_line_migration: local(300, "moving one analogue line (alarm, lift, fax) to a digital service"),
  number_change: local(250, "porting to or adding a local-rate number"),
  hscn_connection: local(1000, "installing an HSCN connection at a site; the rental is priced separately, a year at a time", CAPITAL),
  hscn_rental: local(2000, "a year's rental of one site's HSCN connection", ANNUAL),
  bandwidth_upgrade: local(2000, "a 2006-07 upgrade was quoted at up to £30,000 (S67); today's fibre upgrades cost far less"),
  resilient_line: local(500, "installing a second line at a site; the rental is priced separately, a year at a time", CAPITAL),
  resilient_line_rental: local(1000, "a year's rental of a second line", ANNUAL),
  wifi_access_point: local(450, "access point supplied, cabled and configured", CAPITAL),
  comms_room_works: local(5000, "cooling, power and security works to a comms room", CAPITAL),
  ups_installation: local(800, "rack UPS supplied and fitted", CAPITAL),
  digital_service_setup: local(
    2000,
    "supplier set-up and training for one digital service that has to be bought (online or video consultation, SMS, a website)",
  ),
  service_configuration: local(
    0,
    "no cost: switching on a function of a system the practice already has (NHS App functions, GP Connect, national services), done by the practice or its supplier within existing contracts",
  ),
  lloyd_george_digitisation: local(
    3,
    "extrapolated from the e-LGS managed service at 60p per record per year on a 5-year contract, £3.00 per record over the contract (S38); current national framework price not confirmed",
  ),
  lloyd_george_destruction: local(0.2, "secure shredding per envelope after scanning"),
  digital_messaging_setup: local(500, "set-up and templates for NHS App, SMS or email messages"),
};
