import { describe } from "vitest";
import * as practiceAssessment from "~/routes/practices.$ods.assessment._index";
import * as practiceDomain from "~/routes/practices.$ods.assessment.$domain";
import * as practiceSubmit from "~/routes/practices.$ods.assessment.submit";
import * as icbAssessments from "~/routes/icbs.$code_.assessments._index";
import * as icbCycle from "~/routes/icbs.$code_.assessments.$cycleId";
import * as review from "~/routes/assessments.$id.review";
import * as duties from "~/routes/assessments.$id.duties";
import { openCycle } from "~/modules/assessment/icb.server";
import { getDb } from "~/utils/db.server";
import { defineMatrix, OTHER_ICB, QMF_ONLY, READ_F84003, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "practices.$ods.assessment._index.tsx": practiceAssessment,
  "practices.$ods.assessment.$domain.tsx": practiceDomain,
  "practices.$ods.assessment.submit.tsx": practiceSubmit,
  "icbs.$code_.assessments._index.tsx": icbAssessments,
  "icbs.$code_.assessments.$cycleId.tsx": icbCycle,
  "assessments.$id.review.tsx": review,
  "assessments.$id.duties.tsx": duties,
};

// F84003 is the practice manager's practice and F84013 the practice-list delivery partner's,
// both in QMF, which the ICB lead and the ICB-wide delivery partner cover. Answering is the
// practice manager's (and admins'); verifying and opening cycles the ICB lead's (and admins').
// Delivery partners do neither. Out of read scope is 404; in view without the permission 403.
const ATTEST_F84003: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 200,
};
const VERIFY_QMF: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 404,
};
/** The review page of F84003's assessment: the practice manager can see their practice but not verify. */
const REVIEW_F84003: Expect = { ...VERIFY_QMF, practiceManager: 403 };
const REVIEW_F84013: Expect = { ...VERIFY_QMF, partnerPractice: 403 };
/** The duties page (issue 17): the ICB lead and the delivery partner serving the practice answer there; never the practice manager. */
const DUTIES_F84003: Expect = { ...VERIFY_QMF, partnerIcb: 200, practiceManager: 403 };
const DUTIES_F84013: Expect = { ...VERIFY_QMF, partnerIcb: 200, partnerPractice: 200 };
/** Posting a review needs `assessment:verify` somewhere first: everyone without it is refused (403) whatever the id. */
const REVIEW_POST: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 403,
  practiceManager: 403,
};

const F = { ods: "F84003" };
// Ids from the setup below: cycle 1 holds F84003 (assessment 1) and F84013 (assessment 2).
const CYCLE = "1";
// POSTs either fail validation or meet a stale version, so no row changes whatever order the
// rows run in; the matrix checks who gets through to that point.
const STALE = "999";

const MATRIX: MatrixRow[] = (
  [
    { file: "practices.$ods.assessment._index.tsx", path: "/practices/F84003/assessment", params: F, expect: READ_F84003 },
    {
      file: "practices.$ods.assessment._index.tsx",
      path: "/practices/F84013/assessment",
      params: { ods: "F84013" },
      expect: { ...READ_F84003, partnerPractice: 200, practiceManager: 404 },
    },
    { file: "practices.$ods.assessment._index.tsx", path: "/practices/A81001/assessment", params: { ods: "A81001" }, expect: OTHER_ICB },
    {
      file: "practices.$ods.assessment._index.tsx",
      method: "POST",
      path: "/practices/F84003/assessment",
      params: F,
      fields: { assessment_id: "1", "DEV-02.comment": "" },
      expect: ATTEST_F84003,
    },
    {
      file: "practices.$ods.assessment._index.tsx",
      method: "POST",
      path: "/practices/F84013/assessment",
      params: { ods: "F84013" },
      fields: { assessment_id: "2", "DEV-02.comment": "" },
      expect: { ...ATTEST_F84003, practiceManager: 404, partnerPractice: 403 },
    },

    {
      file: "practices.$ods.assessment.$domain.tsx",
      path: "/practices/F84003/assessment/cyber_ig",
      params: { ...F, domain: "cyber_ig" },
      expect: ATTEST_F84003,
    },
    {
      file: "practices.$ods.assessment.$domain.tsx",
      path: "/practices/A81001/assessment/cyber_ig",
      params: { ods: "A81001", domain: "cyber_ig" },
      expect: { ...OTHER_ICB, admin: 404 },
    },
    {
      file: "practices.$ods.assessment.$domain.tsx",
      path: "/practices/F84003/assessment/nonsense",
      params: { ...F, domain: "nonsense" },
      expect: { ...ATTEST_F84003, admin: 404, practiceManager: 404 },
    },
    {
      file: "practices.$ods.assessment.$domain.tsx",
      method: "POST",
      path: "/practices/F84003/assessment/cyber_ig",
      params: { ...F, domain: "cyber_ig" },
      fields: { assessment_id: "1", "SEC-04.answer": "met", "SEC-04.version": STALE },
      expect: ATTEST_F84003,
    },
    {
      file: "practices.$ods.assessment.$domain.tsx",
      method: "POST",
      path: "/practices/F84013/assessment/cyber_ig",
      params: { ods: "F84013", domain: "cyber_ig" },
      fields: { assessment_id: "2", "SEC-04.answer": "met", "SEC-04.version": STALE },
      expect: { ...ATTEST_F84003, practiceManager: 404, partnerPractice: 403 },
    },

    { file: "practices.$ods.assessment.submit.tsx", path: "/practices/F84003/assessment/submit", params: F, expect: ATTEST_F84003 },
    {
      file: "practices.$ods.assessment.submit.tsx",
      path: "/practices/A81001/assessment/submit",
      params: { ods: "A81001" },
      expect: { ...OTHER_ICB, admin: 404 },
    },
    {
      file: "practices.$ods.assessment.submit.tsx",
      method: "POST",
      path: "/practices/F84003/assessment/submit",
      params: F,
      fields: { assessment_id: "1", version: STALE },
      expect: ATTEST_F84003,
    },

    { file: "icbs.$code_.assessments._index.tsx", path: "/icbs/QMF/assessments", params: { code: "QMF" }, expect: QMF_ONLY },
    { file: "icbs.$code_.assessments._index.tsx", path: "/icbs/QHM/assessments", params: { code: "QHM" }, expect: OTHER_ICB },
    {
      file: "icbs.$code_.assessments._index.tsx",
      method: "POST",
      path: "/icbs/QMF/assessments",
      params: { code: "QMF" },
      fields: { name: "", scope: "all" },
      expect: VERIFY_QMF,
    },
    {
      file: "icbs.$code_.assessments._index.tsx",
      method: "POST",
      path: "/icbs/QHM/assessments",
      params: { code: "QHM" },
      fields: { name: "", scope: "all" },
      expect: { ...OTHER_ICB, partnerIcb: 404 },
    },

    {
      file: "icbs.$code_.assessments.$cycleId.tsx",
      path: `/icbs/QMF/assessments/${CYCLE}`,
      params: { code: "QMF", cycleId: CYCLE },
      expect: QMF_ONLY,
    },
    {
      file: "icbs.$code_.assessments.$cycleId.tsx",
      path: `/icbs/QHM/assessments/${CYCLE}`,
      params: { code: "QHM", cycleId: CYCLE },
      expect: { ...OTHER_ICB, admin: 404 },
    },
    {
      file: "icbs.$code_.assessments.$cycleId.tsx",
      method: "POST",
      path: `/icbs/QMF/assessments/${CYCLE}`,
      params: { code: "QMF", cycleId: CYCLE },
      fields: { version: STALE },
      expect: VERIFY_QMF,
    },

    { file: "assessments.$id.duties.tsx", path: "/assessments/1/duties", params: { id: "1" }, expect: DUTIES_F84003 },
    { file: "assessments.$id.duties.tsx", path: "/assessments/2/duties", params: { id: "2" }, expect: DUTIES_F84013 },
    { file: "assessments.$id.review.tsx", path: "/assessments/1/review", params: { id: "1" }, expect: REVIEW_F84003 },
    { file: "assessments.$id.review.tsx", path: "/assessments/2/review", params: { id: "2" }, expect: REVIEW_F84013 },
    { file: "assessments.$id.review.tsx", path: "/assessments/999/review", params: { id: "999" }, expect: { ...OTHER_ICB, admin: 404 } },
    {
      file: "assessments.$id.review.tsx",
      method: "POST",
      path: "/assessments/1/review",
      params: { id: "1" },
      fields: { intent: "decide" },
      expect: REVIEW_POST,
    },
    {
      file: "assessments.$id.review.tsx",
      method: "POST",
      path: "/assessments/2/review",
      params: { id: "2" },
      fields: { intent: "verify-all", version: STALE },
      expect: REVIEW_POST,
    },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  const lead = await db.selectFrom("app_user").select("id").where("email", "=", "lead@test.nhs.test").executeTakeFirstOrThrow();
  await openCycle(db, lead.id, "QMF", {
    name: "Annual review 2026/27",
    due_date: "2099-03-31",
    selection: { practices: ["F84003", "F84013"] },
  });
});

describe("self-assessment: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});
