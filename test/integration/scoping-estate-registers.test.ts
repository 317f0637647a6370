import { describe } from "vitest";
import * as telephony from "~/routes/practices.$ods.telephony._index";
import * as telephonyNew from "~/routes/practices.$ods.telephony.new";
import * as telephonyEdit from "~/routes/practices.$ods.telephony.edit";
import * as telephonyReplace from "~/routes/practices.$ods.telephony.replace";
import * as telephonyDelete from "~/routes/practices.$ods.telephony.$id.delete";
import * as telephonyExport from "~/routes/practices.$ods.telephony.export";
import * as services from "~/routes/practices.$ods.services._index";
import * as servicesEdit from "~/routes/practices.$ods.services.edit";
import * as servicesExport from "~/routes/practices.$ods.services.export";
import * as sites from "~/routes/practices.$ods.sites._index";
import * as siteNew from "~/routes/practices.$ods.sites.new";
import * as site from "~/routes/practices.$ods.sites.$code._index";
import * as siteConnectivity from "~/routes/practices.$ods.sites.$code.connectivity";
import * as sitePremises from "~/routes/practices.$ods.sites.$code.premises";
import * as siteDelete from "~/routes/practices.$ods.sites.$code.delete";
import * as sitesExport from "~/routes/practices.$ods.sites.export";
import { getDb } from "~/utils/db.server";
import { defineMatrix, OTHER_ICB, READ_F84003, useRoleCookies, type Expect, type MatrixRow } from "../support/scoping";

const MODULES: Record<string, { loader?: unknown; action?: unknown }> = {
  "practices.$ods.telephony._index.tsx": telephony,
  "practices.$ods.telephony.new.tsx": telephonyNew,
  "practices.$ods.telephony.edit.tsx": telephonyEdit,
  "practices.$ods.telephony.replace.tsx": telephonyReplace,
  "practices.$ods.telephony.$id.delete.tsx": telephonyDelete,
  "practices.$ods.telephony.export.ts": telephonyExport,
  "practices.$ods.services._index.tsx": services,
  "practices.$ods.services.edit.tsx": servicesEdit,
  "practices.$ods.services.export.ts": servicesExport,
  "practices.$ods.sites._index.tsx": sites,
  "practices.$ods.sites.new.tsx": siteNew,
  "practices.$ods.sites.$code._index.tsx": site,
  "practices.$ods.sites.$code.connectivity.tsx": siteConnectivity,
  "practices.$ods.sites.$code.premises.tsx": sitePremises,
  "practices.$ods.sites.$code.delete.tsx": siteDelete,
  "practices.$ods.sites.export.ts": sitesExport,
};

// F84003 is the practice manager's practice, in ICB QMF; the practice-list delivery partner holds
// only F84013. Writes to practice-owned estate (telephony, premises) are the practice manager's;
// writes to ICB-managed estate (services, connectivity) are the delivery partner's. ICB leads
// only read. Out of read scope is 404; in scope without the permission is 403.
const PRACTICE_WRITE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 403,
  partnerPractice: 404,
  practiceManager: 200,
};
const ICB_WRITE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 403,
};
const EITHER_WRITE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 404,
  practiceManager: 200,
};
/** F84013: the practice-list delivery partner's own practice; the practice manager cannot see it. */
const ICB_WRITE_F84013: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 200,
  practiceManager: 404,
};
const READ_F84013: Expect = { ...READ_F84003, partnerPractice: 200, practiceManager: 404 };

const F = { ods: "F84003" };
const PAST_ID = "900";
const MANUAL = "F84003-M1";
// POSTs below either fail validation or hit a stale version, so every role sees the same data
// whatever order the rows run in; the status is what the matrix checks.
const STALE = "999";

const MATRIX: MatrixRow[] = (
  [
    { file: "practices.$ods.telephony._index.tsx", path: "/practices/F84003/telephony", params: F, expect: READ_F84003 },
    { file: "practices.$ods.telephony._index.tsx", path: "/practices/F84013/telephony", params: { ods: "F84013" }, expect: READ_F84013 },
    { file: "practices.$ods.telephony._index.tsx", path: "/practices/A81001/telephony", params: { ods: "A81001" }, expect: OTHER_ICB },
    { file: "practices.$ods.telephony.new.tsx", path: "/practices/F84003/telephony/new", params: F, expect: PRACTICE_WRITE },
    {
      file: "practices.$ods.telephony.new.tsx",
      method: "POST",
      path: "/practices/F84003/telephony/new",
      params: F,
      fields: { system_type: "" },
      expect: PRACTICE_WRITE,
    },
    { file: "practices.$ods.telephony.edit.tsx", path: "/practices/F84003/telephony/edit", params: F, expect: PRACTICE_WRITE },
    {
      file: "practices.$ods.telephony.edit.tsx",
      method: "POST",
      path: "/practices/F84003/telephony/edit",
      params: F,
      fields: { system_type: "cloud", version: STALE },
      expect: PRACTICE_WRITE,
    },
    { file: "practices.$ods.telephony.replace.tsx", path: "/practices/F84003/telephony/replace", params: F, expect: PRACTICE_WRITE },
    {
      file: "practices.$ods.telephony.replace.tsx",
      method: "POST",
      path: "/practices/F84003/telephony/replace",
      params: F,
      fields: { system_type: "cloud", ended_on: "01/01/2026", version: STALE },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.telephony.$id.delete.tsx",
      path: `/practices/F84003/telephony/${PAST_ID}/delete`,
      params: { ...F, id: PAST_ID },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.telephony.$id.delete.tsx",
      method: "POST",
      path: `/practices/F84003/telephony/${PAST_ID}/delete`,
      params: { ...F, id: PAST_ID },
      fields: { version: STALE },
      expect: PRACTICE_WRITE,
    },
    { file: "practices.$ods.telephony.export.ts", path: "/practices/F84003/telephony/export?format=csv", params: F, expect: READ_F84003 },
    {
      file: "practices.$ods.telephony.export.ts",
      path: "/practices/A81001/telephony/export?format=xlsx",
      params: { ods: "A81001" },
      expect: OTHER_ICB,
    },

    { file: "practices.$ods.services._index.tsx", path: "/practices/F84003/services", params: F, expect: READ_F84003 },
    { file: "practices.$ods.services._index.tsx", path: "/practices/A81001/services", params: { ods: "A81001" }, expect: OTHER_ICB },
    { file: "practices.$ods.services.edit.tsx", path: "/practices/F84003/services/edit", params: F, expect: ICB_WRITE },
    {
      file: "practices.$ods.services.edit.tsx",
      path: "/practices/F84013/services/edit",
      params: { ods: "F84013" },
      expect: ICB_WRITE_F84013,
    },
    {
      file: "practices.$ods.services.edit.tsx",
      method: "POST",
      path: "/practices/F84003/services/edit",
      params: F,
      fields: { "eps.status": "in_use" },
      expect: ICB_WRITE,
    },
    { file: "practices.$ods.services.export.ts", path: "/practices/F84003/services/export?format=csv", params: F, expect: READ_F84003 },

    { file: "practices.$ods.sites._index.tsx", path: "/practices/F84003/sites", params: F, expect: READ_F84003 },
    { file: "practices.$ods.sites._index.tsx", path: "/practices/A81001/sites", params: { ods: "A81001" }, expect: OTHER_ICB },
    { file: "practices.$ods.sites.new.tsx", path: "/practices/F84003/sites/new", params: F, expect: EITHER_WRITE },
    {
      file: "practices.$ods.sites.new.tsx",
      method: "POST",
      path: "/practices/F84003/sites/new",
      params: F,
      fields: { name: "", kind: "branch" },
      expect: EITHER_WRITE,
    },
    {
      file: "practices.$ods.sites.$code._index.tsx",
      path: "/practices/F84003/sites/F84003",
      params: { ...F, code: "F84003" },
      expect: READ_F84003,
    },
    {
      file: "practices.$ods.sites.$code._index.tsx",
      path: "/practices/F84003/sites/F84013",
      params: { ...F, code: "F84013" },
      expect: { ...READ_F84003, admin: 404, icbLead: 404, partnerIcb: 404, practiceManager: 404 },
    },
    {
      file: "practices.$ods.sites.$code.connectivity.tsx",
      path: "/practices/F84003/sites/F84003/connectivity",
      params: { ...F, code: "F84003" },
      expect: ICB_WRITE,
    },
    {
      file: "practices.$ods.sites.$code.connectivity.tsx",
      method: "POST",
      path: "/practices/F84003/sites/F84003/connectivity",
      params: { ...F, code: "F84003" },
      fields: { hscn_connected: "yes", version: STALE },
      expect: ICB_WRITE,
    },
    {
      file: "practices.$ods.sites.$code.premises.tsx",
      path: "/practices/F84003/sites/F84003/premises",
      params: { ...F, code: "F84003" },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.sites.$code.premises.tsx",
      method: "POST",
      path: "/practices/F84003/sites/F84003/premises",
      params: { ...F, code: "F84003" },
      fields: { ups_present: "yes", version: STALE },
      expect: PRACTICE_WRITE,
    },
    {
      file: "practices.$ods.sites.$code.delete.tsx",
      path: `/practices/F84003/sites/${MANUAL}/delete`,
      params: { ...F, code: MANUAL },
      expect: EITHER_WRITE,
    },
    {
      file: "practices.$ods.sites.$code.delete.tsx",
      method: "POST",
      path: `/practices/F84003/sites/${MANUAL}/delete`,
      params: { ...F, code: MANUAL },
      fields: { version: STALE },
      expect: EITHER_WRITE,
    },
    { file: "practices.$ods.sites.export.ts", path: "/practices/F84003/sites/export?format=xlsx", params: F, expect: READ_F84003 },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  const base = { address: null, postcode: null, phone: null, open_date: null, close_date: null };
  await db
    .insertInto("site")
    .values([
      { ...base, code: "F84003", practice_code: "F84003", kind: "main", name: "LOWER CLAPTON GENERAL PRACTICE" },
      { ...base, code: MANUAL, practice_code: "F84003", kind: "branch", name: "RECORDS STORE", is_manual: true },
      { ...base, code: "F84013", practice_code: "F84013", kind: "main", name: "STAMFORD HILL GROUP PRACTICE" },
    ])
    .execute();
  await db
    .insertInto("telephony_system")
    .values([
      { practice_code: "F84003", system_type: "cloud", is_current: true },
      { id: Number(PAST_ID), practice_code: "F84003", system_type: "analogue", is_current: false, ended_on: "2024-03-31" },
    ])
    .execute();
});

describe("estate registers: role × route scoping matrix", () => {
  defineMatrix(MATRIX, cookies);
});
