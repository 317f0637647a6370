import type { Db } from "#db/connect";
import { aggregateCbtFile, PAGE_LIMITS } from "~/modules/cbt/aggregate.server";
import { importCbt } from "~/modules/cbt/import.server";
import { importContracts } from "~/modules/contracts/import.server";
import { importCertificates } from "~/modules/cyber-essentials/import.server";
import { parseCsvText } from "~/modules/devices/import/parse.server";
import { importDsptTable } from "~/modules/dspt/import.server";
import { addDays } from "~/utils/today";
import { createRandom, hashString, type Random } from "./random";

/**
 * The data feeds for the demo (issue 15): a DSPT status file, Cyber Essentials certificates, two
 * months of NHS England cloud telephony data and the ICB's supplier contracts register for North
 * East London's real practices, written as files in each publisher's documented layout
 * (docs/feeds.md) and imported through the same code as an upload, so an ICB lead sees them
 * without typing anything. Synthetic and deterministic: the same practices get the same data on
 * every machine; certificate numbers, contract references and the ICB's suppliers say "DEMO".
 * Dates follow today, so statuses and certificates are current whenever the demo is built.
 *
 * Each import's own re-check is left to the demo seed's check of the whole ICB, which follows at
 * once (feeds/import-run.server.ts `recheck`): that keeps `npm start` quick.
 */

export const DEMO_FEEDS_ACTOR = "demo seed";
const SEED = 20261205;

interface DemoPractice {
  ods_code: string;
  name: string;
  region_code: string | null;
  icb_code: string | null;
  sub_icb_code: string | null;
  pcn_code: string | null;
  list_size: number | null;
  system_type: string | null;
  tel_supplier: string | null;
  tel_product: string | null;
  on_bpf: boolean | null;
  call_back: boolean | null;
  contract_start: string | null;
  contract_end: string | null;
  oc_supplier: string | null;
  oc_since: string | null;
}

const uk = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const csvLine = (cells: (string | number | null)[]) =>
  cells.map((c) => (c === null ? "" : /[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(",");
const forPractice = (code: string, salt: string) => createRandom(SEED ^ hashString(`${salt}:${code}`));

function loadPractices(db: Db, icbCode: string): Promise<DemoPractice[]> {
  return db
    .selectFrom("practice as p")
    .leftJoin("telephony_system as t", (j) => j.onRef("t.practice_code", "=", "p.ods_code").on("t.is_current", "=", true))
    .leftJoin("digital_service as oc", (j) =>
      j.onRef("oc.practice_code", "=", "p.ods_code").on("oc.service_key", "=", "online_consultation").on("oc.status", "=", "in_use"),
    )
    .select([
      "p.ods_code",
      "p.name",
      "p.region_code",
      "p.icb_code",
      "p.sub_icb_code",
      "p.pcn_code",
      "p.list_size",
      "t.system_type",
      "t.supplier as tel_supplier",
      "t.product as tel_product",
      "t.on_bpf",
      "t.call_back",
      "t.contract_start",
      "t.contract_end",
      "oc.supplier as oc_supplier",
      "oc.since_date as oc_since",
    ])
    .where("p.icb_code", "=", icbCode)
    .where("p.status", "=", "A")
    .orderBy("p.ods_code")
    .execute() as Promise<DemoPractice[]>;
}

/** The latest DSPT cycle whose 30 June deadline has passed ("2025-26"), and the one before. */
export function dsptCycles(today: string): { cycle: string; deadline: string }[] {
  const y = Number(today.slice(0, 4)) - (today.slice(5) < "06-30" ? 1 : 0);
  return [y, y - 1].map((end) => ({ cycle: `${end - 1}-${String(end % 100).padStart(2, "0")}`, deadline: `${end}-06-30` }));
}

/** DSPT organisation status, NHSX snapshot layout: this cycle's status for each practice, and last cycle's. */
export function dsptFile(practices: DemoPractice[], today: string): string {
  const lines = ["Code,Organisation Name,Status,Date Of Publication,Primary Sector"];
  const [latest, previous] = dsptCycles(today);
  for (const p of practices) {
    const r = forPractice(p.ods_code, "dspt");
    const published = (deadline: string) => {
      const d = addDays(deadline, -r.int(0, 75));
      return d > today ? today : d;
    };
    lines.push(csvLine([p.ods_code, p.name, `${previous.cycle} Standards Met`, uk(published(previous.deadline)), "GP"]));
    const outcome = r.weighted([
      ["Standards Met", 84],
      ["Standards Exceeded", 3],
      ["Approaching Standards", 8],
      ["Not Published", 5],
    ] as const);
    if (outcome === "Not Published") lines.push(csvLine([p.ods_code, p.name, "Not Published", "", "GP"]));
    else lines.push(csvLine([p.ods_code, p.name, `${latest.cycle} ${outcome}`, uk(published(latest.deadline)), "GP"]));
  }
  return lines.join("\n");
}

/** Cyber Essentials certificates the ICB holds (docs/feeds.md): about two practices in three, some Plus, some lapsed or about to. */
export function cyberEssentialsFile(practices: DemoPractice[], today: string): string {
  const lines = ["ODS code,Organisation name,Level,Certificate number,Certification body,Issue date,Expiry date"];
  let n = 0;
  for (const p of practices) {
    const r = forPractice(p.ods_code, "ce");
    if (!r.chance(0.65)) continue;
    const plus = r.chance(0.45);
    // Mostly in force; about one in ten lapsed a few weeks ago, waiting for renewal.
    const issued = addDays(today, r.chance(0.1) ? -r.int(370, 420) : -r.int(20, 350));
    n++;
    lines.push(
      csvLine([
        p.ods_code,
        p.name,
        plus ? "Cyber Essentials Plus" : "Cyber Essentials",
        `DEMO-${plus ? "CEP" : "CE"}-${String(10000 + n)}`,
        "Demo Certification Body (demo)",
        uk(issued),
        "",
      ]),
    );
  }
  return lines.join("\n");
}

/** The first days of the last two complete months. */
export function cbtMonths(today: string): string[] {
  const d = new Date(`${today.slice(0, 7)}-01T00:00:00Z`);
  return [-2, -1].map((k) => {
    const m = new Date(d);
    m.setUTCMonth(m.getUTCMonth() + k);
    return m.toISOString().slice(0, 10);
  });
}

/**
 * NHS England's CBT practice-level "By Day and Time" layout for the last two complete months:
 * weekdays, two time bands, indicators CBT001 to CBT006, for practices on cloud telephony. About
 * one in twelve of them is missing from the data (a phone account shared with another practice,
 * or data not sent), so TEL-10's "missing from the data" shows too.
 */
export function cbtFile(practices: DemoPractice[], today: string): string {
  const lines = ["Date,REGION_CODE,ICB_CODE,SUB_ICB_LOCATION_CODE,PCN_CODE,PRACTICE_CODE,Indicator,Time_Category,Value"];
  const bands = [
    ["08:00-12:59", 0.6],
    ["13:00-18:29", 0.4],
  ] as const;
  for (const p of practices) {
    if (p.system_type !== "cloud") continue;
    const r = forPractice(p.ods_code, "cbt");
    if (r.chance(0.08)) continue;
    const perDay = Math.max(20, Math.round(((p.list_size ?? 8000) / 1000) * r.int(6, 11)));
    for (const month of cbtMonths(today)) {
      const start = new Date(`${month}T00:00:00Z`);
      for (const day = new Date(start); day.getUTCMonth() === start.getUTCMonth(); day.setUTCDate(day.getUTCDate() + 1)) {
        const dow = day.getUTCDay();
        if (dow === 0 || dow === 6) continue;
        const date = uk(day.toISOString().slice(0, 10));
        for (const [band, share] of bands) {
          const inbound = Math.round(perDay * share * (0.85 + r.next() * 0.3) * (dow === 1 ? 1.3 : 1));
          const ivr = Math.round(inbound * (0.03 + r.next() * 0.04));
          const missed = Math.round(inbound * (0.04 + r.next() * 0.1));
          const answered = Math.max(0, inbound - ivr - missed);
          const requested = p.call_back ? Math.round(inbound * (0.03 + r.next() * 0.05)) : 0;
          const made = Math.round(requested * (0.85 + r.next() * 0.15));
          const values: [string, number][] = [
            ["CBT001", inbound],
            ["CBT002", ivr],
            ["CBT003", answered],
            ["CBT004", missed],
            ["CBT005", requested],
            ["CBT006", made],
          ];
          for (const [indicator, value] of values)
            lines.push(
              [date, p.region_code, p.icb_code, p.sub_icb_code, p.pcn_code, p.ods_code, indicator, band, value]
                .map((c) => c ?? "")
                .join(","),
            );
        }
      }
    }
  }
  return lines.join("\n");
}

const addYearsIso = (iso: string, n: number) => `${Number(iso.slice(0, 4)) + n}${iso.slice(4)}`.replace(/-02-29$/, "-02-28");

/** A contract period of `years` from `start`, rolled on a term at a time until it is running on `today`. */
function runningTerm(start: string, years: number, today: string) {
  let s = start;
  while (addDays(addYearsIso(s, years), -1) < today) s = addYearsIso(s, years);
  return { start: s, end: addDays(addYearsIso(s, years), -1) };
}

const pounds = (r: Random, min: number, max: number) => Math.round(r.int(min, max) / 10) * 10;

/**
 * The ICB's supplier contracts register (the contracts import layout, docs/feeds.md): each
 * practice's telephony contract as its telephony record gives it, its online consultation
 * contract, and a few contracts the ICB holds for all its practices. A few telephony contracts
 * end within the year with no successor, so the forecast has them to show.
 */
export function contractsFile(practices: DemoPractice[], icbCode: string, today: string): string {
  const lines = [
    "ODS code,Supplier,Category,Product or service,Framework,Start date,End date,Notice period (months),Annual cost (£ ex VAT),Paid by,Contract reference",
  ];
  for (const p of practices) {
    const r = forPractice(p.ods_code, "contracts");
    if (p.tel_supplier && p.contract_start && p.contract_end) {
      const size = p.list_size ?? 8000;
      lines.push(
        csvLine([
          p.ods_code,
          p.tel_supplier,
          "Telephony",
          p.tel_product,
          p.system_type === "cloud" && p.on_bpf ? "Advanced Telephony Better Purchasing Framework" : "",
          uk(p.contract_start),
          uk(p.contract_end),
          p.system_type === "cloud" ? 3 : 1,
          pounds(r, 2000, 3000) + Math.round(size / 10) * 3,
          "Practice",
          `DEMO-TEL-${p.ods_code}`,
        ]),
      );
    }
    if (p.oc_supplier) {
      const term = runningTerm(p.oc_since ?? "2023-04-01", 3, today);
      lines.push(
        csvLine([
          p.ods_code,
          p.oc_supplier,
          "Online consultation",
          null,
          "Digital Care Services Catalogue (DSIC)",
          uk(term.start),
          uk(term.end),
          3,
          pounds(r, 1200, 4200),
          r.chance(0.7) ? "ICB" : "Practice",
          `DEMO-OC-${p.ods_code}`,
        ]),
      );
    }
  }
  const icb = (
    supplier: string,
    category: string,
    service: string,
    framework: string,
    years: number,
    from: string,
    cost: number,
    ref: string,
  ) => {
    const term = runningTerm(from, years, today);
    lines.push(csvLine([icbCode, supplier, category, service, framework, uk(term.start), uk(term.end), 6, cost, "ICB", ref]));
  };
  icb(
    "Demo Networks Ltd (demo)",
    "Connectivity",
    "HSCN connectivity for every practice site",
    "",
    5,
    "2022-04-01",
    1_180_000,
    "DEMO-ICB-HSCN",
  );
  icb("Demo GP IT Services (demo)", "Support", "GP IT service desk and deskside support", "", 3, "2024-04-01", 2_350_000, "DEMO-ICB-SD");
  icb(
    "Demo Clinical Systems (demo)",
    "Clinical system modules",
    "Document management and workflow",
    "Digital Care Services Catalogue (DSIC)",
    4,
    "2023-10-01",
    410_000,
    "DEMO-ICB-DOCS",
  );
  return lines.join("\n");
}

/** Imports the four demo feeds for the ICB's open practices, once (a second run finds them there and adds nothing). */
export async function seedDemoFeeds(db: Db, icbCode: string, today: string, log: (line: string) => void = () => {}) {
  const done = await db.selectFrom("import_run").select("id").where("actor", "=", DEMO_FEEDS_ACTOR).limit(1).executeTakeFirst();
  if (done) return null;
  const started = performance.now();
  const practices = await loadPractices(db, icbCode);
  const common = { userId: null, actor: DEMO_FEEDS_ACTOR, recheck: false } as const;
  const dspt = await importDsptTable(db, { ...common, table: parseCsvText(dsptFile(practices, today)), fileName: "dspt-status-demo.csv" });
  const ce = await importCertificates(db, {
    ...common,
    table: parseCsvText(cyberEssentialsFile(practices, today)),
    fileName: "cyber-essentials-demo.csv",
    scope: { all: true },
  });
  const cbtName = "cbt-by-day-and-time-demo.csv";
  const cbt = await importCbt(db, {
    ...common,
    aggregate: await aggregateCbtFile(cbtName, new TextEncoder().encode(cbtFile(practices, today)), PAGE_LIMITS),
    fileName: cbtName,
  });
  const contracts = await importContracts(db, {
    ...common,
    table: parseCsvText(contractsFile(practices, icbCode, today)),
    fileName: "contracts-demo.csv",
    fileDate: today,
    scope: { all: true },
  });
  const problems = dspt.issues.length + ce.issues.length + cbt.problems.length + contracts.issues.length;
  if (problems) throw new Error(`The demo feed files have ${problems} problems: the generator and the imports disagree.`);
  log(
    `  ${dspt.counts.created} DSPT statuses, ${ce.counts.created} Cyber Essentials certificates, ${cbt.counts.created} practice-months of call data, ${contracts.counts.created} supplier contracts (demo data, ${((performance.now() - started) / 1000).toFixed(1)} s).`,
  );
  return { dspt: dspt.counts, cyberEssentials: ce.counts, cbt: cbt.counts, contracts: contracts.counts };
}
