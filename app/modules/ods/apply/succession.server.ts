import { KNOWN_ICB_NAMES } from "../icb-successions";
import type { SuccessionRecord } from "../parsers/succ";
import {
  carryIcb,
  carryPracticeEstate,
  closeMergedPractices,
  icbsByCode,
  insertIcbs,
  loadSuccessions,
  practicesByCode,
  repointFinals,
  saveCarried,
  upsertSuccessions,
  type Pair,
  type SuccessionRow,
} from "../succession-repository.server";
import type { ApplyContext, Outcome } from "./outcome";
import { outsideIcb } from "./scope";

type Kind = "practice" | "icb";

/**
 * Where an organisation's records end up: follow successors while there is exactly one.
 * Returns null for a split (several successors) or a loop, with the reason.
 */
export function finalSuccessor(code: string, successors: Map<string, Set<string>>): { final: string } | { problem: string } {
  const seen = new Set([code]);
  let at = code;
  for (;;) {
    const next = successors.get(at);
    if (!next || next.size === 0) return { final: at };
    if (next.size > 1) return { problem: `${at} has ${next.size} successors (${[...next].sort().join(", ")}): a split, not a merger` };
    const [only] = next;
    if (seen.has(only)) return { problem: `the successions from ${code} loop back to ${only}` };
    seen.add(only);
    at = only;
  }
}

function graph(rows: { old_code: string; new_code: string }[]) {
  const successors = new Map<string, Set<string>>();
  for (const r of rows) (successors.get(r.old_code) ?? successors.set(r.old_code, new Set()).get(r.old_code)!).add(r.new_code);
  return successors;
}

/** Merged records move once per statement per successor, so two predecessors never race for one unique key. */
function waves(pairs: Pair[]): Pair[][] {
  const out: Pair[][] = [];
  const used: Set<string>[] = [];
  for (const p of [...pairs].sort((a, b) => a.on.localeCompare(b.on) || a.old.localeCompare(b.old))) {
    let i = used.findIndex((u) => !u.has(p.new));
    if (i < 0) {
      i = out.length;
      out.push([]);
      used.push(new Set());
    }
    out[i].push(p);
    used[i].add(p.new);
  }
  return out;
}

/**
 * Applies an ODS successor file (or the built-in April 2026 ICB successions). Rows whose old code
 * is a practice in the register are practice successions; rows whose old code is an ICB, or whose
 * new code is a known successor ICB, are ICB successions; the rest (trusts, branches, sites and
 * practices never imported) are skipped. Each succession is recorded as stated, the chain walked
 * to its end, and the old organisation's records carried there. A successor that is not in the
 * register is refused with the row number. See ADR 0006 for what moves and what stays.
 */
export async function applySuccessions(ctx: ApplyContext, out: Outcome, records: SuccessionRecord[], sourceFile: string) {
  const codes = records.flatMap((r) => [r.oldCode, r.newCode]);
  const [practices, icbs] = await Promise.all([practicesByCode(ctx.db, codes), icbsByCode(ctx.db, codes)]);

  const byKind: Record<Kind, SuccessionRecord[]> = { practice: [], icb: [] };
  for (const r of records) {
    const old = practices.get(r.oldCode);
    if (old) {
      if (ctx.onlyIcb && old.icb_code !== ctx.onlyIcb) out.skipped.add(outsideIcb(ctx.onlyIcb));
      else byKind.practice.push(r);
    } else if (icbs.has(r.oldCode) || KNOWN_ICB_NAMES.has(r.newCode)) {
      if (ctx.onlyIcb && r.oldCode !== ctx.onlyIcb) out.skipped.add(outsideIcb(ctx.onlyIcb));
      else byKind.icb.push(r);
    } else {
      out.skipped.add("old code is not a practice or ICB in the register");
    }
  }

  // Successor ICBs new to the register are created from the names published for them.
  const missingIcbs = [...new Set(byKind.icb.map((r) => r.newCode))].filter((c) => !icbs.has(c) && KNOWN_ICB_NAMES.has(c));
  if (missingIcbs.length) {
    const rows = missingIcbs.map((code) => {
      const region =
        byKind.icb
          .filter((r) => r.newCode === code)
          .map((r) => icbs.get(r.oldCode)?.region_code ?? null)
          .find(Boolean) ?? null;
      return { code, name: KNOWN_ICB_NAMES.get(code)!, region_code: region };
    });
    await insertIcbs(ctx.db, rows);
    for (const r of rows) icbs.set(r.code, r);
    out.add("icb", { created: rows, updated: [], unchanged: 0 });
  }

  await applyKind(ctx, out, "practice", byKind.practice, sourceFile, (c) => practices.has(c));
  await applyKind(ctx, out, "icb", byKind.icb, sourceFile, (c) => icbs.has(c));
}

async function applyKind(
  ctx: ApplyContext,
  out: Outcome,
  kind: Kind,
  records: SuccessionRecord[],
  sourceFile: string,
  inRegister: (code: string) => boolean,
) {
  if (records.length === 0) return;
  const entity = kind === "practice" ? "practice" : "icb";
  const earlier = await loadSuccessions(ctx.db, kind);
  const successors = graph([...earlier, ...records.map((r) => ({ old_code: r.oldCode, new_code: r.newCode }))]);

  const rows: (SuccessionRow & { import_run_id: null })[] = [];
  const carry: Pair[] = [];
  const finals = new Map<string, string>();
  const lines = new Map<string, number>();
  const splits: string[] = [];
  for (const r of records) {
    if (!inRegister(r.newCode)) {
      out.rejected.push({
        row: r.line,
        message: `successor ${r.newCode} of ${r.oldCode} is not in the register: import the ${kind === "practice" ? "epraccur" : "ODS"} file that lists it first`,
      });
      out.reject(entity, 1);
      continue;
    }
    const walk = finalSuccessor(r.oldCode, successors);
    const final = "final" in walk ? walk.final : r.oldCode;
    if (!("final" in walk)) {
      if (kind === "practice" || walk.problem.includes("loop")) {
        out.rejected.push({ row: r.line, message: `${walk.problem}; the records of ${r.oldCode} stay with it: share them out by hand` });
        out.reject(entity, 1);
        continue;
      }
      splits.push(r.oldCode);
    } else if (!inRegister(final)) {
      out.rejected.push({ row: r.line, message: `the chain from ${r.oldCode} ends at ${final}, which is not in the register` });
      out.reject(entity, 1);
      continue;
    }
    rows.push({
      kind,
      old_code: r.oldCode,
      new_code: r.newCode,
      final_code: final,
      effective_date: r.effectiveDate,
      source_file: sourceFile,
      import_run_id: null,
    });
    lines.set(r.oldCode, r.line);
    if ("final" in walk) {
      finals.set(r.oldCode, final);
      if (!carry.some((p) => p.old === r.oldCode)) carry.push({ old: r.oldCode, new: final, on: r.effectiveDate });
    }
  }

  const { written } = await upsertSuccessions(ctx.db, rows);
  await repointFinals(ctx.db, kind, finals);
  const isWritten = (r: SuccessionRow) => written.has(`${r.old_code}>${r.new_code}`);

  // Carry in chain order: an old code's records reach the end of its chain directly.
  const carried = new Map<string, Record<string, number>>();
  for (const wave of waves(carry)) {
    const got = kind === "practice" ? await carryPracticeEstate(ctx.db, wave) : await carryIcb(ctx.db, wave);
    for (const [old, c] of got) carried.set(old, c);
  }
  if (kind === "practice") {
    const closed = await closeMergedPractices(ctx.db, carry);
    for (const c of closed) {
      const pair = carry.find((p) => p.old === c.ods_code)!;
      out.audit.push({
        userId: ctx.userId,
        action: "ods.close",
        entityType: "practice",
        entityId: c.ods_code,
        before: { status: c.status, close_date: c.close_date },
        after: { status: "C", close_date: c.close_date ?? pair.on, reason: `merged into ${pair.new}` },
      });
    }
  }

  // What really moved; "kept" counts (rows left behind on a unique key) repeat on every run.
  const movedAny = (c: Record<string, number> | undefined) => Object.keys(c ?? {}).some((k) => !k.includes("kept"));
  for (const p of carry) {
    const c = carried.get(p.old) ?? {};
    if (movedAny(c)) await saveCarried(ctx.db, kind, p.old, rows.find((r) => r.old_code === p.old)!.new_code, c);
  }
  for (const r of rows) {
    const c = carried.get(r.old_code) ?? {};
    // A re-import that records nothing new and finds nothing left to carry writes no audit.
    if (!isWritten(r) && !movedAny(c)) continue;
    out.audit.push({
      userId: ctx.userId,
      action: "ods.succession",
      entityType: kind,
      entityId: r.old_code,
      after: { new_code: r.new_code, final_code: r.final_code, effective_date: r.effective_date, source_file: sourceFile, carried: c },
    });
  }
  out.add(kind === "practice" ? "practice_succession" : "icb_succession", {
    created: rows.filter(isWritten),
    updated: [],
    unchanged: rows.filter((r) => !isWritten(r)).length,
  });
  if (splits.length) {
    out.notes.push(
      `${[...new Set(splits)].sort().join(", ")} split between several successors: recorded, but their practices and users stay until the next epraccur places each practice`,
    );
  }
  for (const [old, c] of carried) {
    if (!movedAny(c)) continue;
    out.notes.push(
      `${old} → ${finals.get(old)}: ${Object.entries(c)
        .map(([k, n]) => `${n} ${k}`)
        .join(", ")}`,
    );
  }
}
