import { describe, expect, it } from "vitest";
import { importDeviceFile } from "~/modules/devices/import/commit.server";
import { autoMap } from "~/modules/devices/import/map";
import { createUpload } from "~/modules/devices/import/repository.server";
import * as practiceExport from "~/routes/practices.$ods.devices.export";
import * as estateExport from "~/routes/estate.devices.export";
import * as uploadPage from "~/routes/estate.import._index";
import * as previewPage from "~/routes/estate.import.$id";
import * as runPage from "~/routes/estate.import.runs.$runId";
import * as mappingsPage from "~/routes/estate.import.mappings";
import { getDb } from "~/utils/db.server";
import {
  ALL,
  defineMatrix,
  EMAILS,
  OTHER_ICB,
  QMF_ONLY,
  READ_F84003,
  useRoleCookies,
  type Expect,
  type MatrixRow,
} from "../support/scoping";

// Fixture: an upload and a finished import run (the database's first, id 1), both belonging to
// the QMF delivery partner.
const UPLOAD = "7d0c1f6e-0000-4000-8000-000000000001";
const RUN = 1;
const CSV = new TextEncoder().encode("Practice,Asset tag,Type\nF84003,M-1,laptop\n");

const cookies = useRoleCookies(async () => {
  const db = getDb();
  const dp = await db.selectFrom("app_user").select("id").where("email", "=", EMAILS.partnerIcb).executeTakeFirstOrThrow();
  await createUpload(db, {
    id: UPLOAD,
    userId: dp.id,
    kind: "devices",
    fileName: "m.csv",
    content: CSV,
    practiceCode: null,
    mapping: autoMap(["Practice", "Asset tag", "Type"]),
  });
  const run = await importDeviceFile(db, {
    content: CSV,
    fileName: "m.csv",
    userId: dp.id,
    scope: { all: true },
    fixedPractice: null,
    asOf: "2026-11-21",
  });
  expect(run.runId).toBe(RUN);
});

// Import pages need estate.icb:write somewhere (delivery partners, admins): ICB leads, practice
// managers and people without a role get 403; uploads and runs are their owner's (admins see runs).
const WRITERS: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 200,
  icbLead: 403,
  partnerIcb: 200,
  partnerPractice: 200,
  practiceManager: 403,
};
const OWNER_ONLY: Expect = { ...WRITERS, admin: 404, partnerPractice: 404 };

const MATRIX: MatrixRow[] = [
  { file: "estate.import._index.tsx", module: uploadPage, path: "/estate/import", expect: WRITERS },
  {
    file: "estate.import._index.tsx",
    module: uploadPage,
    path: "/estate/import?practice=F84003",
    expect: { ...WRITERS, partnerPractice: 404 },
  },
  { file: "estate.import._index.tsx", module: uploadPage, path: "/estate/import?practice=F84013", expect: WRITERS },
  {
    file: "estate.import._index.tsx",
    module: uploadPage,
    path: "/estate/import?practice=A81001",
    expect: { ...WRITERS, partnerIcb: 404, partnerPractice: 404 },
  },
  // A post without a file is answered with a message on the form (200) for those allowed to upload.
  { file: "estate.import._index.tsx", module: uploadPage, method: "POST", path: "/estate/import", expect: WRITERS },
  {
    file: "estate.import._index.tsx",
    module: uploadPage,
    method: "POST",
    path: "/estate/import?practice=F84003",
    expect: { ...WRITERS, partnerPractice: 404 },
  },
  { file: "estate.import.$id.tsx", module: previewPage, path: `/estate/import/${UPLOAD}`, params: { id: UPLOAD }, expect: OWNER_ONLY },
  {
    file: "estate.import.$id.tsx",
    module: previewPage,
    method: "POST",
    path: `/estate/import/${UPLOAD}`,
    params: { id: UPLOAD },
    fields: { intent: "mapping", "target-0": "practice_ods_code", "target-1": "asset_tag", "target-2": "device_type" },
    expect: OWNER_ONLY,
  },
  {
    file: "estate.import.$id.tsx",
    module: previewPage,
    method: "POST",
    path: `/estate/import/${UPLOAD}`,
    params: { id: UPLOAD },
    fields: { intent: "commit", expected_create: "99", expected_update: "0", expected_rejected: "0" },
    // The owner's confirmation queues a job and moves to its page (302; the stale counts fail the
    // job there, see device-import.test.ts); nobody else reaches the upload.
    expect: { ...OWNER_ONLY, partnerIcb: 302 },
  },
  {
    file: "estate.import.$id.tsx",
    module: previewPage,
    path: "/estate/import/not-an-upload",
    params: { id: "not-an-upload" },
    expect: { ...OWNER_ONLY, partnerIcb: 404 },
  },
  {
    file: "estate.import.$id.tsx",
    module: previewPage,
    method: "POST",
    path: `/estate/import/${UPLOAD}`,
    params: { id: UPLOAD },
    fields: {
      intent: "values",
      "value-count": "1",
      "value-0-column": "device_type",
      "value-0-practice": "",
      "value-0-source": "Kiosk",
      "value-0": "other",
    },
    // A value choice is saved only on the importer's own upload.
    expect: { ...OWNER_ONLY, partnerIcb: 302 },
  },
  // Saved value choices: each user sees and deletes only their own (an id not theirs is not found).
  { file: "estate.import.mappings.tsx", module: mappingsPage, path: "/estate/import/mappings", expect: WRITERS },
  {
    file: "estate.import.mappings.tsx",
    module: mappingsPage,
    method: "POST",
    path: "/estate/import/mappings",
    fields: { id: "999999" },
    expect: { ...WRITERS, admin: 404, partnerIcb: 404, partnerPractice: 404 },
  },
  {
    file: "estate.import.runs.$runId.tsx",
    module: runPage,
    path: `/estate/import/runs/${RUN}`,
    params: { runId: String(RUN) },
    expect: { ...WRITERS, partnerPractice: 404 },
  },
  {
    file: "estate.import.runs.$runId.tsx",
    module: runPage,
    path: "/estate/import/runs/999999",
    params: { runId: "999999" },
    expect: { ...WRITERS, admin: 404, partnerIcb: 404, partnerPractice: 404 },
  },
  {
    file: "practices.$ods.devices.export.tsx",
    module: practiceExport,
    path: "/practices/F84003/devices/export",
    params: { ods: "F84003" },
    expect: READ_F84003,
  },
  {
    file: "practices.$ods.devices.export.tsx",
    module: practiceExport,
    path: "/practices/F84013/devices/export?format=xlsx",
    params: { ods: "F84013" },
    expect: { ...QMF_ONLY, partnerPractice: 200 },
  },
  {
    file: "practices.$ods.devices.export.tsx",
    module: practiceExport,
    path: "/practices/A81001/devices/export",
    params: { ods: "A81001" },
    expect: OTHER_ICB,
  },
  { file: "estate.devices.export.tsx", module: estateExport, path: "/estate/devices/export?format=xlsx", expect: ALL(200) },
];

describe("device import and export scoping matrix", () => {
  defineMatrix(MATRIX, cookies);

  it("leaves the owner's upload in place after refused and stale commits", async () => {
    const row = await getDb().selectFrom("import_upload").select("id").where("id", "=", UPLOAD).executeTakeFirst();
    expect(row?.id).toBe(UPLOAD);
    const devices = await getDb().selectFrom("device").select("asset_tag").execute();
    expect(devices).toEqual([{ asset_tag: "M-1" }]); // only the fixture run's device
  });
});
