import { describe } from "vitest";
import { insertJob } from "~/modules/queue/repository.server";
import { RECHECK } from "~/modules/jobs/recheck.server";
import * as rechecks from "~/routes/admin.re-checks";
import * as jobPage from "~/routes/jobs.$id";
import * as jobProgress from "~/routes/jobs.$id.progress";
import { getDb } from "~/utils/db.server";
import { ADMIN_ONLY, defineMatrix, OTHER_ICB, QMF_ONLY, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "jobs.$id.tsx": jobPage,
  "jobs.$id.progress.ts": jobProgress,
  "admin.re-checks.tsx": rechecks,
};

// A re-check's page is read like the ICB it covers (ICB-wide scope; 404 otherwise, so nothing
// leaks); a national re-check's page is for national scope (admins). The re-checks list and the
// national re-check are for admins. Jobs 1-3 are made below, in this order.
const NOT_FOUND_IF_READABLE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 404,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};

const MATRIX: MatrixRow[] = (
  [
    { file: "jobs.$id.tsx", path: "/jobs/1", params: { id: "1" }, expect: QMF_ONLY },
    { file: "jobs.$id.tsx", path: "/jobs/2", params: { id: "2" }, expect: OTHER_ICB },
    { file: "jobs.$id.tsx", path: "/jobs/3", params: { id: "3" }, expect: OTHER_ICB },
    { file: "jobs.$id.tsx", path: "/jobs/999999", params: { id: "999999" }, expect: NOT_FOUND_IF_READABLE },
    { file: "jobs.$id.tsx", path: "/jobs/nope", params: { id: "nope" }, expect: NOT_FOUND_IF_READABLE },
    { file: "jobs.$id.progress.ts", path: "/jobs/1/progress", params: { id: "1" }, expect: QMF_ONLY },
    { file: "jobs.$id.progress.ts", path: "/jobs/2/progress", params: { id: "2" }, expect: OTHER_ICB },
    { file: "jobs.$id.progress.ts", path: "/jobs/3/progress", params: { id: "3" }, expect: OTHER_ICB },
    { file: "jobs.$id.progress.ts", path: "/jobs/999999/progress", params: { id: "999999" }, expect: NOT_FOUND_IF_READABLE },
    { file: "admin.re-checks.tsx", path: "/admin/re-checks", expect: ADMIN_ONLY },
    // The national job (3) is already queued, so an admin's POST is answered on the page (200).
    { file: "admin.re-checks.tsx", method: "POST", path: "/admin/re-checks", fields: { intent: "recheck" }, expect: ADMIN_ONLY },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, params: r.params ?? {}, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await insertJob(db, { kind: RECHECK, scope: "icb:QMF", params: { asOf: "2026-12-03" }, createdBy: null });
  await insertJob(db, { kind: RECHECK, scope: "icb:QHM", params: { asOf: "2026-12-03" }, createdBy: null });
  await insertJob(db, { kind: RECHECK, scope: "all", params: { asOf: "2026-12-03" }, createdBy: null });
});

describe("background re-checks: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});
