/**
 * The OS lifecycle reference data: every Windows release and edition group found in NHS
 * estates, with its support dates and a source for each row. This file is the source of truth
 * for rows the app ships; `syncLifecycleReference` (reference-sync.server.ts) brings the
 * `os_lifecycle` table up to it without overwriting rows an admin has edited.
 * `npm run -s lifecycle -- --check` validates it; `--json` prints it.
 *
 * Date meanings (each the LAST day covered; Microsoft ends servicing on Patch Tuesday):
 * - `end_of_support`: last day of free security updates (for Windows Server: the end of
 *   Microsoft's "extended support"; for client releases: end of servicing).
 * - `mainstream_end`: Windows Server mainstream support end (feature fixes), shown only.
 * - `esu_year_ends`: last day of each paid Extended Security Updates year, in order (ESU is
 *   bought a year at a time and cumulatively). `extended_end` is the last of them.
 * - `end_of_support: null` means Microsoft has not published the date yet: the row says so in
 *   its notes, and devices on it count as supported with no end date (never an invented one).
 *
 * Change a date: edit the row, cite the source, bump `OS_LIFECYCLE_VERSION`, add a test.
 */

export interface LifecycleReferenceRow {
  family: "Windows 10" | "Windows 11" | "Windows Server";
  edition: string;
  version: string;
  build: string | null;
  mainstream_end: string | null;
  end_of_support: string | null;
  esu_year_ends: string[];
  source: string;
  notes: string | null;
}

export const OS_LIFECYCLE_VERSION = "2026-12-03.1";

// Sources, as cited in /work/shared/reference.
const FEEDS = "feeds.md §5 (endoflife.date products/windows.md and windows-server.md at 2026-08-22 [C])";
const OPMODEL = "operating-model.md §3.2 (S26, Microsoft lifecycle)";
const ESU_SRC =
  "feeds.md §5 'Windows 10 ESU': commercial ESU year 1 ends 2026-10-13, year 2 2027-10-12, year 3 2028-10-10 (final date [C])";
/** Dates not in the shared reference files: recalled from Microsoft's lifecycle pages, not re-read. */
const MS_RECALLED = (page: string) =>
  `UNCONFIRMED: Microsoft lifecycle page "${page}" as recalled, not re-read and not in /work/shared/reference. Past date, so no device's current status depends on it`;

const W10_HP = "Windows 10 Home and Pro";
const W10_EE = "Windows 10 Enterprise and Education";

type Row = LifecycleReferenceRow;
const row = (
  family: Row["family"],
  edition: string,
  version: string,
  build: string | null,
  end: string | null,
  source: string,
  extra: Partial<Pick<Row, "mainstream_end" | "esu_year_ends" | "notes">> = {},
): Row => ({
  family,
  edition,
  version,
  build,
  mainstream_end: extra.mainstream_end ?? null,
  end_of_support: end,
  esu_year_ends: extra.esu_year_ends ?? [],
  source,
  notes: extra.notes ?? null,
});

/** Windows 10 releases where every edition shares one date use the combined edition group. */
const ALL10 = "Home/Pro/Enterprise/Education";

export const OS_LIFECYCLE_ROWS: readonly LifecycleReferenceRow[] = [
  // ── Windows 10, general availability channel ──
  row("Windows 10", ALL10, "22H2", "19045", "2025-10-14", `${FEEDS}; ${OPMODEL}; ${ESU_SRC}`, {
    esu_year_ends: ["2026-10-13", "2027-10-12", "2028-10-10"],
    notes: "Commercial Extended Security Updates: up to 3 years, bought a year at a time (missed years must be paid for).",
  }),
  row("Windows 10", "Home/Pro", "21H2", "19044", "2023-06-13", `${OPMODEL} (Home/Pro date)`),
  row("Windows 10", "Enterprise/Education", "21H2", "19044", "2024-06-11", MS_RECALLED(W10_EE)),
  row("Windows 10", ALL10, "21H1", "19043", "2022-12-13", `${OPMODEL}; ${FEEDS} (19041-19043 ended by 2023-05-09)`),
  row("Windows 10", "Home/Pro", "20H2", "19042", "2022-05-10", `${OPMODEL} (Home/Pro date)`),
  row(
    "Windows 10",
    "Enterprise/Education",
    "20H2",
    "19042",
    "2023-05-09",
    `${FEEDS} (19041-19043 ended by 2023-05-09: the 20H2 Enterprise/Education end)`,
  ),
  row("Windows 10", ALL10, "2004", "19041", "2021-12-14", MS_RECALLED(W10_HP)),
  row("Windows 10", "Home/Pro", "1909", "18363", "2021-05-11", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1909", "18363", "2022-05-10", MS_RECALLED(W10_EE)),
  row("Windows 10", ALL10, "1903", "18362", "2020-12-08", MS_RECALLED(W10_HP)),
  row("Windows 10", "Home/Pro", "1809", "17763", "2020-11-10", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1809", "17763", "2021-05-11", MS_RECALLED(W10_EE)),
  row("Windows 10", "Home/Pro", "1803", "17134", "2019-11-12", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1803", "17134", "2021-05-11", MS_RECALLED(W10_EE)),
  row("Windows 10", "Home/Pro", "1709", "16299", "2019-04-09", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1709", "16299", "2020-10-13", MS_RECALLED(W10_EE)),
  row("Windows 10", "Home/Pro", "1703", "15063", "2018-10-09", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1703", "15063", "2019-10-08", MS_RECALLED(W10_EE)),
  row("Windows 10", "Home/Pro", "1607", "14393", "2018-04-10", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1607", "14393", "2019-04-09", MS_RECALLED(W10_EE)),
  row("Windows 10", "Home/Pro", "1511", "10586", "2017-10-10", MS_RECALLED(W10_HP)),
  row("Windows 10", "Enterprise/Education", "1511", "10586", "2018-04-10", MS_RECALLED(W10_EE)),
  row("Windows 10", ALL10, "1507", "10240", "2017-05-09", MS_RECALLED(W10_HP)),
  // ── Windows 10, long-term servicing ──
  row("Windows 10", "LTSB 2015", "1507", "10240", "2025-10-14", MS_RECALLED("Windows 10 Enterprise 2015 LTSB")),
  row("Windows 10", "LTSB 2016", "1607", "14393", "2026-10-13", `${FEEDS} (14393: LTSB 2026-10-13)`),
  row("Windows 10", "LTSC 2019", "1809", "17763", "2029-01-09", `${FEEDS}; ${OPMODEL}`, { mainstream_end: "2024-01-09" }),
  row("Windows 10", "LTSC 2021", "21H2", "19044", "2027-01-12", `${FEEDS}; ${OPMODEL}`, {
    notes: "Five years of support only: no extended period.",
  }),
  row("Windows 10", "IoT Enterprise LTSC 2021", "21H2", "19044", "2032-01-13", `${FEEDS}; ${OPMODEL}`),
  // ── Windows 11 ──
  row("Windows 11", "Home/Pro", "21H2", "22000", "2023-10-10", `${OPMODEL} (Oct 2023; day from the Patch Tuesday)`),
  row("Windows 11", "Home/Pro", "22H2", "22621", "2024-10-08", `${OPMODEL} (Oct 2024; day from the Patch Tuesday)`),
  row("Windows 11", "Home/Pro", "23H2", "22631", "2025-11-11", `${FEEDS}; ${OPMODEL}`),
  row("Windows 11", "Home/Pro", "24H2", "26100", "2026-10-13", `${FEEDS}; ${OPMODEL}`),
  row("Windows 11", "Home/Pro", "25H2", "26200", "2027-10-12", FEEDS),
  row("Windows 11", "Home/Pro", "26H1", "28000", "2028-03-14", `${FEEDS}; ${OPMODEL}`, { notes: "26H1 ships on new devices only." }),
  row("Windows 11", "Home/Pro", "26H2", null, "2028-10-10", `${OPMODEL}`, {
    notes: "Build number not confirmed (26300 is UNCONFIRMED in feeds.md §5).",
  }),
  row("Windows 11", "Enterprise/Education", "21H2", "22000", "2024-10-08", `${OPMODEL} (Oct 2024; day from the Patch Tuesday)`),
  row("Windows 11", "Enterprise/Education", "22H2", "22621", "2025-10-14", `${FEEDS}; ${OPMODEL}`),
  row("Windows 11", "Enterprise/Education", "23H2", "22631", "2026-11-10", `${FEEDS}; ${OPMODEL}`),
  row("Windows 11", "Enterprise/Education", "24H2", "26100", "2027-10-12", `${FEEDS}; ${OPMODEL}`),
  row("Windows 11", "Enterprise/Education", "25H2", "26200", "2028-10-10", FEEDS),
  row("Windows 11", "Enterprise/Education", "26H1", "28000", "2029-03-13", `${FEEDS}; ${OPMODEL}`, {
    notes: "26H1 ships on new devices only.",
  }),
  row(
    "Windows 11",
    "Enterprise/Education",
    "26H2",
    null,
    null,
    "Not yet published: no Enterprise/Education date for 26H2 in /work/shared/reference",
    {
      notes:
        "End date not yet published by Microsoft: counted as supported with no end date. Build number not confirmed (26300 is UNCONFIRMED in feeds.md §5).",
    },
  ),
  row("Windows 11", "Enterprise LTSC 2024", "24H2", "26100", "2029-10-09", `${FEEDS} (26100: LTSC 2029-10-09)`, {
    notes: "Not the 24H2 general availability release: five years of support.",
  }),
  row("Windows 11", "IoT Enterprise LTSC 2024", "24H2", "26100", "2034-10-10", `${FEEDS} (26100: IoT LTSC 2034-10-10)`),
  // ── Windows Server (end_of_support = end of extended support) ──
  row("Windows Server", "All editions", "2012", "9200", "2023-10-10", MS_RECALLED("Windows Server 2012"), {
    mainstream_end: "2018-10-09",
    esu_year_ends: ["2024-10-08", "2025-10-14", "2026-10-13"],
    notes: "ESU only through Azure Arc or Azure; ESU year dates UNCONFIRMED (recalled).",
  }),
  row("Windows Server", "All editions", "2012 R2", "9600", "2023-10-10", MS_RECALLED("Windows Server 2012 R2"), {
    mainstream_end: "2018-10-09",
    esu_year_ends: ["2024-10-08", "2025-10-14", "2026-10-13"],
    notes: "ESU only through Azure Arc or Azure; ESU year dates UNCONFIRMED (recalled).",
  }),
  row(
    "Windows Server",
    "All editions",
    "2016",
    "14393",
    "2027-01-12",
    `${FEEDS} (14393: Server mainstream 2022-01-11, extended 2027-01-12)`,
    {
      mainstream_end: "2022-01-11",
      notes: "ESU to 2030-01-12 is UNCONFIRMED (feeds.md §5): not recorded.",
    },
  ),
  row(
    "Windows Server",
    "All editions",
    "2019",
    "17763",
    "2029-01-09",
    `${FEEDS} (17763: Server mainstream 2024-01-09, extended 2029-01-09)`,
    { mainstream_end: "2024-01-09" },
  ),
  row("Windows Server", "All editions", "2022", "20348", "2031-10-14", `${FEEDS} (20348: mainstream 2026-10-13, extended 2031-10-14)`, {
    mainstream_end: "2026-10-13",
  }),
  row(
    "Windows Server",
    "All editions",
    "2025",
    "26100",
    "2034-11-14",
    `${FEEDS} (26100: Server mainstream 2029-11-13, extended 2034-11-14)`,
    { mainstream_end: "2029-11-13" },
  ),
];

/**
 * Rows the first seed (2026-11-21) shipped under keys this file no longer uses. The sync deletes
 * them unless an admin has taken them over; the Windows 10 20H2 and 21H2 rows gave Enterprise
 * and Education devices the Home/Pro dates.
 */
export const RETIRED_KEYS: readonly { family: string; edition: string; version: string }[] = [
  { family: "Windows 10", edition: ALL10, version: "21H2" },
  { family: "Windows 10", edition: ALL10, version: "20H2" },
];

export const lifecycleKey = (r: { family: string; edition: string; version: string }) => `${r.family}|${r.edition}|${r.version}`;

/** The last day of paid ESU, or null. */
export const extendedEnd = (r: Pick<LifecycleReferenceRow, "esu_year_ends">) => r.esu_year_ends.at(-1) ?? null;
