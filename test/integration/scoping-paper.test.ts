import { describe } from "vitest";
import * as adminFactors from "~/routes/admin.emission-factors._index";
import * as adminFactorNew from "~/routes/admin.emission-factors.new";
import * as sustainability from "~/routes/icbs.$code_.sustainability";
import * as sustainabilityExport from "~/routes/icbs.$code_.sustainability.export";
import * as paper from "~/routes/practices.$ods.paper._index";
import * as activity from "~/routes/practices.$ods.paper.activity";
import * as paperExport from "~/routes/practices.$ods.paper.export";
import * as paperImport from "~/routes/practices.$ods.paper.import";
import * as lloydGeorge from "~/routes/practices.$ods.paper.lloyd-george";
import { getDb } from "~/utils/db.server";
import {
  ADMIN_ONLY,
  defineMatrix,
  OTHER_ICB,
  QMF_ONLY,
  READ_F84003,
  useRoleCookies,
  type Expect,
  type MatrixRow,
} from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "practices.$ods.paper._index.tsx": paper,
  "practices.$ods.paper.activity.tsx": activity,
  "practices.$ods.paper.lloyd-george.tsx": lloydGeorge,
  "practices.$ods.paper.import.tsx": paperImport,
  "practices.$ods.paper.export.ts": paperExport,
  "admin.emission-factors._index.tsx": adminFactors,
  "admin.emission-factors.new.tsx": adminFactorNew,
  "icbs.$code_.sustainability.tsx": sustainability,
  "icbs.$code_.sustainability.export.ts": sustainabilityExport,
};

// Paper and Lloyd George records are practice-owned facts: the practice manager (and admins)
// change them; delivery partners and ICB leads read them. Out of read scope is 404 (so nothing
// leaks), in scope without the permission 403. F84013 is the practice-list delivery partner's
// practice, which the practice manager cannot see: posting to it is URL tampering.
const PRACTICE_WRITE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 200,
};
const PRACTICE_WRITE_F84013: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 403,
  practiceManager: 404,
};
const WRITE_A81001: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};

const F = { ods: "F84003" };
// POSTs below fail validation, hit a stale version or cancel a missing upload, so they change
// nothing whatever order the rows run in; the status is what the matrix checks.
const STALE = "999";
const BAD_MONTH = { period_start: "not a month", version: "0" };

const MATRIX: MatrixRow[] = (
  [
    { file: "practices.$ods.paper._index.tsx", path: "/practices/F84003/paper", params: F, expect: READ_F84003 },
    { file: "practices.$ods.paper._index.tsx", path: "/practices/A81001/paper", params: { ods: "A81001" }, expect: OTHER_ICB },
    {
      file: "practices.$ods.paper.activity.tsx",
      path: "/practices/F84003/paper/activity?month=2026-10",
      params: F,
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.paper.activity.tsx",
      method: "POST",
      path: "/practices/F84003/paper/activity",
      params: F,
      fields: BAD_MONTH,
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.paper.activity.tsx",
      method: "POST",
      path: "/practices/F84013/paper/activity",
      params: { ods: "F84013" },
      fields: BAD_MONTH,
      expect: PRACTICE_WRITE_F84013,
    },
    {
      file: "practices.$ods.paper.activity.tsx",
      method: "POST",
      path: "/practices/A81001/paper/activity",
      params: { ods: "A81001" },
      fields: BAD_MONTH,
      expect: WRITE_A81001,
    },
    { file: "practices.$ods.paper.lloyd-george.tsx", path: "/practices/F84003/paper/lloyd-george", params: F, expect: PRACTICE_WRITE },
    {
      file: "practices.$ods.paper.lloyd-george.tsx",
      method: "POST",
      path: "/practices/F84003/paper/lloyd-george",
      params: F,
      fields: { digitised: "10", version: STALE },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.paper.lloyd-george.tsx",
      method: "POST",
      path: "/practices/F84013/paper/lloyd-george",
      params: { ods: "F84013" },
      fields: { digitised: "10", version: STALE },
      expect: PRACTICE_WRITE_F84013,
    },
    { file: "practices.$ods.paper.import.tsx", path: "/practices/F84003/paper/import", params: F, expect: PRACTICE_WRITE },
    {
      file: "practices.$ods.paper.import.tsx",
      method: "POST",
      path: "/practices/F84003/paper/import",
      params: F,
      fields: { intent: "cancel", upload: "00000000-0000-0000-0000-000000000000" },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.paper.import.tsx",
      method: "POST",
      path: "/practices/F84013/paper/import",
      params: { ods: "F84013" },
      fields: { intent: "cancel", upload: "x" },
      expect: PRACTICE_WRITE_F84013,
    },
    { file: "practices.$ods.paper.export.ts", path: "/practices/F84003/paper/export?format=csv", params: F, expect: READ_F84003 },
    {
      file: "practices.$ods.paper.export.ts",
      path: "/practices/A81001/paper/export?format=xlsx",
      params: { ods: "A81001" },
      expect: OTHER_ICB,
    },

    { file: "admin.emission-factors._index.tsx", path: "/admin/emission-factors", expect: ADMIN_ONLY },
    { file: "admin.emission-factors.new.tsx", path: "/admin/emission-factors/new", expect: ADMIN_ONLY },
    {
      file: "admin.emission-factors.new.tsx",
      method: "POST",
      path: "/admin/emission-factors/new",
      fields: { key: "letter_posted", value: "" },
      expect: ADMIN_ONLY,
    },

    { file: "icbs.$code_.sustainability.tsx", path: "/icbs/QMF/sustainability", params: { code: "QMF" }, expect: QMF_ONLY },
    { file: "icbs.$code_.sustainability.tsx", path: "/icbs/QHM/sustainability", params: { code: "QHM" }, expect: OTHER_ICB },
    {
      file: "icbs.$code_.sustainability.export.ts",
      path: "/icbs/QMF/sustainability/export?format=csv",
      params: { code: "QMF" },
      expect: QMF_ONLY,
    },
    {
      file: "icbs.$code_.sustainability.export.ts",
      path: "/icbs/QHM/sustainability/export?format=xlsx",
      params: { code: "QHM" },
      expect: OTHER_ICB,
    },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const base = { address: null, postcode: null, phone: null, open_date: null, close_date: null };
  await getDb()
    .insertInto("site")
    .values([
      { ...base, code: "F84003", practice_code: "F84003", kind: "main", name: "LOWER CLAPTON GENERAL PRACTICE" },
      { ...base, code: "F84013", practice_code: "F84013", kind: "main", name: "STAMFORD HILL GROUP PRACTICE" },
    ])
    .execute();
});

describe("paper and carbon: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});
