/**
 * The external dates the forecast and gap deadlines rely on, each with where it comes from (the
 * S-numbers are the source register in ../shared/reference/operating-model.md; feeds.md §5 has
 * the Windows build table). One place, typed, so a page, the docs and a test all read the same
 * date. OS end-of-support dates for individual versions live in the OS lifecycle table
 * (app/modules/os-lifecycle), which admins maintain; the ones here are those a requirement or
 * deadline is pinned to by name.
 *
 * Dates are the last day something is supported or allowed: the change shows from the next day
 * (as in os-lifecycle/support.ts).
 */
export interface ExternalDate {
  key: ExternalDateKey;
  date: string;
  /** What happens, as a page shows it: "Deadline 31 Jan 2027 (PSTN switch-off)". */
  label: string;
  source: string;
  /** True when the source is secondary or the exact day is not stated. */
  unconfirmed: boolean;
}

export type ExternalDateKey =
  | "windows10_end_of_support"
  | "windows10_esu_year1_end"
  | "windows10_esu_year2_end"
  | "windows10_esu_year3_end"
  | "windows11_enterprise_23h2_end"
  | "windows11_pro_24h2_end"
  | "windows11_enterprise_24h2_end"
  | "windows_server_2016_extended_end"
  | "windows10_ltsc_2021_mainstream_end"
  | "pstn_switch_off"
  | "identity_agent_retirement";

const MS_LIFECYCLE = "Microsoft lifecycle data, as compiled by endoflife.date and DataForGeeks (S26; feeds.md §5)";

export const EXTERNAL_DATES: Record<ExternalDateKey, ExternalDate> = {
  windows10_end_of_support: {
    key: "windows10_end_of_support",
    date: "2025-10-14",
    label: "Windows 10 end of support",
    source: `${MS_LIFECYCLE}; operating model research S26, S28`,
    unconfirmed: false,
  },
  windows10_esu_year1_end: {
    key: "windows10_esu_year1_end",
    date: "2026-10-13",
    label: "Windows 10 Extended Security Updates year 1 ends",
    source: "Windows 10 commercial ESU is sold in 12-month periods: year 1 ends 13 Oct 2026 (S27; feeds.md §5)",
    unconfirmed: false,
  },
  windows10_esu_year2_end: {
    key: "windows10_esu_year2_end",
    date: "2027-10-12",
    label: "Windows 10 Extended Security Updates year 2 ends",
    source: "Windows 10 commercial ESU year 2 ends 12 Oct 2027 (S27; feeds.md §5)",
    unconfirmed: false,
  },
  windows10_esu_year3_end: {
    key: "windows10_esu_year3_end",
    date: "2028-10-10",
    label: "Windows 10 Extended Security Updates end (year 3)",
    source: "Windows 10 commercial ESU final date 10 Oct 2028 (S27; feeds.md §5)",
    unconfirmed: false,
  },
  windows11_enterprise_23h2_end: {
    key: "windows11_enterprise_23h2_end",
    date: "2026-11-10",
    label: "Windows 11 Enterprise 23H2 end of servicing",
    source: MS_LIFECYCLE,
    unconfirmed: false,
  },
  windows11_pro_24h2_end: {
    key: "windows11_pro_24h2_end",
    date: "2026-10-13",
    label: "Windows 11 Home and Pro 24H2 end of servicing",
    source: MS_LIFECYCLE,
    unconfirmed: false,
  },
  windows11_enterprise_24h2_end: {
    key: "windows11_enterprise_24h2_end",
    date: "2027-10-12",
    label: "Windows 11 Enterprise 24H2 end of servicing",
    source: MS_LIFECYCLE,
    unconfirmed: false,
  },
  windows_server_2016_extended_end: {
    key: "windows_server_2016_extended_end",
    date: "2027-01-12",
    label: "Windows Server 2016 end of extended support",
    source: `${MS_LIFECYCLE} (build 14393)`,
    unconfirmed: false,
  },
  windows10_ltsc_2021_mainstream_end: {
    key: "windows10_ltsc_2021_mainstream_end",
    date: "2027-01-12",
    label: "Windows 10 Enterprise LTSC 2021 end of support",
    source: `${MS_LIFECYCLE} (build 19044)`,
    unconfirmed: false,
  },
  pstn_switch_off: {
    key: "pstn_switch_off",
    date: "2027-01-31",
    label: "PSTN switch-off",
    source:
      "BT's revised migration deadline of 31 Jan 2027, reported by Computer Weekly, 20 May 2024 (S25, secondary); NHS England's Nov 2023 letter (S18) still quoted 2025",
    unconfirmed: true,
  },
  identity_agent_retirement: {
    key: "identity_agent_retirement",
    date: "2027-02-28",
    label: "Identity Agent retirement (Smartcard Connect becomes the only client)",
    source:
      "NHS England Digital, smartcard software for authentication (S34): the legacy Identity Agent retires in February 2027; the exact day is not stated, so the end of the month is used",
    unconfirmed: true,
  },
};

/** The external dates in date order (the forecast adds each as a date to check). */
export const EXTERNAL_DATE_LIST: readonly ExternalDate[] = Object.values(EXTERNAL_DATES).sort(
  (a, b) => a.date.localeCompare(b.date) || a.key.localeCompare(b.key),
);
