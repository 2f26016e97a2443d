/**
 * WriteBatcher gathers calls that arrive while earlier ones are being written and writes them
 * together, one statement for many: with 64 jobs finishing at once, 64 completes cost a few
 * round trips and commits instead of 64. It adds no delay of its own.
 *
 * Modes:
 * - idle: a call is written at once (after the current tick, so calls made in the same tick share
 *   a statement);
 * - busy: `maxInFlight` statements are being written; new calls wait in the queue and go out
 *   together as soon as one of them is done, at most `maxBatch` per statement.
 * A key appears at most once per statement (a second call for the same job waits for the next
 * one), so every call gets its own answer. A failed statement fails the calls it carried.
 * whenIdle() resolves once nothing is queued or in flight: close() waits for it before it ends
 * the pool, so a result pushed just before a graceful stop is written, not refused by a dead pool.
 */
export class WriteBatcher<T, R> {
  private queue: Array<{ item: T; resolve: (r: R) => void; reject: (e: unknown) => void }> = [];
  private inFlight = 0;
  private scheduled = false;
  private idleWaiters: Array<() => void> = [];

  constructor(
    private readonly write: (items: T[]) => Promise<R[]>,
    private readonly keyOf: (item: T) => unknown,
    private readonly maxInFlight = 2,
    private readonly maxBatch = 500,
  ) {}

  push(item: T): Promise<R> {
    return new Promise<R>((resolve, reject) => {
      this.queue.push({ item, resolve, reject });
      this.schedule();
    });
  }

  /** Resolves when every call pushed so far has its answer (written or failed). */
  whenIdle(): Promise<void> {
    if (this.queue.length === 0 && this.inFlight === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  private schedule(): void {
    if (this.scheduled || this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      this.flush();
    });
  }

  private flush(): void {
    if (this.inFlight >= this.maxInFlight || this.queue.length === 0) return;
    const batch: typeof this.queue = [];
    const rest: typeof this.queue = [];
    const keys = new Set<unknown>();
    for (const call of this.queue) {
      const key = this.keyOf(call.item);
      if (batch.length < this.maxBatch && !keys.has(key)) {
        keys.add(key);
        batch.push(call);
      } else rest.push(call);
    }
    this.queue = rest;
    this.inFlight++;
    this.write(batch.map((c) => c.item))
      .then(
        (results) => batch.forEach((c, i) => c.resolve(results[i])),
        (error: unknown) => batch.forEach((c) => c.reject(error)),
      )
      .finally(() => {
        this.inFlight--;
        this.schedule();
        if (this.queue.length === 0 && this.inFlight === 0) {
          const waiters = this.idleWaiters;
          this.idleWaiters = [];
          for (const resolve of waiters) resolve();
        }
      });
    this.schedule();
  }
}
