import type { Worker } from "node:worker_threads";

/**
 * Worker threads kept between uses, so the next use starts on a thread whose code is already
 * compiled (the evaluation threads; an export thread is stopped after its export instead, see
 * export-thread.server.ts). A kept thread is unref'd, so it never keeps a script or a test run
 * alive; one that fails or stops while kept leaves (and its error is not thrown at nobody); all
 * kept threads are stopped once none has been used for `idleMs`.
 */
export class IdleThreads {
  /** Each kept thread with the listener that takes it out if it fails or stops meanwhile. */
  private readonly kept = new Map<Worker, () => void>();
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly idleMs: number) {}

  /** Up to `n` kept threads, ref'd again for their new use. */
  take(n: number): Worker[] {
    const workers = [...this.kept.keys()].slice(0, n);
    for (const w of workers) {
      const leave = this.kept.get(w)!;
      w.off("error", leave);
      w.off("exit", leave);
      this.kept.delete(w);
      w.ref();
    }
    return workers;
  }

  /** Keeps `w` for a later use, or stops it when `max` are already kept. */
  keep(w: Worker, max: number) {
    if (this.kept.size >= max) {
      void w.terminate();
      return;
    }
    const leave = () => void this.kept.delete(w);
    w.unref();
    w.on("error", leave);
    w.on("exit", leave);
    this.kept.set(w, leave);
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      for (const w of this.take(this.kept.size)) void w.terminate();
    }, this.idleMs);
    this.timer.unref();
  }
}
