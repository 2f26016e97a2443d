import type { Clock } from './clock.js';
import type { ClaimedJob, Job, Lease } from './job.js';
import { countWaiting } from './count-waiting.js';
import { explainLoss, type ExplainLossOptions } from './explain-loss.js';
import { HeldByDataset } from './held-by-dataset.js';
import { errorText } from './lease-keeper.js';
import { ProgressThrottle } from './progress-throttle.js';
import { armRunTimeout, JobTimeoutError } from './run-timeout.js';
import type { RunnerCounters } from './runner-counters.js';
import type { RunnerOptions } from './runner-options.js';
import { settleAgain, type SettleAgainOptions } from './settle-again.js';
import { JobAbortedError, type ActiveJob, type Settler } from './settler.js';

export interface HeldJobsOptions {
  /** The Runner's options: its store, handler and hooks (called on this object, as given). */
  runner: RunnerOptions;
  clock: Clock;
  counters: RunnerCounters;
  settler: Settler;
  settleAgain: SettleAgainOptions;
  /** A held job is done (onRanDry counts it): its last write made or given up, or it was let go; called once its slot is given back. */
  jobDone(): void;
  /** A slot is claimable again: wakes the claim loop if the Runner is still 'running'. */
  slotFreed(): void;
}

/**
 * HeldJobs: the jobs a Runner holds and the life of each, from its claim to its last write: run
 * its handler (with its run timeout and throttled progress), settle it through the Settler, or
 * let it go when its lease is lost (cancelled or fenced, explain-loss.ts).
 *
 * Each held job is running (its handler has not returned), then finishing (its final write under
 * way or made), or let go (no longer ours: cancelled, fenced, released, abandoned: nothing more is
 * written for it). Its slot counts in `count` until its last write is done or given up (or, let
 * go, until its handler returns): drain's whenIdle() waits on that, so a stop never drops a final
 * write. From the moment its first final write goes out the slot is claimable again (`settling`,
 * `free()`).
 */
export class HeldJobs {
  private readonly active = new Map<number, ActiveJob>();
  /** The run timeouts of handlers still running: cancelled at stop, so none keeps a stopped process alive. */
  private readonly runTimeouts = new Set<{ cancel(): void }>();
  private idleWaiters: Array<() => void> = [];
  /** Held jobs not done yet: handler running, or last write under way (a stale run replaced in `active` still holds its slot). */
  private slots = 0;
  /** Held jobs whose handler has returned and whose final write is under way: their slots are claimable. */
  private settling = 0;
  private readonly byDataset = new HeldByDataset();
  private readonly progress: ProgressThrottle;
  private readonly loss: ExplainLossOptions;

  constructor(private readonly o: HeldJobsOptions) {
    const { runner } = o;
    this.progress = new ProgressThrottle({
      clock: o.clock,
      intervalMs: runner.progressMs ?? 250,
      write: (jobId, value) => this.writeProgress(jobId, value),
    });
    this.loss = { store: runner.store, logger: runner.logger, workerId: runner.workerId, counters: o.counters };
  }

  /** Jobs held right now. */
  get count(): number {
    return this.slots;
  }

  /** Of `count`, the jobs not fitting yet (countWaiting: reading input or waiting for a thread). */
  get waitingForThread(): number {
    return countWaiting(this.active.values());
  }

  /** Slots a claim may fill now: those of finishing jobs count as free. */
  free(): number {
    return this.o.runner.concurrency - this.slots + this.settling;
  }

  /** Held jobs, let go ones included until their handler returns. */
  get size(): number {
    return this.active.size;
  }

  values(): IterableIterator<ActiveJob> {
    return this.active.values();
  }

  /** Resolves when no job is held. */
  whenIdle(): Promise<void> {
    if (this.slots === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /** Immediate stop: abort every handler and write nothing more; the leases will expire. */
  abandon(): void {
    for (const job of this.active.values()) {
      if (job.letGo) continue;
      job.letGo = true;
      job.controller.abort(new JobAbortedError('abandon', 'the worker stopped at once'));
    }
  }

  /** The Runner stopped: no progress write and no run timeout outlives it. */
  stop(): void {
    this.progress.stop();
    // A handler let go at the stop that ignores its abort never settles; its armed timeout (30
    // minutes by default) would keep the process alive that long after the drain.
    for (const timeout of this.runTimeouts) timeout.cancel();
    this.runTimeouts.clear();
  }

  start(claimed: ClaimedJob): void {
    const { job } = claimed;
    const { runner } = this.o;
    const stale = this.active.get(job.id);
    if (stale && !stale.letGo) {
      // The store gave this worker the job again: the run still going here lost its lease long
      // ago (the job was rescued meanwhile). Stop it; the new lease is the one that counts.
      this.lost([job.id]);
    }
    const active: ActiveJob = {
      claimed,
      lease: { jobId: claimed.jobId, leaseToken: claimed.leaseToken },
      controller: new AbortController(),
      startedAt: this.o.clock.now(),
      finishing: false,
      letGo: false,
      leaseLost: false,
      waiting: runner.handler.queuesRuns === true,
      done: Promise.resolve(),
    };
    this.active.set(job.id, active);
    this.byDataset.add(active);
    this.slots++;
    this.o.counters.claimed++;
    active.done = this.execute(active).finally(() => {
      if (this.active.get(job.id) === active) {
        this.active.delete(job.id);
        this.progress.forget(job.id);
      }
      if (active.settling) this.settling--;
      this.byDataset.remove(active);
      this.slots--;
      this.o.jobDone();
      if (this.slots === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      this.o.slotFreed();
    });
    // Logged once the handler has started: execute calls it before its own first await, and logs
    // nothing itself before that await (a handler's own lines from before its first await now
    // come first). On an idle worker the line took 0.09-0.12 ms at the median (cold caches, and
    // pino's stdout hands each write to libuv's threadpool), all of it in front of the handler's
    // start (docs/queue-measurements.md, "SQLite pickup: where the time after the enqueue goes").
    runner.logger.info(
      { event: 'claim', jobId: job.id, sku: job.sku, modelId: job.modelId, method: job.method, attempt: job.attempts, workerId: runner.workerId },
      `Worker: Picked up job ${job.id} (sku ${job.sku}, model ${job.modelId})`,
    );
  }

  private async execute(active: ActiveJob): Promise<void> {
    const { job } = active.claimed;
    const { runner, clock, counters, settler } = this.o;
    let ok = false;
    let value: unknown;
    let failure: unknown;
    // The handler starts at once; the run timeout arrives when runTimeoutFor has answered (a
    // dataset read, cached for a few seconds), counted from the start all the same. Awaited
    // before the handler, that read delayed about one start in ten by a round trip in
    // bench:queue --procs 32 (each process's cache had expired by its next job).
    let runOver = false;
    const timeout = runner.runTimeoutMs
      ? armRunTimeout(clock, active.controller, undefined, { deferred: runner.handler.queuesRuns === true })
      : null;
    if (timeout) this.runTimeouts.add(timeout);
    try {
      const run = runner.handler.run(job, {
        // A getter: AbortController makes its signal on first read (2 us a job in a no-op drain),
        // and most handlers that finish at once never read it.
        get signal() { return active.controller.signal; },
        reportProgress: (p) => {
          if (!active.letGo && !active.finishing) this.progress.report(job.id, p);
        },
        runStarted: () => {
          active.waiting = false;
          timeout?.start();
        },
      });
      // The limit is armed even if the job was let go meanwhile (cancelled, fenced, released):
      // a handler that ignores its aborted signal must still give its slot back at the timeout.
      if (timeout) void this.runTimeoutFor(job, () => !runOver).then((ms) => timeout.limit(ms));
      // Raced, so a handler that ignores its signal (an inline fit) cannot hold the slot forever.
      value = await (timeout ? Promise.race([run, timeout.expired]) : run);
      ok = true;
    } catch (error) {
      failure = error;
    } finally {
      runOver = true;
      timeout?.cancel();
      if (timeout) this.runTimeouts.delete(timeout);
    }
    if (failure instanceof JobTimeoutError && !active.letGo) {
      counters.timedOut++;
      runner.logger.warn({ event: 'timeout', jobId: job.id, sku: job.sku, modelId: job.modelId, timeoutMs: failure.timeoutMs, workerId: runner.workerId },
        `Worker: Job ${job.id} ${failure.message}; stopped its run`);
    }
    if (active.letGo || active.finishing) return;
    active.finishing = true;
    await this.progress.settled(job.id); // a progress write must not land after the final one
    if (active.letGo) return;
    // Its handler is done: while its first final write is in flight its slot is claimable, so
    // the claim that refills it and this write can go out together (the SQLite store writes the
    // completes waiting in its batch inside the claim's transaction: one lock hand-over and one
    // commit instead of two; docs/queue-measurements.md, "Completes in the claim's transaction"). Held jobs
    // stay under twice the concurrency: a write that fails gives the slot back before it is
    // tried again, so a store refusing writes does not make the runner claim more and more.
    this.settling++;
    active.settling = true;
    this.o.slotFreed();
    const write = () => (ok ? settler.complete(active, value) : settler.failure(active, failure));
    try {
      await write();
    } catch (error) {
      if (active.settling) {
        active.settling = false;
        this.settling--;
      }
      // A result the database refuses for good is given up: the attempt fails instead (bounded).
      const fallback = ok ? (refusal: unknown) => settler.failure(active, new Error(`could not store the result: ${errorText(refusal)}`)) : undefined;
      if (!(await settleAgain(this.o.settleAgain, active, write, error, fallback))) return;
    }
    // The outcome is written: whatever the hook does (or throws) cannot undo or misreport it.
    try {
      runner.onSettled?.(job);
    } catch (error) {
      runner.logger.warn({ event: 'settled-hook', jobId: job.id, workerId: runner.workerId, err: errorText(error) },
        `Worker: the settled hook of job ${job.id} threw; the job's outcome stands`);
    }
  }

  /** Jobs of the dataset whose handler still runs (not finishing ones: their own onSettled follows). */
  runningJobsOf(datasetId: string): number {
    return this.byDataset.running(datasetId);
  }

  /** Whether a job of the dataset still runs here (held-by-dataset.ts: stops at the first). */
  hasRunningJobsOf(datasetId: string): boolean {
    return this.byDataset.anyRunning(datasetId);
  }

  /** `running`: whether the attempt still runs when the read answers (it is sent after the start). */
  private async runTimeoutFor(job: Job, running: () => boolean): Promise<number | null> {
    const { runner } = this.o;
    if (!runner.runTimeoutMs) return null;
    try {
      const ms = await runner.runTimeoutMs(job);
      return ms !== null && Number.isFinite(ms) && ms > 0 ? ms : null;
    } catch (error) {
      // A run already over needs no limit; "running it without one" would be news of nothing.
      if (!running()) return null;
      // Not knowing the limit must not stop the work: the attempt runs without one.
      runner.logger.warn({ event: 'timeout', jobId: job.id, err: errorText(error) }, `Worker: could not read the run timeout of job ${job.id}; running it without one`);
      return null;
    }
  }

  private async writeProgress(jobId: number, value: number): Promise<void> {
    const { runner } = this.o;
    const active = this.active.get(jobId);
    if (!active || active.letGo || active.finishing) return;
    let ok: boolean;
    try {
      ok = await runner.store.progress(active.lease, value);
    } catch (error) {
      runner.logger.warn({ event: 'progress', jobId, err: errorText(error) }, `Worker: could not write the progress of job ${jobId}`);
      return;
    }
    if (ok) {
      runner.logger.debug({ event: 'progress', jobId, progress: value, workerId: runner.workerId }, `Worker: Job ${jobId} at ${value}%`);
    } else if (!active.letGo && !active.finishing) {
      this.lost([jobId]);
    }
  }

  /** The leases held right now (LeaseKeeper renews them). */
  leases(): Lease[] {
    const leases: Lease[] = [];
    for (const job of this.active.values()) if (!job.letGo) leases.push(job.lease);
    return leases;
  }

  /** The lease is gone: stop the handler at once, then find out why for the log. */
  lost(jobIds: number[]): void {
    for (const id of jobIds) {
      const active = this.active.get(id);
      if (active?.finishing) active.leaseLost = true; // its final write, if still refused, stops trying
      if (!active || active.letGo || active.finishing) continue;
      active.letGo = true;
      active.controller.abort(new JobAbortedError('fenced', `job ${id} lost its lease`));
      void explainLoss(this.loss, active);
    }
  }
}
