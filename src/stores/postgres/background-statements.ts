/**
 * The statements a store starts on its own after a call has answered, which nobody waits for (the
 * ANALYZE after a large enqueue, postgres-enqueue.ts). The store's close() ends them: it aborts
 * their signal, so one still running is cancelled (cancellable-statement.ts) and one not yet
 * started never starts, and waits for them to answer before its pool ends. Before, close() waited
 * for an ANALYZE of a large jobs table however long it took (pool.end() waits for every
 * checked-out connection), or one started after close() met the ended pool.
 * Best effort: a failure is dropped here, never an unhandled rejection.
 */
export class BackgroundStatements {
  private readonly closing = new AbortController();
  private readonly running = new Set<Promise<void>>();

  /** Starts `work` unless the store is closing; resolves once it has answered, never rejects. */
  run(work: (signal: AbortSignal) => Promise<unknown>): Promise<void> {
    if (this.closing.signal.aborted) return Promise.resolve();
    const signal = this.closing.signal;
    // A failure is dropped (the next large enqueue, or autovacuum, does it). The callbacks run in
    // a later turn, so `done` is set by then even if `work` throws at once.
    const done: Promise<void> = Promise.resolve()
      .then(() => work(signal))
      .then(() => undefined, () => undefined)
      .finally(() => this.running.delete(done));
    this.running.add(done);
    return done;
  }

  /** Cancels what runs, starts nothing more, and resolves once every one has answered. */
  async close(): Promise<void> {
    this.closing.abort();
    await Promise.all(this.running);
  }
}
