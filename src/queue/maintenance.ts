import { every, systemClock, type Clock, type TimerHandle } from './clock.js';
import type { IdempotencyStore } from './idempotency-store.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import { errorText } from './lease-keeper.js';
import { describePrune, pruneFields, runPrune } from './retention.js';

/**
 * Maintenance returns expired leases to the queue: store.rescue() every ~leaseMs/4, so a job
 * whose worker was SIGKILLed (or whose host died) is pending again within one lease period and
 * fails with a reason once its attempts are used up. Any number of processes may run it at once:
 * rescue is one idempotent statement.
 *
 * Modes: normal (a lease is expired when it ran out) -> refused (a rescue failed, waited over a
 * third of a lease, or came that much late: the database was locked or away, or this process
 * stalled, and so, likely, were the renewals of live workers) ->
 * recovering (rescues go through again; the grace stays for one lease period, so a worker that
 * waited out the lock renews before anything of its is taken) -> normal. A refusal after half a
 * lease of recovering starts a new spell (its grace counted from it alone).
 *
 * Retention (when `pruneAfterMs` is set; `skucast worker` sets 30 days, docs/durability.md): one
 * to five minutes after start (`pruneFirstAfterMs`, at random), then every `pruneEveryMs`, it deletes finished jobs (completed, failed, cancelled) that finished more than
 * `pruneAfterMs` ago, except the newest completed job per SKU and model of a dataset that still
 * exists (that SKU's current forecast), and forgets workers silent for `forgetWorkersAfterMs`
 * (default a day). With `pruneIdempotencyKeys` (default: with retention on; `skucast worker`: always, an
 * install that keeps every job, SKUCAST_RETENTION_DAYS=0, too) it also deletes the API's idempotency keys
 * claimed more than a day ago (idempotency-store.ts): a 24-hour retry cache, not history, whose answers are
 * no longer sent again by then. Their age is this worker's clock against the store's claimed_at (the
 * database's clock on PostgreSQL): hosts apart by seconds or minutes move a 24-hour bound by as much,
 * harmless (a claim takes an expired key over on the store's clock alone). The first prune comes minutes in, not an hour: workers restarted more often
 * than hourly (deploys, a supervisor's restarts) never pruned. Not at once: a worker's first
 * moments are its claims'; and at a random moment, so a fleet restarted together does not prune at once.
 * Each round is retention.ts's runPrune (`skucast prune` runs the same on demand) and logs one
 * `prune` line, zeros included, naming the cutoffs and what went by status.
 *
 * Statistics (stores that have refreshStatistics: PostgreSQL): every `statisticsEveryMs` (default
 * 1 min) the store is asked to bring its planner's statistics up to date where a drain left them
 * hiding finished or open jobs (reads of a dataset's latest results walked every finished job
 * until autovacuum's next ANALYZE, and where it is off, for ever). Cheap when nothing is stale.
 * The worker also calls `ranDry()` when it runs dry after a run of work (a planner looks at the
 * forecasts the moment the queue empties): the same refresh at once, and, if it did not analyze,
 * again 2 s and 11 s later (PostgreSQL publishes each connection's row changes, which the refresh's
 * gate reads, up to a second late, and an idle one's after 10 s). Modes of that: off -> attempting
 * (calls meanwhile are absorbed) -> off once one analyzed, the attempts ran out, or stop(). One
 * refresh in flight at a time, whichever asked. stop() also cancels a refresh or a prune in flight
 * (its ANALYZE or DELETE rolls back whole): a stopping worker closes its store without waiting for it.
 */
export interface MaintenanceOptions {
  store: QueueStore & Pick<IdempotencyStore, 'pruneIdempotencyKeys'>; // countPrunable is QueueStore's
  logger: QueueLogger;
  clock?: Clock;
  leaseMs?: number; // default 30 s; rescue runs every leaseMs/4
  rescueMs?: number; // overrides leaseMs/4
  pruneAfterMs?: number | null; // default null: never prune
  pruneEveryMs?: number; // default 1 h
  pruneFirstAfterMs?: number; // default 1 to 5 min (at random): the first prune, then every pruneEveryMs
  forgetWorkersAfterMs?: number; // default 24 h (with pruning on)
  pruneIdempotencyKeys?: boolean; // default: pruneAfterMs is set; true prunes the keys (24 h) whatever pruneAfterMs says
  statisticsEveryMs?: number; // default 1 min (stores with refreshStatistics)
  onRescued?(rescued: number, failed: number): void;
}

/** Waits before the ran-dry refresh's second and third attempts. */
const ranDryRetriesMs = [2_000, 9_000];

export class Maintenance {
  private loops: Array<{ stop(): void }> = [];
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly rescueMs: number;
  /** When the database first refused a rescue (or made it wait) in the current bad spell. */
  private refusedSince: number | null = null;
  /** When a rescue went through again after that spell. */
  private writableSince: number | null = null;
  /** When the last rescue round ended. */
  private lastRoundAt: number | null = null;
  /** A statistics refresh is in flight. */
  private refreshing = false;
  /** The ran-dry attempts are under way (attempting), and the timer of the next one. */
  private ranDryAttempting = false;
  private ranDryTimer: TimerHandle | null = null;
  /** Aborted by stop(): a statistics refresh or a prune in flight is cancelled, so a stopping worker does not wait for its ANALYZE or DELETE. */
  private stopping = new AbortController();

  private get pruneKeys(): boolean {
    return this.options.pruneIdempotencyKeys ?? this.options.pruneAfterMs != null;
  }

  constructor(private readonly options: MaintenanceOptions) {
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.rescueMs = options.rescueMs ?? Math.max(50, Math.floor(this.leaseMs / 4));
  }

  start(): void {
    if (this.loops.length > 0) return;
    if (this.stopping.signal.aborted) this.stopping = new AbortController();
    this.lastRoundAt = this.clock.now(); // a first round that comes late is a stall too
    this.loops.push(every(this.clock, this.rescueMs, () => this.rescue()));
    if (this.options.pruneAfterMs != null || this.pruneKeys) {
      // One to five minutes in: a fleet restarted together must not prune (and wait on each other's
      // deletes of a backlog) at the same moment.
      this.loops.push(this.pruneLoop(this.options.pruneFirstAfterMs ?? 60_000 + Math.floor(Math.random() * 240_000), this.options.pruneEveryMs ?? 3_600_000));
    }
    if (this.options.store.refreshStatistics) {
      this.loops.push(every(this.clock, this.options.statisticsEveryMs ?? 60_000, async () => { await this.refreshStatistics(); }));
    }
  }

  /** A prune after `firstMs`, then every `everyMs` from the end of it. */
  private pruneLoop(firstMs: number, everyMs: number): { stop(): void } {
    let stopped = false;
    let hourly: { stop(): void } | null = null;
    const first = this.clock.setTimeout(() => {
      void this.prune().finally(() => {
        if (!stopped) hourly = every(this.clock, everyMs, () => this.prune());
      });
    }, firstMs);
    return {
      stop() {
        stopped = true;
        first.cancel();
        hourly?.stop();
      },
    };
  }

  stop(): void {
    this.stopping.abort();
    for (const loop of this.loops) loop.stop();
    this.loops = [];
    this.ranDryTimer?.cancel();
    this.ranDryTimer = null;
    this.ranDryAttempting = false;
  }

  /** The worker ran dry after finishing jobs: refresh the statistics now (while started, on stores that have them). */
  ranDry(): void {
    if (this.loops.length === 0 || !this.options.store.refreshStatistics || this.ranDryAttempting) return;
    this.ranDryAttempting = true;
    void this.ranDryAttempt(0);
  }

  private async ranDryAttempt(attempt: number): Promise<void> {
    const analyzed = await this.refreshStatistics('ran-dry');
    const waitMs = ranDryRetriesMs[attempt];
    if (!this.ranDryAttempting) return; // stopped meanwhile
    if (analyzed || waitMs === undefined) {
      this.ranDryAttempting = false;
      return;
    }
    this.ranDryTimer = this.clock.setTimeout(() => {
      this.ranDryTimer = null;
      void this.ranDryAttempt(attempt + 1);
    }, waitMs);
  }

  /**
   * The grace this rescue gives: 0 normally. Once a rescue was refused (SQLITE_BUSY under another
   * process's lock, an outage) or waited longer than a renewal period, live workers were refused
   * their renewals too: a lease counts as expired only if it ran out before the refusals began
   * (less one rescue period, as the lock may have started just after the last good rescue), until
   * the database has taken writes again for a whole lease period.
   */
  graceMs(now: number): number {
    if (this.refusedSince === null) return 0;
    if (this.writableSince !== null && now - this.writableSince >= this.leaseMs) {
      this.refusedSince = null;
      this.writableSince = null;
      return 0;
    }
    return Math.max(0, now - this.refusedSince + this.rescueMs);
  }

  async rescue(): Promise<void> {
    const { store, logger } = this.options;
    const startedAt = this.clock.now();
    // A round that comes much later than scheduled means this process was stalled (its event loop
    // held by a write waiting on another process's lock, a pause): so, likely, were the renewals.
    if (this.lastRoundAt !== null && startedAt - this.lastRoundAt > this.rescueMs + this.leaseMs / 3) this.refused(this.lastRoundAt);
    try {
      const graceMs = this.graceMs(startedAt);
      const result = await store.rescue(graceMs > 0 ? { graceMs } : {});
      const finishedAt = this.clock.now();
      this.lastRoundAt = finishedAt;
      if (finishedAt - startedAt > this.leaseMs / 3) this.refused(startedAt);
      else if (this.refusedSince !== null && this.writableSince === null) this.writableSince = finishedAt;
      if (result.rescued + result.failed === 0) return;
      // One verb, rescue, for both ends of it (docs/state-machine.md); the line says which: a job
      // whose last attempt's lease expired is failed, not "rescued" back to the queue.
      // Each names the worker whose lease expired (`fromWorkerId`: the line's own `workerId` is this
      // process's) and the attempts used, so "who died?" needs no join of logs by job id.
      for (const job of result.jobs) {
        const from = job.workerId === null ? '' : ` from worker ${job.workerId}`;
        const fields = { event: 'rescue', jobId: job.id, status: job.status, fromWorkerId: job.workerId, attempt: job.attempts, maxAttempts: job.maxAttempts };
        if (job.status === 'failed') {
          logger.warn(fields, `Maintenance: Job ${job.id}${from} failed: its lease expired on its last attempt (${job.attempts} of ${job.maxAttempts} used)`);
        } else {
          const left = Math.max(0, job.maxAttempts - job.attempts);
          logger.info({ ...fields, attemptsLeft: left },
            `Maintenance: Rescued job ${job.id}${from}: its lease expired (attempt ${job.attempts} of ${job.maxAttempts} used; ${left} left)`);
        }
      }
      logger.info({ event: 'rescue', rescued: result.rescued, failed: result.failed },
        `Maintenance: ${result.rescued} job(s) back to pending, ${result.failed} failed after their last attempt`);
      this.options.onRescued?.(result.rescued, result.failed);
    } catch (error) {
      this.lastRoundAt = this.clock.now();
      this.refused(startedAt);
      logger.warn({ event: 'rescue', err: errorText(error) }, 'Maintenance: rescue failed');
    }
  }

  private refused(at: number): void {
    // A new spell after writes went through for half a lease (live workers renewed meanwhile,
    // every lease/3) needs only its own grace: measured from the first spell, refusals that come
    // back more often than once a lease would grow the grace forever and never rescue a dead worker.
    if (this.refusedSince === null || (this.writableSince !== null && at - this.writableSince >= this.leaseMs / 2)) this.refusedSince = at;
    this.writableSince = null;
  }

  /** Whether it analyzed. `trigger`: the minute's round or the worker running dry (logged, to tell them apart). */
  async refreshStatistics(trigger: 'round' | 'ran-dry' = 'round'): Promise<boolean> {
    const { store, logger } = this.options;
    // The minute's round and a ran-dry attempt may meet: the one in flight answers for both
    // (a ran-dry attempt that finds it busy counts as not analyzed and tries again later).
    if (this.refreshing) return false;
    this.refreshing = true;
    try {
      const analyzed = (await store.refreshStatistics?.({ signal: this.stopping.signal })) === true;
      if (analyzed) logger.info({ event: 'statistics', trigger }, 'Maintenance: Refreshed the planner statistics of jobs (they hid finished or open jobs)');
      return analyzed;
    } catch (error) {
      logger.warn({ event: 'statistics', trigger, err: errorText(error) }, 'Maintenance: refreshing the planner statistics failed');
      return false;
    } finally {
      this.refreshing = false;
    }
  }

  /**
   * One retention round (runPrune): one `prune` line a round, zeros included, naming the cutoffs
   * and what went by status; nothing when a stop cancelled it before anything was deleted.
   */
  async prune(): Promise<void> {
    const { store, logger, pruneAfterMs } = this.options;
    if (pruneAfterMs == null && !this.pruneKeys) return;
    try {
      const signal = this.stopping.signal;
      const report = await runPrune(store, {
        pruneAfterMs: pruneAfterMs ?? null, forgetWorkersAfterMs: this.options.forgetWorkersAfterMs, pruneIdempotencyKeys: this.pruneKeys,
      }, { now: this.clock.now(), signal });
      // stopped meanwhile: a cancelled DELETE deleted nothing, not worth a line (the registry can wait for the next worker's prune)
      if (report.interrupted && report.jobs + report.workers + report.idempotencyKeys === 0) return;
      logger.info({ event: 'prune', ...pruneFields(report) }, `Maintenance: ${describePrune(report)}`);
    } catch (error) {
      logger.warn({ event: 'prune', err: errorText(error) }, 'Maintenance: prune failed');
    }
  }

}
