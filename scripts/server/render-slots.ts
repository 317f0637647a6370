/**
 * At most `limit` page loads of one server process inside Remix at a time (loaders and the render
 * up to the first bytes; see waitsForSlot); the rest wait their turn in the order they came. None is ever
 * refused or dropped for waiting: a queue of any length is served.
 *
 * Why: under 50 users some 25 requests were being worked on at once in each server process, each
 * holding its loaders' rows and its half-rendered page while it waited for PostgreSQL. Those
 * objects outlived the young generation's collections and were copied on to the old generation,
 * which full collections then mark (on V8's helper threads) and compact: 367-385 KB promoted per
 * request against 274-301 KB with one user. With 4 at a time it was 299-315 KB, and a request
 * that waits holds nothing but its request (docs/performance.md, session 12). Four keep both
 * cores busy: a request waiting for PostgreSQL leaves three others to run.
 */
export class RenderSlots {
  private inUse = 0;
  private readonly waiting: (() => void)[] = [];

  constructor(readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1) throw new Error(`RenderSlots needs a whole number of at least 1, not ${limit}`);
  }

  /** Runs `work` once a slot is free (at once if one is), and frees the slot when it settles. */
  async run<T>(work: () => Promise<T>): Promise<T> {
    if (this.inUse < this.limit) this.inUse++;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await work();
    } finally {
      // The slot passes straight to the longest waiting, so a newcomer cannot overtake it.
      const next = this.waiting.shift();
      if (next) next();
      else this.inUse--;
    }
  }

  /** Requests in Remix now, and waiting for a slot. */
  get active() {
    return this.inUse;
  }
  get queued() {
    return this.waiting.length;
  }
}

/**
 * Which requests take a slot: page loads and their data (GET, HEAD). A post may read a large upload
 * from a slow connection inside Remix; four such would hold every slot meanwhile, so posts (rare,
 * and none in the load mix) go straight in.
 */
export const waitsForSlot = (method: string) => method === "GET" || method === "HEAD";
