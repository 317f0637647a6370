import { describe, expect, it } from "vitest";
import * as list from "~/routes/practices.$ods.devices._index";
import * as newDevice from "~/routes/practices.$ods.devices.new";
import * as devicePage from "~/routes/practices.$ods.devices.$id._index";
import * as editDevice from "~/routes/practices.$ods.devices.$id.edit";
import * as retire from "~/routes/practices.$ods.devices.$id.retire";
import * as remove from "~/routes/practices.$ods.devices.$id.delete";
import * as lifecycleList from "~/routes/admin.os-lifecycle._index";
import * as newVersion from "~/routes/admin.os-lifecycle.new";
import * as versionPage from "~/routes/admin.os-lifecycle.$id";
import { getDb } from "~/utils/db.server";
import { ensureLifecycleSeed, seedSites } from "../support/estate-seed";
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
  "practices.$ods.devices._index.tsx": list,
  "practices.$ods.devices.new.tsx": newDevice,
  "practices.$ods.devices.$id._index.tsx": devicePage,
  "practices.$ods.devices.$id.edit.tsx": editDevice,
  "practices.$ods.devices.$id.retire.tsx": retire,
  "practices.$ods.devices.$id.delete.tsx": remove,
  "admin.os-lifecycle._index.tsx": lifecycleList,
  "admin.os-lifecycle.new.tsx": newVersion,
  "admin.os-lifecycle.$id.tsx": versionPage,
};

// Devices are ICB-managed: delivery partners and admins change them; ICB leads and practice
// managers only read (403). Out of read scope is 404, as is a device under another practice's URL.
const READ_F84013: Expect = { ...QMF_ONLY, partnerPractice: 200 };
const WRITE_F84003: Expect = { ...READ_F84003, icbLead: 403, practiceManager: 403 };
const WRITE_F84013: Expect = { ...READ_F84013, icbLead: 403 };
const NOT_HERE: Expect = {
  anonymous: 302,
  nobody: 403,
  admin: 404,
  icbLead: 404,
  partnerIcb: 404,
  partnerPractice: 404,
  practiceManager: 404,
};

// Fixed ids so the rows can name them; POSTs that are allowed carry a stale version or invalid
// fields, so every role meets the same record unchanged.
const D = { F84003: "901", F84013: "902", A81001: "903" } as const;
const device = { device_type: "desktop", status: "in_use", asset_tag: "M-1", version: "999" };
const lifecycle = {
  family: "Windows 10",
  edition: "Home/Pro/Enterprise/Education",
  version: "22H2",
  end_of_support: "14/10/2025",
  source: "Microsoft",
  version_no: "999",
};

const deviceRows = (ods: string, id: string, read: Expect, write: Expect): Omit<MatrixRow, "module">[] => {
  const p = `/practices/${ods}/devices`;
  const params = { ods, id };
  return [
    { file: "practices.$ods.devices.$id._index.tsx", path: `${p}/${id}`, params, expect: read },
    { file: "practices.$ods.devices.$id.edit.tsx", path: `${p}/${id}/edit`, params, expect: write },
    { file: "practices.$ods.devices.$id.edit.tsx", method: "POST", path: `${p}/${id}/edit`, params, fields: device, expect: write },
    { file: "practices.$ods.devices.$id.retire.tsx", path: `${p}/${id}/retire`, params, expect: write },
    {
      file: "practices.$ods.devices.$id.retire.tsx",
      method: "POST",
      path: `${p}/${id}/retire`,
      params,
      fields: { disposed_date: "01/01/2025", version: "999" },
      expect: write,
    },
    { file: "practices.$ods.devices.$id.delete.tsx", path: `${p}/${id}/delete`, params, expect: write },
    {
      file: "practices.$ods.devices.$id.delete.tsx",
      method: "POST",
      path: `${p}/${id}/delete`,
      params,
      fields: { version: "999" },
      expect: write,
    },
  ];
};

const practiceRows = (ods: string, read: Expect, write: Expect): Omit<MatrixRow, "module">[] => [
  { file: "practices.$ods.devices._index.tsx", path: `/practices/${ods}/devices`, params: { ods }, expect: read },
  { file: "practices.$ods.devices.new.tsx", path: `/practices/${ods}/devices/new`, params: { ods }, expect: write },
  {
    file: "practices.$ods.devices.new.tsx",
    method: "POST",
    path: `/practices/${ods}/devices/new`,
    params: { ods },
    fields: { device_type: "" },
    expect: write,
  },
];

const MATRIX: MatrixRow[] = (
  [
    ...practiceRows("F84003", READ_F84003, WRITE_F84003),
    ...practiceRows("F84013", READ_F84013, WRITE_F84013),
    ...practiceRows("A81001", OTHER_ICB, OTHER_ICB),
    ...deviceRows("F84003", D.F84003, READ_F84003, WRITE_F84003),
    ...deviceRows("F84013", D.F84013, READ_F84013, WRITE_F84013),
    ...deviceRows("A81001", D.A81001, OTHER_ICB, OTHER_ICB),
    // Form tampering: F84003's device under F84013's URL, where the practice-list partner may write.
    // The ICB lead may read F84013 but never write, so the write check answers first (403).
    ...deviceRows("F84013", D.F84003, NOT_HERE, { ...NOT_HERE, icbLead: 403 }),
    { file: "admin.os-lifecycle._index.tsx", path: "/admin/os-lifecycle", expect: ADMIN_ONLY },
    { file: "admin.os-lifecycle.new.tsx", path: "/admin/os-lifecycle/new", expect: ADMIN_ONLY },
    { file: "admin.os-lifecycle.new.tsx", method: "POST", path: "/admin/os-lifecycle/new", fields: { family: "" }, expect: ADMIN_ONLY },
    { file: "admin.os-lifecycle.$id.tsx", path: "/admin/os-lifecycle/1", params: { id: "1" }, expect: ADMIN_ONLY },
    {
      file: "admin.os-lifecycle.$id.tsx",
      method: "POST",
      path: "/admin/os-lifecycle/1",
      params: { id: "1" },
      fields: lifecycle,
      expect: ADMIN_ONLY,
    },
  ] as Omit<MatrixRow, "module">[]
).map((r) => ({ ...r, module: MODULES[r.file] }));

const cookies = useRoleCookies(async () => {
  const db = getDb();
  await ensureLifecycleSeed(db);
  await seedSites(db);
  await db
    .insertInto("device")
    .values(
      Object.entries(D).map(([ods, id]) => ({
        id: Number(id),
        practice_code: ods,
        asset_tag: "M-1",
        device_type: "desktop",
        status: "in_use" as const,
      })),
    )
    .execute();
});

// The lifecycle rows and their audit events as they stand before the matrix runs: the reference
// data sync (os-lifecycle/reference-sync.server.ts) may already have versioned and audited rows
// while the fixture was set up, so "unchanged" means unchanged by the matrix's requests.
const lifecycleState = () => getDb().selectFrom("os_lifecycle").select(["id", "version_no"]).orderBy("id").execute();
const auditIds = () =>
  getDb().selectFrom("audit_event").select("id").where("entity_type", "in", ["device", "os_lifecycle"]).orderBy("id").execute();
let before: { lifecycle: Awaited<ReturnType<typeof lifecycleState>>; audit: Awaited<ReturnType<typeof auditIds>> } | undefined;

describe("devices and OS lifecycle: role × route scoping matrix", () => {
  it("records the lifecycle rows before the matrix", async () => {
    before = { lifecycle: await lifecycleState(), audit: await auditIds() };
    expect(before.lifecycle.length).toBeGreaterThan(0);
  });

  defineMatrix(MATRIX, cookies);

  it("left every device and lifecycle row as it was", async () => {
    const devices = await getDb().selectFrom("device").select(["id", "version", "status"]).orderBy("id").execute();
    expect(devices).toEqual([901, 902, 903].map((id) => ({ id, version: 1, status: "in_use" })));
    expect(await lifecycleState()).toEqual(before!.lifecycle);
    expect(await auditIds()).toEqual(before!.audit);
  });
});
