import type { Kysely } from "kysely";

// Frozen: initial OS lifecycle dates from the research note (shared/reference/operating-model.md
// §3.2, sources S26-S28). Admins maintain the table from the app after this.
const MS = "Microsoft lifecycle (operating-model research §3.2, S26)";
const rows: [string, string, string, string | null, string | null, string | null, string][] = [
  // family, edition, version, build, end_of_support, extended_end (paid ESU), source
  ["Windows 10", "Home/Pro/Enterprise/Education", "22H2", "19045", "2025-10-14", "2028-10-10", `${MS}; ESU S27`],
  ["Windows 10", "Home/Pro/Enterprise/Education", "21H2", "19044", "2023-06-13", null, MS],
  ["Windows 10", "Home/Pro/Enterprise/Education", "21H1", "19043", "2022-12-13", null, MS],
  ["Windows 10", "Home/Pro/Enterprise/Education", "20H2", "19042", "2022-05-10", null, MS],
  ["Windows 10", "LTSC 2019", "1809", "17763", "2029-01-09", null, MS],
  ["Windows 10", "LTSC 2021", "21H2", "19044", "2027-01-12", null, MS],
  ["Windows 10", "IoT Enterprise LTSC 2021", "21H2", "19044", "2032-01-13", null, MS],
  ["Windows 11", "Home/Pro", "21H2", "22000", "2023-10-10", null, MS],
  ["Windows 11", "Home/Pro", "22H2", "22621", "2024-10-08", null, MS],
  ["Windows 11", "Home/Pro", "23H2", "22631", "2025-11-11", null, MS],
  ["Windows 11", "Home/Pro", "24H2", "26100", "2026-10-13", null, MS],
  ["Windows 11", "Home/Pro", "26H1", null, "2028-03-14", null, MS],
  ["Windows 11", "Home/Pro", "26H2", null, "2028-10-10", null, MS],
  ["Windows 11", "Enterprise/Education", "21H2", "22000", "2024-10-08", null, MS],
  ["Windows 11", "Enterprise/Education", "22H2", "22621", "2025-10-14", null, MS],
  ["Windows 11", "Enterprise/Education", "23H2", "22631", "2026-11-10", null, MS],
  ["Windows 11", "Enterprise/Education", "24H2", "26100", "2027-10-12", null, MS],
  ["Windows 11", "Enterprise/Education", "26H1", null, "2029-03-13", null, MS],
];

export async function up(db: Kysely<any>): Promise<void> {
  await db
    .insertInto("os_lifecycle")
    .values(
      rows.map(([family, edition, version, build, end, ext, source]) => ({
        family,
        edition,
        version,
        build,
        end_of_support: end,
        extended_end: ext,
        source,
        notes: ext ? "Extended Security Updates can be bought for up to 3 years" : null,
      })),
    )
    .execute();
}

export async function down(db: Kysely<any>): Promise<void> {
  await db.deleteFrom("os_lifecycle").execute();
}
