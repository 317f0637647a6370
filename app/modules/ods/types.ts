/** The NHS files the importer understands, named by what is in them (not by their file names). */
export const ODS_KINDS = [
  "epraccur",
  "ebranchs",
  "gpad-mapping",
  "epcn",
  "list-size",
  "gp-it-suppliers",
  "gp2gp-suppliers",
  "successors",
] as const;
export type OdsKind = (typeof ODS_KINDS)[number];

/** The tables an import can write, used as keys of the per-entity counts. */
export type OdsEntity = "region" | "icb" | "sub_icb" | "pcn" | "practice" | "practice_pcn_membership" | "practice_list_size" | "site";

/** What an import's counts are kept by: the tables above, and successions recorded. */
export type OdsCountEntity = OdsEntity | "practice_succession" | "icb_succession";

export interface EntityCounts {
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
}

/** A row the user must fix: `row` is the line (CSV) or row (XLSX) number they would see. */
export interface RejectedRow {
  row: number;
  message: string;
}

/** Rows deliberately left out (not errors), counted by reason. */
export interface SkippedCount {
  reason: string;
  count: number;
}

export interface ParseResult<T> {
  records: T[];
  rejected: RejectedRow[];
  skipped: SkippedCount[];
  /** File-level observations worth telling the user (e.g. duplicate rows resolved). */
  notes?: string[];
}

export interface ImportResult {
  file: string;
  kind: OdsKind;
  counts: Partial<Record<OdsCountEntity, EntityCounts>>;
  skipped: SkippedCount[];
  /** At most REJECTED_LIST_CAP rows; counts[...].rejected holds the full number. */
  rejected: RejectedRow[];
  notes: string[];
  /** True when nothing was written: the transaction was rolled back after working out the changes. */
  dryRun?: boolean;
  /** The audit events the import wrote (or, in a dry run, would write), at most REJECTED_LIST_CAP. */
  changes?: { action: string; entityType: string; entityId: string; after?: unknown }[];
}

export const REJECTED_LIST_CAP = 200;

/** A file that cannot be read or recognised; the message always names the file. */
export class OdsFileError extends Error {
  constructor(
    readonly fileName: string,
    message: string,
  ) {
    super(`${fileName}: ${message}`);
    this.name = "OdsFileError";
  }
}
