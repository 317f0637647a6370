import type { Db } from "#db/connect";
import { requirementById } from "~/modules/catalogue";
import { getPracticeCompliancePage } from "~/modules/compliance/practice-view.server";
import { PracticeComplianceFiltersSchema } from "~/modules/compliance/schema";
import { deviceDerived } from "~/modules/catalogue/device-facts";
import { parseDeviceFilters } from "~/modules/devices/filters";
import * as deviceRepo from "~/modules/devices/repository.server";
import { sortDevices } from "~/modules/devices/sort";
import { deviceSummary } from "~/modules/devices/service.server";
import { getServicesPage } from "~/modules/digital-services/service.server";
import { getEstateOverview } from "~/modules/estate/overview.server";
import { filtersFromUrl } from "~/modules/funding/schema";
import { listRequestsPage } from "~/modules/funding/service.server";
import { parseGapFilters } from "~/modules/gaps/register";
import { getGapRegister } from "~/modules/gaps/register.server";
import * as orgRepo from "~/modules/org/repository.server";
import { loadLifecycleIndex } from "~/modules/os-lifecycle/service.server";
import * as sitesRepo from "~/modules/sites/repository.server";
import { getTelephonyPage } from "~/modules/telephony/service.server";
import { PAGE_SIZE } from "~/utils/pagination";
import { scopeFor, scopeIsEmpty, type MembershipLike, type Scope } from "~/utils/permissions";
import { decodeCursor, pageInfo } from "./cursor";
import { ApiProblem } from "./problem";

/**
 * What the read endpoints return, built by the same services the pages call, with the same
 * filters (the query string is handed to the pages' own filter parsers), then shaped to the
 * API's schemas (schemas.ts). Only the paging differs: an opaque cursor instead of ?page=.
 */

const iso = (d: Date | string | null | undefined) => (d == null ? null : d instanceof Date ? d.toISOString() : d);
const params = (q: Record<string, unknown>) => {
  const p = new URLSearchParams();
  for (const [k, v] of Object.entries(q)) if (v !== undefined && v !== null && k !== "cursor" && k !== "limit") p.set(k, String(v));
  return p;
};

export async function listPractices(
  db: Db,
  scope: Scope,
  q: { q?: string; icb?: string; closed?: string; cursor?: string; limit?: number },
) {
  const c = decodeCursor(q.cursor, q.limit);
  const { rows, total } = await orgRepo.searchPractices(db, scope, {
    q: q.q,
    icbCode: q.icb,
    includeClosed: q.closed === "true",
    limit: c.limit,
    offset: (c.page - 1) * c.limit,
  });
  return {
    data: rows.map((r) => ({
      ods_code: r.ods_code,
      name: r.name,
      postcode: r.postcode,
      status: r.status,
      icb_code: r.icb_code,
      pcn_name: r.pcn_name ?? null,
      list_size: r.list_size,
      clinical_system: r.clinical_system,
    })),
    page: pageInfo(c, total),
  };
}

export async function practiceDetail(db: Db, ods: string, asOf: string) {
  const [p, estate] = await Promise.all([orgRepo.findPracticeForApi(db, ods), getEstateOverview(db, ods, asOf)]);
  return {
    practice: { ...p, pcn_name: p.pcn_name ?? null },
    estate: {
      devices_by_type: estate.devicesByType,
      devices_os_support: estate.os,
      devices_warranty_expired: estate.warrantyExpired,
      telephony: estate.telephony,
      digital_services: { in_use: estate.services.inUse, recorded: estate.services.recorded },
      sites: { open: estate.sites.open, without_hscn: estate.sites.withoutHscn },
    },
    as_of: asOf,
  };
}

/**
 * A practice's devices as the devices page lists them (same filters, support check and sort),
 * one page at a time. The page loads a practice's matching devices in one query too.
 */
export async function listPracticeDevices(
  db: Db,
  ods: string,
  q: Record<string, unknown> & { cursor?: string; limit?: number },
  today: string,
) {
  const c = decodeCursor(q.cursor, q.limit);
  const f = parseDeviceFilters(params(q));
  const asOf = f.as_of ?? today;
  const [rows, index, summary] = await Promise.all([
    deviceRepo.listPracticeDevices(db, ods, {
      type: f.type,
      status: f.status,
      site: f.site,
      q: f.q,
      warrantyEndedBefore: f.warranty === "expired" ? asOf : undefined,
    }),
    loadLifecycleIndex(db),
    deviceSummary(db, ods, asOf),
  ]);
  const derived = rows
    .map((r) => {
      const { support, ageYears, warrantyExpired } = deviceDerived(r, index, asOf);
      return {
        ...r,
        ageYears,
        warrantyExpired,
        support: { state: support.state, endOfSupport: support.endOfSupport, daysToEnd: support.daysToEnd },
      };
    })
    .filter((r) => !f.os || r.support.state === f.os);
  const sorted = sortDevices(derived, f.sort, f.dir);
  const start = (c.page - 1) * c.limit;
  return {
    data: sorted.slice(start, start + c.limit).map((d) => ({
      id: d.id,
      asset_tag: d.asset_tag,
      serial_number: d.serial_number,
      device_type: d.device_type,
      make: d.make,
      model: d.model,
      site_code: d.site_code,
      status: d.status,
      os_family: d.os_family,
      os_edition: d.os_edition,
      os_version: d.os_version,
      esu_years: d.esu_years,
      purchase_date: d.purchase_date,
      warranty_end: d.warranty_end,
      warranty_expired: d.warrantyExpired,
      age_years: d.ageYears,
      support: { state: d.support.state, end_of_support: d.support.endOfSupport },
    })),
    page: pageInfo(c, sorted.length),
    summary,
    as_of: asOf,
  };
}

type TelRow = Awaited<ReturnType<typeof getTelephonyPage>>["past"][number];
export function telephonyOut(r: TelRow) {
  const { practice_code: _p, created_at: _c, updated_at, ...rest } = r;
  return { ...rest, updated_at: iso(updated_at)! };
}

export async function telephonyView(db: Db, ods: string) {
  const page = await getTelephonyPage(db, ods);
  return { current: page.current ? telephonyOut(page.current) : null, past: page.past.map(telephonyOut) };
}

export async function digitalServicesView(db: Db, ods: string) {
  const page = await getServicesPage(db, ods);
  return {
    services: page.all.map((s) => ({
      key: s.key,
      label: s.label,
      status: s.status,
      supplier: s.supplier,
      since_date: s.since_date,
      notes: s.notes,
      version: s.version,
    })),
  };
}

export async function listSites(db: Db, ods: string, q: { cursor?: string; limit?: number }) {
  const c = decodeCursor(q.cursor, q.limit);
  const { rows, total } = await sitesRepo.listSites(db, ods, c.limit, (c.page - 1) * c.limit);
  return {
    data: rows.map((s) => ({
      code: s.code,
      kind: s.kind,
      name: s.name,
      postcode: s.postcode,
      open_date: s.open_date,
      close_date: s.close_date,
      hscn_connected: s.hscn_connected,
      bandwidth_mbps: s.bandwidth_mbps === null ? null : Number(s.bandwidth_mbps),
      resilient_line: s.resilient_line,
      wifi_staff: s.wifi_staff,
      wifi_patient: s.wifi_patient,
      comms_room_ok: s.comms_room_ok,
      ups_present: s.ups_present,
      records_storage_m2: s.records_storage_m2 === null ? null : Number(s.records_storage_m2),
      ownership: s.ownership,
      analogue_lines: s.analogue_lines,
      is_manual: s.is_manual,
      version: s.version,
    })),
    page: pageInfo(c, Number(total)),
  };
}

export async function complianceView(db: Db, ods: string, q: Record<string, unknown>, today: string) {
  const filters = PracticeComplianceFiltersSchema.parse(Object.fromEntries(params(q)));
  const page = await getPracticeCompliancePage(db, ods, filters, today);
  return {
    as_of: page.asOf,
    evaluated: page.evaluated,
    last_evaluated_at: iso(page.lastEvaluatedAt as Date | string | null),
    score: page.score,
    results: page.rows.map(({ requirement: view, result }) => {
      // The page's view carries labels; the API gives the catalogue's keys.
      const r = requirementById(view.id)!;
      return {
        requirement_id: r.id,
        title: r.title,
        domain: r.domain,
        category: r.category,
        funder: r.funder,
        status: result?.status ?? null,
        reason: result?.reason ?? null,
        since: result?.since ?? null,
        evaluated_at: iso(result?.evaluatedAt ?? null),
      };
    }),
  };
}

/** The gap register's rows, by its own filters; pages are the register's (25 rows). */
export async function listGaps(
  db: Db,
  scope: Scope,
  memberships: MembershipLike[],
  q: Record<string, unknown> & { cursor?: string },
  today: string,
) {
  const c = decodeCursor(q.cursor, undefined, PAGE_SIZE);
  const parsed = parseGapFilters(params(q));
  if (Object.keys(parsed.errors).length) {
    throw new ApiProblem(400, "Some query parameters are not valid.", {
      errors: Object.entries(parsed.errors).map(([k, v]) => ({ pointer: `#/query/${k}`, detail: String(v) })),
    });
  }
  const funding = scopeFor(memberships, "funding:request");
  const register = await getGapRegister(db, { scope, fundingScope: scopeIsEmpty(funding) ? null : funding, parsed, page: c.page, today });
  return {
    data: register.page.rows.map((g) => ({
      id: g.id,
      requirement_id: g.requirementId,
      title: g.title,
      practice_code: g.practiceCode,
      practice_name: g.practiceName,
      reason: g.reason,
      funder: g.funder,
      estimate_pence: g.estimatePence,
      priority: g.priority,
      status: g.status,
      first_seen: g.firstSeen,
      deadline: g.deadline,
    })),
    page: pageInfo(c, register.page.total),
  };
}

export async function listFundingRequests(db: Db, scope: Scope, q: Record<string, unknown> & { cursor?: string; limit?: number }) {
  const c = decodeCursor(q.cursor, q.limit);
  const filters = filtersFromUrl(new URL(`http://x/?${params(q)}`));
  const list = await listRequestsPage(db, scope, filters, c.page, c.limit);
  return {
    data: list.rows.map((r) => ({
      id: r.id,
      icb_code: r.icb_code,
      title: r.title,
      financial_year: r.financial_year,
      amount_pence: r.amount_pence,
      status: r.status,
      gap_count: r.gap_count,
      created_at: iso(r.created_at)!,
      submitted_at: iso(r.submitted_at),
      decided_at: iso(r.decided_at),
      version: r.version,
    })),
    page: pageInfo(c, list.total),
  };
}
