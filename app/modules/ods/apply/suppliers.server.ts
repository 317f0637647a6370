import type { GpItSuppliersParse } from "../parsers/gp-it-suppliers";
import type { Gp2gpRecord } from "../parsers/gp2gp-suppliers";
import { syncRows } from "../repository.server";
import { CLINICAL_SOURCE, mergeClinicalSystem, normaliseSystem, type SystemFact } from "./clinical-system";
import type { ApplyContext, Outcome } from "./outcome";
import { practicesInScope } from "./scope";

async function applySystems(ctx: ApplyContext, out: Outcome, facts: (SystemFact & { code: string })[]) {
  const { admit } = await practicesInScope(
    ctx,
    out,
    facts.map((f) => f.code),
    "practice not imported",
  );
  const sync = await syncRows(
    ctx.db,
    "practice",
    facts.filter((f) => admit(f.code)),
    (f) => ({ ods_code: f.code }),
    (prev, f) => (prev ? mergeClinicalSystem(prev, f) : null),
  );
  out.add("practice", sync);
  out.auditPractices(sync.updated);
}

/** NHS Digital's GP IT supplier list: GP_SYSTEM is the principal system, GP_GPAD_SYSTEMS the detail. */
export async function applyGpItSuppliers(ctx: ApplyContext, out: Outcome, parsed: GpItSuppliersParse) {
  const source = parsed.withSubIcbColumn ? CLINICAL_SOURCE.gpItThirdParty : CLINICAL_SOURCE.gpIt;
  await applySystems(
    ctx,
    out,
    parsed.records.map((r) => ({ code: r.code, system: normaliseSystem(r.system ?? r.gpadSystems), detail: r.gpadSystems, source })),
  );
  if (parsed.withSubIcbColumn) {
    out.notes.push(
      `This copy has an "ICB Sub location" column added by a third party; its systems are recorded as "${source}" and do not override the official list`,
    );
  }
}

/** The 2019 GP2GP list only fills practices that no other file has given a system. */
export async function applyGp2gpSuppliers(ctx: ApplyContext, out: Outcome, records: Gp2gpRecord[]) {
  await applySystems(
    ctx,
    out,
    records.map((r) => ({ code: r.code, system: normaliseSystem(r.supplier), detail: r.supplier, source: CLINICAL_SOURCE.gp2gp })),
  );
}
