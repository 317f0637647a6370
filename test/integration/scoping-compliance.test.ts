import { describe } from "vitest";
import * as practiceCompliance from "~/routes/practices.$ods.compliance._index";
import * as practiceRequirement from "~/routes/practices.$ods.compliance.$requirementId";
import * as practiceForecast from "~/routes/practices.$ods.compliance.forecast";
import * as icbCompliance from "~/routes/icbs.$code_.compliance._index";
import * as icbRequirement from "~/routes/icbs.$code_.compliance.$requirementId";
import * as icbPolicy from "~/routes/icbs.$code_.policy";
import * as requirements from "~/routes/requirements._index";
import * as requirement from "~/routes/requirements.$id";
import { getDb } from "~/utils/db.server";
import { addMainSites } from "../support/compliance-db";
import { prepareCompliance } from "../support/compliance-pages";
import { ALL, defineMatrix, OTHER_ICB, QMF_ONLY, READ_F84003, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "practices.$ods.compliance._index.tsx": practiceCompliance,
  "practices.$ods.compliance.$requirementId.tsx": practiceRequirement,
  "practices.$ods.compliance.forecast.tsx": practiceForecast,
  "icbs.$code_.compliance._index.tsx": icbCompliance,
  "icbs.$code_.compliance.$requirementId.tsx": icbRequirement,
  "icbs.$code_.policy.tsx": icbPolicy,
  "requirements._index.tsx": requirements,
  "requirements.$id.tsx": requirement,
};

// Practice pages read like the estate registers: 404 out of read scope. "Re-check now" needs an
// estate write permission for the practice (delivery partner, practice manager, admin); ICB leads
// only read it. ICB pages are for ICB-wide scope (404 otherwise, as the ICB page); re-checking a
// whole ICB and changing its policy need policy:manage for that ICB (its lead, admins).
const READ_F84013: Expect = { ...READ_F84003, partnerPractice: 200, practiceManager: 404 };
const RECHECK_F84003: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 200,
};
const RECHECK_F84013: Expect = { ...RECHECK_F84003, partnerPractice: 200, practiceManager: 404 };
const RECHECK_A81001: Expect = { ...OTHER_ICB, admin: 200 };
const MANAGE_QMF: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 200,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 404,
};
const MANAGE_QHM: Expect = OTHER_ICB;
const NOT_FOUND_IF_READABLE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 404,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};

const F = { ods: "F84003" };
// Policy POSTs send a value the setting refuses, so every permitted role gets the same answer (the
// form with its error) whatever order the rows run in; the status is what the matrix checks.
const BAD_POLICY = { intent: "set", key: "max_age_desktop", value: "99", version: "" };

const MATRIX: MatrixRow[] = (
  [
    { file: "practices.$ods.compliance._index.tsx", path: "/practices/F84003/compliance", params: F, expect: READ_F84003 },
    {
      file: "practices.$ods.compliance._index.tsx",
      path: "/practices/F84013/compliance?domain=devices",
      params: { ods: "F84013" },
      expect: READ_F84013,
    },
    { file: "practices.$ods.compliance._index.tsx", path: "/practices/A81001/compliance", params: { ods: "A81001" }, expect: OTHER_ICB },
    {
      file: "practices.$ods.compliance._index.tsx",
      method: "POST",
      path: "/practices/F84003/compliance",
      params: F,
      expect: RECHECK_F84003,
    },
    {
      file: "practices.$ods.compliance._index.tsx",
      method: "POST",
      path: "/practices/F84013/compliance",
      params: { ods: "F84013" },
      expect: RECHECK_F84013,
    },
    {
      file: "practices.$ods.compliance._index.tsx",
      method: "POST",
      path: "/practices/A81001/compliance",
      params: { ods: "A81001" },
      expect: RECHECK_A81001,
    },

    {
      file: "practices.$ods.compliance.$requirementId.tsx",
      path: "/practices/F84003/compliance/DEV-02",
      params: { ...F, requirementId: "DEV-02" },
      expect: READ_F84003,
    },
    {
      file: "practices.$ods.compliance.$requirementId.tsx",
      path: "/practices/A81001/compliance/DEV-02",
      params: { ods: "A81001", requirementId: "DEV-02" },
      expect: OTHER_ICB,
    },
    {
      file: "practices.$ods.compliance.$requirementId.tsx",
      path: "/practices/F84003/compliance/NOPE-1",
      params: { ...F, requirementId: "NOPE-1" },
      expect: { ...NOT_FOUND_IF_READABLE },
    },

    { file: "practices.$ods.compliance.forecast.tsx", path: "/practices/F84003/compliance/forecast", params: F, expect: READ_F84003 },
    {
      file: "practices.$ods.compliance.forecast.tsx",
      path: "/practices/A81001/compliance/forecast",
      params: { ods: "A81001" },
      expect: OTHER_ICB,
    },

    { file: "icbs.$code_.compliance._index.tsx", path: "/icbs/QMF/compliance", params: { code: "QMF" }, expect: QMF_ONLY },
    { file: "icbs.$code_.compliance._index.tsx", path: "/icbs/QHM/compliance", params: { code: "QHM" }, expect: OTHER_ICB },
    { file: "icbs.$code_.compliance._index.tsx", path: "/icbs/NOPE/compliance", params: { code: "NOPE" }, expect: NOT_FOUND_IF_READABLE },
    {
      file: "icbs.$code_.compliance._index.tsx",
      method: "POST",
      path: "/icbs/QMF/compliance",
      params: { code: "QMF" },
      fields: { intent: "recheck" },
      expect: MANAGE_QMF,
    },
    {
      file: "icbs.$code_.compliance._index.tsx",
      method: "POST",
      path: "/icbs/QHM/compliance",
      params: { code: "QHM" },
      fields: { intent: "recheck" },
      expect: MANAGE_QHM,
    },

    {
      file: "icbs.$code_.compliance.$requirementId.tsx",
      path: "/icbs/QMF/compliance/DEV-02",
      params: { code: "QMF", requirementId: "DEV-02" },
      expect: QMF_ONLY,
    },
    {
      file: "icbs.$code_.compliance.$requirementId.tsx",
      path: "/icbs/QHM/compliance/DEV-02",
      params: { code: "QHM", requirementId: "DEV-02" },
      expect: OTHER_ICB,
    },

    { file: "icbs.$code_.policy.tsx", path: "/icbs/QMF/policy", params: { code: "QMF" }, expect: QMF_ONLY },
    { file: "icbs.$code_.policy.tsx", path: "/icbs/QHM/policy", params: { code: "QHM" }, expect: OTHER_ICB },
    {
      file: "icbs.$code_.policy.tsx",
      method: "POST",
      path: "/icbs/QMF/policy",
      params: { code: "QMF" },
      fields: BAD_POLICY,
      expect: MANAGE_QMF,
    },
    {
      file: "icbs.$code_.policy.tsx",
      method: "POST",
      path: "/icbs/QHM/policy",
      params: { code: "QHM" },
      fields: BAD_POLICY,
      expect: MANAGE_QHM,
    },
    {
      file: "icbs.$code_.policy.tsx",
      method: "POST",
      path: "/icbs/QMF/policy",
      params: { code: "QMF" },
      fields: { intent: "recheck" },
      expect: MANAGE_QMF,
    },

    { file: "requirements._index.tsx", path: "/requirements?domain=devices", expect: ALL(200) },
    { file: "requirements.$id.tsx", path: "/requirements/DEV-02", expect: ALL(200) },
    { file: "requirements.$id.tsx", path: "/requirements/NOPE-1", params: { id: "NOPE-1" }, expect: NOT_FOUND_IF_READABLE },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, params: r.params ?? (r.file === "requirements.$id.tsx" ? { id: "DEV-02" } : {}), module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await prepareCompliance(db);
  await addMainSites(db, ["F84003", "F84013", "A81001"]);
});

describe("compliance pages: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});
