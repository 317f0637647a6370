import { syncRows } from "../repository.server";
import { groupBy, mostCommon, type ApplyContext, type Outcome } from "./outcome";

/** One row's view of the hierarchy: sub-ICB -> ICB -> region, any part possibly unknown. */
export interface GeoLink {
  regionCode: string | null;
  regionName?: string | null;
  icbCode: string | null;
  icbName?: string | null;
  subIcbCode: string | null;
  subIcbName?: string | null;
}

/**
 * How much a file is trusted on the hierarchy. `authoritative` (GPAD, which names every level)
 * overwrites names and parents; `stub` (epraccur, ePCN) only creates missing rows and fills
 * empty fields, so files can arrive in any order and a known name is never replaced by null.
 */
export type GeoMode = "authoritative" | "stub";

export async function syncGeography(ctx: ApplyContext, out: Outcome, links: GeoLink[], mode: GeoMode) {
  const overwrite = mode === "authoritative";
  // One input per code; parents and names by majority so a stray row cannot decide them.
  const regions = [
    ...groupBy(
      links.filter((l) => l.regionCode),
      (l) => l.regionCode!,
    ),
  ].map(([code, rows]) => ({
    code,
    name: mostCommon(rows.map((r) => r.regionName)),
  }));
  const icbs = [
    ...groupBy(
      links.filter((l) => l.icbCode),
      (l) => l.icbCode!,
    ),
  ].map(([code, rows]) => ({
    code,
    name: mostCommon(rows.map((r) => r.icbName)),
    parent: mostCommon(rows.map((r) => r.regionCode)),
  }));
  const subIcbs = [
    ...groupBy(
      links.filter((l) => l.subIcbCode),
      (l) => l.subIcbCode!,
    ),
  ].map(([code, rows]) => ({
    code,
    name: mostCommon(rows.map((r) => r.subIcbName)),
    parent: mostCommon(rows.map((r) => r.icbCode)),
  }));

  const pick = (prev: string | null | undefined, next: string | null) => (overwrite ? (next ?? prev ?? null) : (prev ?? next ?? null));

  // Levels the file does not mention are left out of its counts altogether.
  if (regions.length) {
    out.add(
      "region",
      await syncRows(
        ctx.db,
        "region",
        regions,
        (r) => ({ code: r.code }),
        (prev, r) => ({
          code: r.code,
          name: pick(prev?.name, r.name),
        }),
      ),
    );
  }
  if (icbs.length) {
    out.add(
      "icb",
      await syncRows(
        ctx.db,
        "icb",
        icbs,
        (r) => ({ code: r.code }),
        (prev, r) => ({
          code: r.code,
          name: pick(prev?.name, r.name),
          region_code: pick(prev?.region_code, r.parent),
        }),
      ),
    );
  }
  if (subIcbs.length) {
    out.add(
      "sub_icb",
      await syncRows(
        ctx.db,
        "sub_icb",
        subIcbs,
        (r) => ({ code: r.code }),
        (prev, r) => ({
          code: r.code,
          name: pick(prev?.name, r.name),
          icb_code: pick(prev?.icb_code, r.parent),
        }),
      ),
    );
  }
}
