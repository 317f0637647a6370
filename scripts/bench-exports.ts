/**
 * Benchmarks for the national gap register (`npm run bench` calls `exportBenchmarks` with the
 * built server running): the England-wide register page as an administrator sees it, and the
 * England-wide gap downloads as CSV and XLSX with the server's resident memory sampled while
 * each downloads. Targets: the page under 1 s at p95; each download complete with the server
 * under 600 MB resident.
 */
import { measure, summarise, type Client, type ServerProcess } from "./bench-lib";

export interface ExportFigure {
  label: string;
  status: "measured" | "failed";
  target: string;
  met: boolean;
  [k: string]: unknown;
}

const PAGE_TARGET_MS = 1_000;
const MEMORY_TARGET_MIB = 600;

/** One GET, whole body received, with the server's RSS sampled every 50 ms meanwhile. */
async function download(client: Client, server: ServerProcess, urlPath: string) {
  let peak = server.currentRssMiB();
  const sampler = setInterval(() => {
    const rss = server.currentRssMiB();
    if (rss > peak) peak = rss;
  }, 50);
  const t0 = performance.now();
  let firstByteMs: number | null = null;
  try {
    const r = await client.request("GET", urlPath, {
      timeoutMs: 600_000,
      onChunk: () => {
        firstByteMs ??= performance.now() - t0;
      },
    });
    if (r.status !== 200) throw new Error(`GET ${urlPath} answered ${r.status}`);
    return {
      ms: performance.now() - t0,
      firstByteMs: firstByteMs ?? 0,
      bytes: r.body.length,
      rows: r.body.toString("utf8").split("\r\n").length - 2,
      peakRssMiB: peak,
    };
  } finally {
    clearInterval(sampler);
  }
}

export async function exportBenchmarks(
  client: Client,
  server: ServerProcess,
  opts: { smoke: boolean; runs: number; log: (l: string) => void },
): Promise<Record<string, ExportFigure>> {
  const results: Record<string, ExportFigure> = {};
  const runs = Math.min(opts.runs, opts.smoke ? 3 : 20);
  opts.log(`Gap register, all of England as an administrator: /gaps (${runs} runs after 2 warm-ups)…`);
  let bytes = 0;
  const page = await measure(
    runs,
    async () => {
      bytes = (await client.page("/gaps")).length;
    },
    2,
  );
  results.gap_register_england = {
    label: "Gap register, all of England, administrator (/gaps: totals and the first page of 25)",
    status: "measured",
    target: `p95 ≤ ${PAGE_TARGET_MS.toLocaleString("en-GB")} ms`,
    target_ms: PAGE_TARGET_MS,
    met: page.p95_ms <= PAGE_TARGET_MS,
    ...page,
    bytes,
    path: "/gaps",
  };

  const downloads = opts.smoke ? 1 : 2;
  for (const format of ["csv", "xlsx"] as const) {
    const urlPath = `/gaps/export?format=${format}`;
    opts.log(`Gap register download, all of England, ${format.toUpperCase()}: ${urlPath} (${downloads} runs)…`);
    try {
      const samples = [];
      for (let i = 0; i < downloads; i++) samples.push(await download(client, server, urlPath));
      const peak = Math.max(...samples.map((s) => s.peakRssMiB));
      results[`gap_export_england_${format}`] = {
        label: `Gap register download, all of England, ${format.toUpperCase()} (whole file received)`,
        status: "measured",
        target: `complete, server ≤ ${MEMORY_TARGET_MIB} MB resident`,
        met: peak <= MEMORY_TARGET_MIB,
        ...summarise(samples.map((s) => s.ms)),
        first_byte_ms: Math.round(Math.min(...samples.map((s) => s.firstByteMs))),
        bytes: samples[0].bytes,
        ...(format === "csv" ? { rows: samples[0].rows } : {}),
        server_peak_rss_mib: peak,
        path: urlPath,
      };
    } catch (e) {
      opts.log(`Download failed: ${(e as Error).message}`);
      results[`gap_export_england_${format}`] = {
        label: `Gap register download, all of England, ${format.toUpperCase()}`,
        status: "failed",
        target: "complete",
        met: false,
        error: (e as Error).message,
      };
    }
  }
  return results;
}
