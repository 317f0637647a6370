import type { Db } from "#db/connect";
import { ensureCatalogue } from "~/modules/compliance/catalogue.server";

/**
 * Fixed gaps and funding requests for the scoping matrix, written directly (the workflow tests
 * go through the services): gap 9001 at F84003 and 9002 at F84013 (both QMF), 9003 at A81001
 * (QHM), 9004 closed at F84003. Requests: 801 QMF submitted (gap 9001), 802 QHM draft (gap
 * 9003), 803 QMF draft (gap 9002, the practice-list delivery partner's practice).
 */
export async function seedFundingFixture(db: Db, createdBy: number | null) {
  await ensureCatalogue(db);
  const gap = (id: number, practice_code: string, status: "open" | "closed" = "open") => ({
    id,
    practice_code,
    requirement_id: "DEV-02",
    status,
    result_status: "not_met" as const,
    reason: "Windows 10 laptop",
    units: JSON.stringify([{ kind: "laptop_replacement", quantity: 1 }]),
    first_seen: "2026-01-05",
    deadline: "2026-07-05",
    closed_on: status === "closed" ? "2026-02-01" : null,
  });
  await db
    .insertInto("gap")
    .values([gap(9001, "F84003"), gap(9002, "F84013"), gap(9003, "A81001"), gap(9004, "F84003", "closed")])
    .execute();
  const req = (id: number, icb_code: string, status: "draft" | "submitted") => ({
    id,
    icb_code,
    title: `Request ${id}`,
    financial_year: 2026,
    amount_pence: 95_000,
    amount_reason: null,
    justification: "Unsupported laptops",
    status,
    created_by: createdBy,
  });
  await db
    .insertInto("funding_request")
    .values([req(801, "QMF", "submitted"), req(802, "QHM", "draft"), req(803, "QMF", "draft")])
    .execute();
  await db
    .insertInto("funding_request_gap")
    .values([
      { request_id: 801, gap_id: 9001, estimate_pence: 95_000 },
      { request_id: 802, gap_id: 9003, estimate_pence: 95_000 },
      { request_id: 803, gap_id: 9002, estimate_pence: 95_000 },
    ])
    .execute();
}
