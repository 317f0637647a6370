import { z } from "zod";
import { inFileOrder, readCsv } from "../csv";
import {
  ORG_CODE,
  PRACTICE_CODE,
  code,
  describeIssues,
  joinAddress,
  optionalCode,
  optionalDate,
  optionalText,
  requiredText,
} from "../fields";
import type { ParseResult, RejectedRow } from "../types";

export const EPRACCUR_COLUMNS = 27;
const GP_PRACTICE_SETTING = 4;
/** From October 2026 column 26 holds the ODS role instead of the prescribing setting (feeds.md section 7). */
const GP_PRACTICE_ROLE = "RO76";
/** October 2026 status words, mapped to the letters the register has always stored. */
const STATUS_WORDS: Record<string, "A" | "C" | "D"> = { ACTIVE: "A", INACTIVE: "C", DORMANT: "D" };

export interface EpraccurRecord {
  line: number;
  code: string;
  name: string;
  regionCode: string | null;
  icbCode: string | null;
  subIcbCode: string | null;
  address: string | null;
  postcode: string | null;
  phone: string | null;
  status: "A" | "C" | "D" | "P";
  openDate: string | null;
  closeDate: string | null;
  prescribingSetting: number;
  country: "England" | "Wales";
}

const status = z
  .string()
  .transform((s) => s.trim())
  .transform((s): string => STATUS_WORDS[s.toUpperCase()] ?? s)
  .pipe(
    z.enum(["A", "C", "D", "P"], {
      error: (iss) => `column 13 (status) "${String(iss.input)}" is not A, C, D or P (or ACTIVE, INACTIVE, DORMANT)`,
    }),
  );

// Column numbers in labels are the 1-based positions in the ODS epraccur specification.
const RowSchema = z.object({
  code: code("column 1 (organisation code)", PRACTICE_CODE, "F84003"),
  name: requiredText("column 2 (name)"),
  regionCode: optionalCode("column 3 (national grouping)", ORG_CODE, "Y56"),
  icbCode: optionalCode("column 4 (high level health geography)", ORG_CODE, "QMF"),
  address: z.array(z.string()).transform(joinAddress),
  postcode: optionalText(),
  openDate: optionalDate("column 11 (open date)"),
  closeDate: optionalDate("column 12 (close date)"),
  status,
  subIcbCode: optionalCode("column 15 (commissioner)", ORG_CODE, "A3A8R"),
  phone: optionalText(),
});

/**
 * ODS epraccur: headerless, 27 quoted columns, every prescribing cost centre in England and Wales.
 * Only prescribing setting 4 rows are GP practices; the rest (out-of-hours, PCN cost centres,
 * prisons...) are counted as skipped. Welsh practices are kept but flagged so England totals
 * can leave them out.
 *
 * Two layouts are accepted, even mixed in one file: up to September 2026 column 13 is a letter
 * (A/C/D/P) and column 26 the prescribing setting (4 = GP practice); from October 2026 column 13
 * is a word (ACTIVE/INACTIVE/DORMANT) and column 26 the ODS role (RO76 = GP practice).
 */
export function parseEpraccur(content: Buffer): ParseResult<EpraccurRecord> {
  const { lines, broken } = readCsv(content);
  const records: EpraccurRecord[] = [];
  const rejected: RejectedRow[] = [...broken];
  const otherSettings = new Map<string, number>();

  for (const { line, cells: c } of lines) {
    if (c.length !== EPRACCUR_COLUMNS) {
      rejected.push({ row: line, message: `expected ${EPRACCUR_COLUMNS} columns, found ${c.length}` });
      continue;
    }
    const setting = c[25].trim().toUpperCase();
    if (!/^\d{1,2}$/.test(setting) && !/^RO\d{1,4}$/.test(setting)) {
      rejected.push({
        row: line,
        message: `column 26 (prescribing setting or role) "${c[25].trim()}" is neither a number nor an ODS role such as RO76`,
      });
      continue;
    }
    // Filter before validating: non-GP rows use code shapes of their own (e.g. Channel Islands).
    const isRole = setting.startsWith("RO");
    if (isRole ? setting !== GP_PRACTICE_ROLE : Number(setting) !== GP_PRACTICE_SETTING) {
      const label = isRole ? `role ${setting}` : `prescribing setting ${Number(setting)}`;
      otherSettings.set(label, (otherSettings.get(label) ?? 0) + 1);
      continue;
    }
    const parsed = RowSchema.safeParse({
      code: c[0],
      name: c[1],
      regionCode: c[2],
      icbCode: c[3],
      address: c.slice(4, 9),
      postcode: c[9],
      openDate: c[10],
      closeDate: c[11],
      status: c[12],
      subIcbCode: c[14],
      phone: c[17],
    });
    if (!parsed.success) {
      rejected.push({ row: line, message: describeIssues(parsed.error) });
      continue;
    }
    const r = parsed.data;
    const welsh = r.regionCode === "W00" || r.code.startsWith("W");
    records.push({ line, ...r, prescribingSetting: GP_PRACTICE_SETTING, country: welsh ? "Wales" : "England" });
  }
  // Reported in setting order (numbers numerically, roles after), not in the order they first appeared.
  const order = (label: string) => [label.startsWith("role") ? 1 : 0, Number(label.replace(/\D/g, ""))] as const;
  const skipped = [...otherSettings]
    .sort(([a], [b]) => order(a)[0] - order(b)[0] || order(a)[1] - order(b)[1])
    .map(([label, count]) => ({ reason: `not a GP practice (${label})`, count }));
  return { records, rejected: inFileOrder(rejected), skipped };
}
