import type { Db } from "#db/connect";
import type { SessionUser } from "~/modules/auth/service.server";
import { setBudget } from "~/modules/funding/budget.server";
import { createRequest, transition } from "~/modules/funding/service.server";
import { loadCostedGaps, type CostedGap } from "~/modules/gaps/costed.server";
import { financialYearOf } from "~/modules/pricing/financial-year";
import type { Domain } from "~/modules/catalogue";

const LEAD = "icb.lead@demo.gp-estate.test";
const PARTNER = "delivery.partner@demo.gp-estate.test";

async function sessionUser(db: Db, email: string): Promise<SessionUser | null> {
  const rows = await db
    .selectFrom("app_user as u")
    .leftJoin("membership as m", "m.user_id", "u.id")
    .select(["u.id", "u.email", "u.name", "m.role", "m.icb_code", "m.practice_code"])
    .where("u.email", "=", email)
    .execute();
  if (rows.length === 0) return null;
  const { id, name } = rows[0];
  return {
    id,
    email,
    name,
    memberships: rows.filter((r) => r.role).map((r) => ({ role: r.role!, icb_code: r.icb_code, practice_code: r.practice_code })),
  };
}

/** Up to `n` priced, ICB-funded open gaps of one domain (any with null), from as few PCNs as possible. */
function pick(gaps: readonly CostedGap[], domain: Domain | null, n: number, taken: Set<number>, requirementId?: string) {
  const candidates = gaps.filter(
    (g) =>
      (domain === null || g.domain === domain) &&
      g.estimate.pence !== null &&
      !taken.has(g.id) &&
      (!requirementId || g.requirementId === requirementId),
  );
  if (candidates.length === 0) return [];
  // The requirement with the most gaps, then the PCN with the most of them.
  const byReq = new Map<string, CostedGap[]>();
  for (const g of candidates) byReq.set(g.requirementId, [...(byReq.get(g.requirementId) ?? []), g]);
  // A requirement no other demo request covers yet, where there is one.
  const lists = [...byReq.values()].sort((a, b) => b.length - a.length || a[0].requirementId.localeCompare(b[0].requirementId));
  const usedReqs = new Set(gaps.filter((g) => taken.has(g.id)).map((g) => g.requirementId));
  const list = lists.find((l) => !usedReqs.has(l[0].requirementId)) ?? lists[0];
  const byPcn = new Map<string, CostedGap[]>();
  for (const g of list) byPcn.set(g.pcnCode ?? "", [...(byPcn.get(g.pcnCode ?? "") ?? []), g]);
  const chosen = [...byPcn.values()].sort((a, b) => b.length - a.length)[0].slice(0, n);
  for (const g of chosen) taken.add(g.id);
  return chosen;
}

const sum = (gs: readonly CostedGap[]) => gs.reduce((s, g) => s + (g.estimate.pence ?? 0), 0);

/**
 * Demo budgets and funding requests for North East London, made through the same services as
 * the pages (so each has its audit trail and the gaps' statuses and events follow): budgets for
 * last and this financial year, an approved device replacement, a submitted telephony or
 * connectivity request and a draft. Runs once: skipped when QMF already has a request.
 */
export async function seedDemoFunding(db: Db, today: string, log: (line: string) => void = () => {}) {
  const existing = await db.selectFrom("funding_request").select("id").where("icb_code", "=", "QMF").limit(1).executeTakeFirst();
  if (existing) return { budgets: 0, requests: 0 };
  const [lead, partner] = await Promise.all([sessionUser(db, LEAD), sessionUser(db, PARTNER)]);
  if (!lead || !partner) return { budgets: 0, requests: 0 };
  const year = financialYearOf(today);
  let budgets = 0;
  for (const [y, capital, revenue] of [
    [year - 1, 300_000, 80_000],
    [year, 350_000, 100_000],
  ] as const) {
    const has = await db
      .selectFrom("icb_budget")
      .select("version")
      .where("icb_code", "=", "QMF")
      .where("financial_year", "=", y)
      .executeTakeFirst();
    if (!has) {
      await setBudget(db, lead, "QMF", { financial_year: y, capital: capital * 100, revenue: revenue * 100, version: undefined });
      budgets++;
    }
  }

  // Only gaps whose estimate is theirs: a gap whose work is costed under another (£0 here) is
  // no reason to ask for money (issue #13 re-check: the demo raised a £0 request for INF-07).
  const gaps = (await loadCostedGaps(db, { scope: { all: true }, icb: "QMF", funder: "icb", statuses: ["open"] }, today)).filter(
    (g) => (g.estimate.pence ?? 0) > 0,
  );
  const taken = new Set<number>();
  let requests = 0;

  let devices = pick(gaps, "devices", 4, taken, "DEV-02");
  if (devices.length === 0) devices = pick(gaps, "devices", 4, taken);
  if (devices.length) {
    const practices = new Set(devices.map((g) => g.practiceCode)).size;
    const r = await createRequest(
      db,
      partner,
      devices.map((g) => g.id),
      {
        title: `Replace unsupported devices: ${devices[0].pcnName ?? "one PCN"}`,
        financial_year: year,
        amount: sum(devices),
        amount_reason: null,
        justification: `${devices.length} gaps at ${practices} practice${practices === 1 ? "" : "s"} (${devices[0].requirementId}: ${devices[0].title}). Devices out of support cannot receive security updates; replacing them through the national framework closes the gap before the deadline.`,
      },
      { submit: true, today },
    );
    await transition(
      db,
      lead,
      r.id,
      { intent: "approve", version: r.version, reason: null, override: false, override_reason: null, self_approval_reason: null },
      today,
    );
    requests++;
  }

  // The demo estate has telephony and connectivity gaps; a smaller estate falls back to any other.
  let network = pick(gaps, "telephony", 2, taken);
  if (network.length === 0) network = pick(gaps, "infrastructure", 3, taken);
  if (network.length === 0) network = pick(gaps, null, 3, taken);
  if (network.length) {
    const estimate = sum(network);
    const quote = Math.round((estimate * 1.08) / 100) * 100;
    await createRequest(
      db,
      partner,
      network.map((g) => g.id),
      {
        title: `${network[0].domain === "telephony" ? "Cloud telephony" : network[0].domain === "infrastructure" ? "Connectivity" : "Estate fixes"}: ${network[0].title}`,
        financial_year: year,
        amount: quote,
        amount_reason: "Supplier quote received, about 8% above the price-list estimate (includes installation at branch surgeries).",
        justification: `${network.length} practice${network.length === 1 ? "" : "s"} still fall short of ${network[0].requirementId} (${network[0].title}). The quote covers set-up and the first year.`,
      },
      { submit: true, today },
    );
    requests++;
  }

  let wifi = pick(gaps, "infrastructure", 3, taken);
  if (wifi.length === 0) wifi = pick(gaps, null, 3, taken);
  if (wifi.length) {
    await createRequest(
      db,
      partner,
      wifi.map((g) => g.id),
      {
        title: `Next year: ${wifi[0].title}`,
        financial_year: year + 1,
        amount: sum(wifi),
        amount_reason: null,
        justification: "Draft for next year's planning round: to be checked with the practices before submission.",
      },
      { submit: false, today },
    );
    requests++;
  }
  log(
    `  ${budgets} budget${budgets === 1 ? "" : "s"} and ${requests} funding request${requests === 1 ? "" : "s"} for North East London (demo data).`,
  );
  return { budgets, requests };
}
