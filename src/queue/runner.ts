import { exponentialBackoff } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import { ClaimLoop } from './claim-loop.js';
import { HeldJobs } from './held-jobs.js';
import { LeaseKeeper } from './lease-keeper.js';
import { counterNames, type RunnerCounters } from './runner-counters.js';
import type { RunnerOptions } from './runner-options.js';
import { Settler, type ActiveJob } from './settler.js';

/**
 * Runner: a worker's modes (running, draining, stopped) and its stop, over the claim loop and the jobs it holds.
 *
 * Modes: 'idle' (built) -> 'running' (claims whenever a slot is free and jobs may be there: a
 * store.watch wake, a finished job, or the backstop poll; never two claims in flight; a backstop
 * poll after a claim came back short reads store.claimable() first, on every store) ->
 * 'draining' (claims nothing more; running jobs may finish until the deadline, then the rest are
 * aborted and released back to pending) -> 'stopped'. `stopNow()` goes straight to 'stopped',
 * aborting every handler and releasing what it held at once (best effort, bounded by its caller);
 * `abandon()` does so writing nothing: the leases expire and Maintenance rescues the jobs elsewhere.
 *
 * Every write for a job carries its lease token. A write that changes nothing, or a lease the
 * LeaseKeeper could not keep, means the job is no longer ours: the runner aborts its handler,
 * logs `cancel` (the job was cancelled) or `fenced` (anything else), and writes nothing more.
 *
 * The Runner keeps the modes and the stop; when to claim is ClaimLoop's (claim-loop.ts), the jobs
 * held and the life of each HeldJobs' (held-jobs.ts).
 */
export type RunnerState = 'idle' | 'running' | 'draining' | 'stopped';

export { counterNames, type RunnerCounters } from './runner-counters.js';
export type { RunnerOptions } from './runner-options.js';
export { JobAbortedError } from './settler.js';
export { JobTimeoutError } from './run-timeout.js';

/** What a drain tells its caller as it goes. */
export interface DrainHooks {
  /**
   * The held jobs that had not started are back in the store (pending): waitingForThread has
   * dropped (they are let go). The worker beats then, so the registry does not keep counting them
   * until its next periodic beat. Not awaited: the drain goes on.
   * `running` (slots) drops only as each released job's handler returns, in the finally of its run (held-jobs.ts)
   * after the abort, which can come after this call: the beat may still count those jobs as
   * running until the next one. Left so: only /api/health's `running` (and the estimate the API
   * makes for a worker too old to send waitingForThread) read it, and the stop's last beat, sent
   * once the drain has waited for the handlers, says 0 unless one never returned.
   */
  unstartedReleased?: () => void;
}

export class Runner {
  private state: RunnerState = 'idle';
  private unwatch: (() => Promise<void>) | null = null;
  private readonly keeper: LeaseKeeper;
  private readonly settler: Settler;
  /** When claims go out (claim-loop.ts). */
  private readonly claims: ClaimLoop;
  /** The jobs held and the life of each (held-jobs.ts). */
  private readonly held: HeldJobs;
  private readonly clock: Clock;
  readonly counters: RunnerCounters = Object.fromEntries(counterNames.map((n) => [n, 0])) as RunnerCounters;

  constructor(private readonly options: RunnerOptions) {
    if (!(options.concurrency >= 1)) throw new Error(`concurrency must be at least 1, got ${options.concurrency}`);
    const clock = (this.clock = options.clock ?? systemClock);
    const leaseMs = options.leaseMs ?? 30_000;
    const { store, logger, workerId } = options;
    const counters = this.counters;
    this.keeper = new LeaseKeeper({
      store, clock, leaseMs, checkMs: options.lostCheckMs, logger, workerId,
      held: () => this.held.leases(),
      onLost: (ids) => this.held.lost(ids),
      onRenewed: (ids) => void (this.counters.renewed += ids.length),
    });
    this.settler = new Settler({
      store, logger, workerId, clock, counters,
      isPermanent: options.isPermanent ?? (() => false),
      backoff: options.backoff ?? exponentialBackoff(),
    });
    const transient = store.isTransient?.bind(store);
    this.held = new HeldJobs({
      runner: options, clock, counters, settler: this.settler,
      settleAgain: {
        logger, workerId, clock, counters,
        maxDelayMs: Math.max(50, Math.floor(leaseMs / 6)), // well inside a renewal period
        isTransient: transient ?? (() => true),
        stopped: () => this.state === 'stopped',
      },
      jobDone: () => this.claims.jobDone(),
      slotFreed: () => { if (this.state === 'running') this.wake(); },
    });
    this.claims = new ClaimLoop({
      store, logger, workerId, clock, counters, leaseMs,
      pollMs: options.pollMs ?? 1_000,
      claiming: () => this.state === 'running',
      free: () => this.held.free(),
      heldCount: () => this.held.count,
      start: (claimed) => this.held.start(claimed),
      ranDry: () => options.onRanDry?.(),
    });
  }

  get status(): RunnerState {
    return this.state;
  }

  /** Jobs held right now. */
  get running(): number {
    return this.held.count;
  }

  /** Of `running`, the jobs not fitting yet (countWaiting: reading input or waiting for a thread): sent with the heartbeat. */
  get waitingForThread(): number {
    return this.held.waitingForThread;
  }

  get concurrency(): number {
    return this.options.concurrency;
  }

  async start(): Promise<void> {
    if (this.state !== 'idle') return;
    this.state = 'running';
    this.keeper.start();
    if (this.options.watch !== false) {
      const unwatch = await this.options.store.watch((event) => {
        if (event === 'cancel') {
          this.keeper.checkNow();
          return false;
        }
        this.claims.wake(true);
        // Whether this wake will claim: a store that woke only this process passes it on otherwise.
        return this.state === 'running' && this.held.free() > 0;
      });
      // Stopped while the subscription was being made: stopClaiming found nothing to end.
      if (this.state !== 'running') {
        void unwatch().catch(() => undefined);
        return;
      }
      this.unwatch = unwatch;
    }
    this.claims.scheduleBackstop();
    this.wake();
  }

  /** Something may be claimable: claim if a slot is free (coalesces with a claim in flight). */
  wake(): void {
    this.claims.wake();
  }

  /** Asks the store now which of the held jobs were cancelled (a 'cancel' wake). */
  checkLeases(): void {
    this.keeper.checkNow();
  }

  /** Resolves when no job is held (used by drain and by tests). */
  whenIdle(): Promise<void> {
    return this.held.whenIdle();
  }

  /**
   * Graceful stop: claim nothing more, let running jobs finish until `deadlineMs` has passed,
   * then abort and release what is left back to pending. Held jobs that have not started (a
   * queuing handler's, before runStarted) are released at once. Resolves once nothing is held.
   */
  async drain(deadlineMs: number, hooks: DrainHooks = {}): Promise<{ finished: number; released: number }> {
    if (this.state === 'stopped') return { finished: 0, released: 0 };
    this.stopClaiming();
    const before = this.held.size;
    const releasedBefore = this.counters.released;
    // One deadline for the whole drain, armed now: a claim in flight stuck on a dead connection
    // or a lock must not put off the time the running jobs get.
    let timer: TimerHandle | null = null;
    const deadline = new Promise<'deadline'>((resolve) => {
      timer = this.clock.setTimeout(() => resolve('deadline'), deadlineMs);
    });
    // A claim already sent when the stop came was aborted (stopClaiming): it answers with nothing
    // (on PostgreSQL the store itself releases what a claim committed before its cancel landed, on
    // the claim's own connection, and names them: ClaimRequest.onReleased), or with the jobs it had
    // committed, which the draining runner hands straight back. Either way they count as released,
    // and never as held (they never ran here). The deadline still bounds the wait for a
    // store that cannot answer at all (the server gone): then nothing of the claim can be released.
    await Promise.race([this.claims.done, deadline]);
    // Held jobs that have not started (prefetched, waiting for a thread) have done no work: hand
    // them back now so another worker runs them, instead of holding them through the deadline.
    const unstarted = [...this.held.values()].filter((job) => job.waiting && !job.letGo && !job.finishing);
    await this.releaseAll(unstarted);
    hooks.unstartedReleased?.();
    if (this.held.count > 0) await Promise.race([this.whenIdle(), deadline]);
    (timer as TimerHandle | null)?.cancel();
    const leftovers = [...this.held.values()].filter((job) => !job.letGo && !job.finishing);
    await this.releaseAll(leftovers);
    // Released handlers were aborted; give them a moment to return so their threads are gone too.
    if (this.held.count > 0) {
      let timer: TimerHandle | null = null;
      await Promise.race([
        this.whenIdle(),
        new Promise<void>((resolve) => { timer = this.clock.setTimeout(resolve, 5_000); }),
      ]);
      (timer as TimerHandle | null)?.cancel();
    }
    this.finishStop();
    return { finished: before - unstarted.length - leftovers.length, released: this.counters.released - releasedBefore };
  }

  /** Hands held jobs back to pending (settler.release counts each one the store took back). */
  private async releaseAll(jobs: ActiveJob[]): Promise<void> {
    await Promise.all(jobs.map((job) => this.settler.release(job)));
  }

  /** Abort everything and write nothing; the leases will expire (a test's teardown, a store already gone). */
  abandon(): void {
    this.stopClaiming();
    this.held.abandon();
    this.finishStop();
  }

  /**
   * Immediate stop (a second signal): claim nothing more, abort every handler, and hand the jobs
   * held back to pending at once (`release`, fenced by each lease as in a drain; no deadline for
   * them to finish). Best effort: the caller bounds the wait (worker's stop, ~1 s) and exits
   * anyway; a release the store has not answered by then leaves that job to its lease. Jobs whose
   * final write is already under way are not released (that write settles them). Resolves with
   * the count the store took back and the count it refused or did not answer yet is `held - released`.
   */
  async stopNow(): Promise<{ held: number; released: number }> {
    const releasing = [...this.held.values()].filter((job) => !job.letGo && !job.finishing);
    this.stopClaiming();
    const releases = releasing.map((job) => this.settler.release(job));
    this.held.abandon(); // anything left (its final write under way) is no longer ours to write again
    this.finishStop();
    const released = (await Promise.all(releases)).filter(Boolean).length;
    return { held: releasing.length, released };
  }

  private stopClaiming(): void {
    if (this.state === 'running' || this.state === 'idle') this.state = 'draining';
    this.claims.stop();
    const unwatch = this.unwatch;
    this.unwatch = null;
    if (unwatch) void unwatch().catch(() => undefined);
  }

  private finishStop(): void {
    this.state = 'stopped';
    this.keeper.stop();
    this.held.stop();
  }

  /** Jobs of the dataset whose handler still runs (not finishing ones: their own onSettled follows). */
  runningJobsOf(datasetId: string): number {
    return this.held.runningJobsOf(datasetId);
  }

  /** Whether a job of the dataset still runs here (held-by-dataset.ts: stops at the first). */
  hasRunningJobsOf(datasetId: string): boolean {
    return this.held.hasRunningJobsOf(datasetId);
  }
}
