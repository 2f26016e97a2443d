import { exponentialBackoff, type Backoff } from './backoff.js';
import { systemClock, type Clock, type TimerHandle } from './clock.js';
import type { ClaimedJob, Job, Lease } from './job.js';
import { countWaiting } from './count-waiting.js';
import type { JobHandler } from './job-handler.js';
import { LeaseKeeper, errorText } from './lease-keeper.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import { HeldByDataset } from './held-by-dataset.js';
import { ProgressThrottle } from './progress-throttle.js';
import { armRunTimeout, JobTimeoutError } from './run-timeout.js';
import { counterNames, type RunnerCounters } from './runner-counters.js';
import { settleAgain, type SettleAgainOptions } from './settle-again.js';
import { JobAbortedError, Settler, type ActiveJob } from './settler.js';

/**
 * Runner: a worker's claim loop and the life of every job it holds.
 *
 * Modes: 'idle' (built) -> 'running' (claims whenever a slot is free and jobs may be there: a
 * store.watch wake, a finished job, or the backstop poll; never two claims in flight; a backstop
 * poll after a claim came back short reads store.claimable() first, on every store) ->
 * 'draining' (claims nothing more; running jobs may finish until the deadline, then the rest are
 * aborted and released back to pending) -> 'stopped'. `abandon()` goes straight to 'stopped'
 * writing nothing: the leases expire and Maintenance rescues the jobs elsewhere.
 *
 * Every write for a job carries its lease token. A write that changes nothing, or a lease the
 * LeaseKeeper could not keep, means the job is no longer ours: the runner aborts its handler,
 * logs `cancel` (the job was cancelled) or `fenced` (anything else), and writes nothing more.
 */
export type RunnerState = 'idle' | 'running' | 'draining' | 'stopped';

export { counterNames, type RunnerCounters } from './runner-counters.js';
export { JobAbortedError } from './settler.js';
export { JobTimeoutError } from './run-timeout.js';

export interface RunnerOptions {
  store: QueueStore;
  handler: JobHandler;
  workerId: string;
  logger: QueueLogger;
  concurrency: number;
  leaseMs?: number; // default 30 s
  pollMs?: number; // backstop claim poll, default 1 s
  progressMs?: number; // at most one progress write per job per this, default 250 ms
  lostCheckMs?: number; // default 250 ms
  /** Errors that retrying cannot fix (bad input data): the job fails at once. */
  isPermanent?: (error: unknown) => boolean;
  backoff?: Backoff;
  /**
   * How long one attempt of `job` may run (ms; null: no limit). When it passes, the handler is
   * aborted with a JobTimeoutError and the attempt fails ("timed out after N s"), then retries
   * with backoff like any error. Default: no limit.
   */
  runTimeoutMs?: (job: Job) => number | null | Promise<number | null>;
  clock?: Clock;
  /** Subscribe to store.watch (default true). Tests that drive wakes by hand turn it off. */
  watch?: boolean;
  /** After a job's last write (completed, failed or retried); synchronous, so keep it cheap. A throw is logged and changes nothing. */
  onSettled?: (job: Job) => void;
  /**
   * When this worker ran dry while running: it holds no job (prefetched ones included), the queue
   * had nothing for it, and it finished at least one job since the last call (an idle worker's
   * polls never call it; a trickle of single jobs calls it once a job). Never during a stop.
   * Synchronous; a throw is logged and changes nothing. The worker refreshes the database's
   * statistics here: the reads a planner makes right after the queue empties are planned on them.
   */
  onRanDry?: () => void;
}

/** What a drain tells its caller as it goes. */
export interface DrainHooks {
  /**
   * The held jobs that had not started are back in the store (pending): waitingForThread has
   * dropped (they are let go). The worker beats then, so the registry does not keep counting them
   * until its next periodic beat. Not awaited: the drain goes on.
   * `running` (slots) drops only as each released job's handler returns, in execute()'s finally
   * after the abort, which can come after this call: the beat may still count those jobs as
   * running until the next one. Left so: only /api/health's `running` (and the estimate the API
   * makes for a worker too old to send waitingForThread) read it, and the stop's last beat, sent
   * once the drain has waited for the handlers, says 0 unless one never returned.
   */
  unstartedReleased?: () => void;
}

export class Runner {
  private state: RunnerState = 'idle';
  private readonly active = new Map<number, ActiveJob>();
  /** The run timeouts of handlers still running: cancelled at stop, so none keeps a stopped process alive. */
  private readonly runTimeouts = new Set<{ cancel(): void }>();
  private claiming = false;
  /** The claim loop running now: a drain waits for its claim in flight, whose jobs it hands back. */
  private claimLoopDone: Promise<void> = Promise.resolve();
  /** Aborts the claim in flight at the stop (ClaimRequest.signal): it gives up unless it committed. */
  private claimAbort: AbortController | null = null;
  private wanted = false;
  /** The backstop poll is the only reason to claim since the last claim: no wake, no job finished. */
  private pollOnly = false;
  private queueLooksEmpty = false;
  private backstop: TimerHandle | null = null;
  private unwatch: (() => Promise<void>) | null = null;
  private readonly keeper: LeaseKeeper;
  private readonly progress: ProgressThrottle;
  private readonly settler: Settler;
  private readonly clock: Clock;
  private readonly leaseMs: number;
  private readonly pollMs: number;
  private readonly settleAgainOptions: SettleAgainOptions;
  private readonly isPermanent: (error: unknown) => boolean;
  private readonly backoff: Backoff;
  private idleWaiters: Array<() => void> = [];
  /** Handlers that have not returned yet (a stale run replaced in `active` still holds its slot). */
  private slots = 0;
  /** Held jobs whose handler has returned and whose final write is under way: their slots are claimable. */
  private settling = 0;
  private readonly byDataset = new HeldByDataset();
  /** Jobs whose handler returned since onRanDry was last called. */
  private finishedSinceRanDry = 0;
  readonly counters: RunnerCounters = Object.fromEntries(counterNames.map((n) => [n, 0])) as RunnerCounters;

  constructor(private readonly options: RunnerOptions) {
    if (!(options.concurrency >= 1)) throw new Error(`concurrency must be at least 1, got ${options.concurrency}`);
    this.clock = options.clock ?? systemClock;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.pollMs = options.pollMs ?? 1_000;
    this.isPermanent = options.isPermanent ?? (() => false);
    this.backoff = options.backoff ?? exponentialBackoff();
    this.keeper = new LeaseKeeper({
      store: options.store,
      clock: this.clock,
      leaseMs: this.leaseMs,
      checkMs: options.lostCheckMs,
      logger: options.logger,
      workerId: options.workerId,
      held: () => this.heldLeases(),
      onLost: (ids) => this.onLost(ids),
      onRenewed: (ids) => void (this.counters.renewed += ids.length),
    });
    const transient = options.store.isTransient?.bind(options.store);
    this.settleAgainOptions = {
      logger: options.logger, workerId: options.workerId, clock: this.clock, counters: this.counters,
      maxDelayMs: Math.max(50, Math.floor(this.leaseMs / 6)), // well inside a renewal period
      isTransient: transient ?? (() => true),
      stopped: () => this.state === 'stopped',
    };
    this.settler = new Settler({
      store: options.store, logger: options.logger, workerId: options.workerId, clock: this.clock,
      counters: this.counters, isPermanent: this.isPermanent, backoff: this.backoff,
    });
    this.progress = new ProgressThrottle({
      clock: this.clock,
      intervalMs: options.progressMs ?? 250,
      write: (jobId, value) => this.writeProgress(jobId, value),
    });
  }

  get status(): RunnerState {
    return this.state;
  }

  /** Jobs held right now. */
  get running(): number {
    return this.slots;
  }

  /** Of `running`, the jobs not fitting yet (countWaiting: reading input or waiting for a thread): sent with the heartbeat. */
  get waitingForThread(): number {
    return countWaiting(this.active.values());
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
        this.wake();
        // Whether this wake will claim: a store that woke only this process passes it on otherwise.
        return this.state === 'running' && this.options.concurrency - this.slots + this.settling > 0;
      });
      // Stopped while the subscription was being made: stopClaiming found nothing to end.
      if (this.state !== 'running') {
        void unwatch().catch(() => undefined);
        return;
      }
      this.unwatch = unwatch;
    }
    this.scheduleBackstop();
    this.wake();
  }

  /** Something may be claimable: claim if a slot is free (coalesces with a claim in flight). */
  wake(): void {
    this.pollOnly = false;
    this.want();
  }

  private want(): void {
    this.wanted = true;
    if (!this.claiming && this.state === 'running') this.claimLoopDone = this.claimLoop();
  }

  /** Asks the store now which of the held jobs were cancelled (a 'cancel' wake). */
  checkLeases(): void {
    this.keeper.checkNow();
  }

  /** Resolves when no job is held (used by drain and by tests). */
  whenIdle(): Promise<void> {
    if (this.slots === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  /**
   * Graceful stop: claim nothing more, let running jobs finish until `deadlineMs` has passed,
   * then abort and release what is left back to pending. Held jobs that have not started (a
   * queuing handler's, before runStarted) are released at once. Resolves once nothing is held.
   */
  async drain(deadlineMs: number, hooks: DrainHooks = {}): Promise<{ finished: number; released: number }> {
    if (this.state === 'stopped') return { finished: 0, released: 0 };
    this.stopClaiming();
    const before = this.active.size;
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
    await Promise.race([this.claimLoopDone, deadline]);
    // Held jobs that have not started (prefetched, waiting for a thread) have done no work: hand
    // them back now so another worker runs them, instead of holding them through the deadline.
    const unstarted = [...this.active.values()].filter((job) => job.waiting && !job.letGo && !job.finishing);
    await this.releaseAll(unstarted);
    hooks.unstartedReleased?.();
    if (this.slots > 0) await Promise.race([this.whenIdle(), deadline]);
    (timer as TimerHandle | null)?.cancel();
    const leftovers = [...this.active.values()].filter((job) => !job.letGo && !job.finishing);
    await this.releaseAll(leftovers);
    // Released handlers were aborted; give them a moment to return so their threads are gone too.
    if (this.slots > 0) {
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

  /** Immediate stop (a second signal): abort everything, write nothing; the leases will expire. */
  abandon(): void {
    this.stopClaiming();
    for (const job of this.active.values()) {
      if (job.letGo) continue;
      job.letGo = true;
      job.controller.abort(new JobAbortedError('abandon', 'the worker stopped at once'));
    }
    this.finishStop();
  }

  private stopClaiming(): void {
    if (this.state === 'running' || this.state === 'idle') this.state = 'draining';
    // A claim waiting on a lock or a slow server would only bring back jobs to hand back; waited
    // for past the deadline, it could commit after the store closed, its jobs left running under
    // a lease nobody renews. Aborted, it gives up unless it already committed, and answers soon.
    this.claimAbort?.abort();
    this.backstop?.cancel();
    this.backstop = null;
    const unwatch = this.unwatch;
    this.unwatch = null;
    if (unwatch) void unwatch().catch(() => undefined);
  }

  private finishStop(): void {
    this.state = 'stopped';
    this.keeper.stop();
    this.progress.stop();
    // A handler let go at the stop that ignores its abort never settles; its armed timeout (30
    // minutes by default) would keep the process alive that long after the drain.
    for (const timeout of this.runTimeouts) timeout.cancel();
    this.runTimeouts.clear();
  }

  /**
   * Once a claim came back short, wakes (any commit by any process, under SQLite) are checked
   * first with store.claimable(): a read of the claim index, which takes no write lock, instead
   * of a claim that would take it for nothing while other workers are busy writing. Never the
   * summary counters: one that drifted would leave this worker idle on a non-empty queue.
   */
  private async anyPending(): Promise<boolean> {
    try {
      return await this.options.store.claimable();
    } catch {
      return true; // let the claim find out (and log) what is wrong
    }
  }

  private scheduleBackstop(): void {
    this.backstop = this.clock.setTimeout(() => {
      if (this.state !== 'running') return;
      if (!this.wanted) this.pollOnly = true;
      this.want();
      this.scheduleBackstop();
    }, this.pollMs);
  }

  private async claimLoop(): Promise<void> {
    this.claiming = true;
    try {
      // Jobs that finish together (one group commit of their completes) each wake this loop in the
      // same turn: let all of them free their slots first, so one claim fills every free slot
      // (claiming at the first wake took 1 job, then the rest: twice the write transactions).
      await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.wanted && this.state === 'running') {
        this.wanted = false;
        const pollOnly = this.pollOnly;
        this.pollOnly = false;
        const free = this.options.concurrency - this.slots + this.settling;
        if (free <= 0) break; // a finishing job wakes the loop again
        // With SKIP LOCKED a claim takes no lock others wait on, so after a wake it is itself the
        // cheapest check. Not for the backstop poll of an empty queue, which almost always finds
        // nothing: there a read of the claim index replaces an UPDATE whose statement triggers run
        // even when it changes no row (32 idle processes made 32 of them a second). A wake that
        // arrives during the read sets `wanted` again and claims on the next turn.
        if (this.queueLooksEmpty && (pollOnly || !this.options.store.capabilities.skipLocked) && !(await this.anyPending())) {
          this.ranDryIfIdle(0);
          continue;
        }
        // A stop during the read above found no claim to abort: none may go out after it.
        if (this.state !== 'running') break;
        let claimed: ClaimedJob[];
        const abort = new AbortController();
        this.claimAbort = abort;
        try {
          claimed = await this.options.store.claim({
            workerId: this.options.workerId, limit: free, leaseMs: this.leaseMs, signal: abort.signal,
            // A claim that committed as the worker stopped, handed back by the store itself (PostgreSQL):
            // released as surely as those handed back below, so counted and logged the same.
            onReleased: (jobIds) => { for (const jobId of jobIds) this.released(jobId, 'the store handed it back'); },
          });
        } catch (error) {
          // Unreachable database: the backstop poll tries again; no tight retry loop.
          // Not `claim`: that verb is a transition (one line a job picked up); counting claims by
          // event must not count the attempts that picked up nothing.
          this.options.logger.warn({ event: 'claim-failed', workerId: this.options.workerId, err: errorText(error) },
            'Worker: claim failed; the backstop poll tries again');
          break;
        } finally {
          this.claimAbort = null;
        }
        if (this.state !== 'running') {
          // Stopped while the claim was in flight: hand the jobs straight back.
          await Promise.all(claimed.map(async (c) => {
            if (await this.options.store.release(c).catch(() => false)) this.released(c.jobId, 'handed back');
          }));
          break;
        }
        // In the order the store gives (queue order: priority, then the datasets' turns, then id).
        for (const c of claimed) this.startJob(c);
        // A full batch means more may be waiting; a short one, that the queue ran dry.
        if (claimed.length === free) this.wanted = true;
        this.queueLooksEmpty = claimed.length < free;
        this.ranDryIfIdle(claimed.length);
      }
    } finally {
      this.claiming = false;
    }
  }

  /** Counts and logs a job of a claim that came back as the worker stopped, released back to pending. */
  private released(jobId: number, how: string): void {
    this.counters.released++;
    this.options.logger.info({ event: 'release', jobId, workerId: this.options.workerId },
      `Worker: Released job ${jobId} back to pending (claimed as the worker stopped; ${how})`);
  }

  /** Calls onRanDry once per run of work: running, nothing held, nothing claimed, something finished since the last call. */
  private ranDryIfIdle(claimed: number): void {
    // After an await (the claim, the claimable() read): a stop may have begun meanwhile.
    if (this.state !== 'running' || claimed > 0 || this.slots > 0 || this.finishedSinceRanDry === 0) return;
    this.finishedSinceRanDry = 0;
    try {
      this.options.onRanDry?.();
    } catch (error) {
      this.options.logger.warn({ event: 'ran-dry-hook', workerId: this.options.workerId, err: errorText(error) },
        'Worker: the ran-dry hook threw; claiming goes on');
    }
  }

  private startJob(claimed: ClaimedJob): void {
    const { job } = claimed;
    const stale = this.active.get(job.id);
    if (stale && !stale.letGo) {
      // The store gave this worker the job again: the run still going here lost its lease long
      // ago (the job was rescued meanwhile). Stop it; the new lease is the one that counts.
      this.onLost([job.id]);
    }
    const active: ActiveJob = {
      claimed,
      lease: { jobId: claimed.jobId, leaseToken: claimed.leaseToken },
      controller: new AbortController(),
      startedAt: this.clock.now(),
      finishing: false,
      letGo: false,
      leaseLost: false,
      waiting: this.options.handler.queuesRuns === true,
      done: Promise.resolve(),
    };
    this.active.set(job.id, active);
    this.byDataset.add(active);
    this.slots++;
    this.counters.claimed++;
    this.options.logger.info(
      { event: 'claim', jobId: job.id, sku: job.sku, modelId: job.modelId, method: job.method, attempt: job.attempts, workerId: this.options.workerId },
      `Worker: Picked up job ${job.id} (sku ${job.sku}, model ${job.modelId})`,
    );
    active.done = this.execute(active).finally(() => {
      if (this.active.get(job.id) === active) {
        this.active.delete(job.id);
        this.progress.forget(job.id);
      }
      if (active.settling) this.settling--;
      this.byDataset.remove(active);
      this.slots--;
      this.finishedSinceRanDry++;
      if (this.slots === 0) {
        const waiters = this.idleWaiters;
        this.idleWaiters = [];
        for (const resolve of waiters) resolve();
      }
      if (this.state === 'running') this.wake();
    });
  }

  private async execute(active: ActiveJob): Promise<void> {
    const { job } = active.claimed;
    let ok = false;
    let value: unknown;
    let failure: unknown;
    // The handler starts at once; the run timeout arrives when runTimeoutFor has answered (a
    // dataset read, cached for a few seconds), counted from the start all the same. Awaited
    // before the handler, that read delayed about one start in ten by a round trip in
    // bench:queue --procs 32 (each process's cache had expired by its next job).
    let runOver = false;
    const timeout = this.options.runTimeoutMs
      ? armRunTimeout(this.clock, active.controller, undefined, { deferred: this.options.handler.queuesRuns === true })
      : null;
    if (timeout) this.runTimeouts.add(timeout);
    try {
      const run = this.options.handler.run(job, {
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
      this.counters.timedOut++;
      this.options.logger.warn({ event: 'timeout', jobId: job.id, sku: job.sku, modelId: job.modelId, timeoutMs: failure.timeoutMs, workerId: this.options.workerId },
        `Worker: Job ${job.id} ${failure.message}; stopped its run`);
    }
    if (active.letGo || active.finishing) return;
    active.finishing = true;
    await this.progress.settled(job.id); // a progress write must not land after the final one
    if (active.letGo) return;
    // Its handler is done: while its first final write is in flight its slot is claimable, so
    // the claim that refills it and this write can go out together (the SQLite store writes the
    // completes waiting in its batch inside the claim's transaction: one lock hand-over and one
    // commit instead of two; docs/deploy.md, "Completes in the claim's transaction"). Held jobs
    // stay under twice the concurrency: a write that fails gives the slot back before it is
    // tried again, so a store refusing writes does not make the runner claim more and more.
    this.settling++;
    active.settling = true;
    if (this.state === 'running') this.wake();
    const write = () => (ok ? this.settler.complete(active, value) : this.settler.failure(active, failure));
    try {
      await write();
    } catch (error) {
      if (active.settling) {
        active.settling = false;
        this.settling--;
      }
      // A result the database refuses for good is given up: the attempt fails instead (bounded).
      const fallback = ok ? (refusal: unknown) => this.settler.failure(active, new Error(`could not store the result: ${errorText(refusal)}`)) : undefined;
      if (!(await settleAgain(this.settleAgainOptions, active, write, error, fallback))) return;
    }
    // The outcome is written: whatever the hook does (or throws) cannot undo or misreport it.
    try {
      this.options.onSettled?.(job);
    } catch (error) {
      this.options.logger.warn({ event: 'settled-hook', jobId: job.id, workerId: this.options.workerId, err: errorText(error) },
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
    if (!this.options.runTimeoutMs) return null;
    try {
      const ms = await this.options.runTimeoutMs(job);
      return ms !== null && Number.isFinite(ms) && ms > 0 ? ms : null;
    } catch (error) {
      // A run already over needs no limit; "running it without one" would be news of nothing.
      if (!running()) return null;
      // Not knowing the limit must not stop the work: the attempt runs without one.
      this.options.logger.warn({ event: 'timeout', jobId: job.id, err: errorText(error) }, `Worker: could not read the run timeout of job ${job.id}; running it without one`);
      return null;
    }
  }

  private async writeProgress(jobId: number, value: number): Promise<void> {
    const active = this.active.get(jobId);
    if (!active || active.letGo || active.finishing) return;
    let ok: boolean;
    try {
      ok = await this.options.store.progress(active.lease, value);
    } catch (error) {
      this.options.logger.warn({ event: 'progress', jobId, err: errorText(error) }, `Worker: could not write the progress of job ${jobId}`);
      return;
    }
    if (ok) {
      this.options.logger.debug({ event: 'progress', jobId, progress: value, workerId: this.options.workerId }, `Worker: Job ${jobId} at ${value}%`);
    } else if (!active.letGo && !active.finishing) {
      this.onLost([jobId]);
    }
  }

  private heldLeases(): Lease[] {
    const leases: Lease[] = [];
    for (const job of this.active.values()) if (!job.letGo) leases.push(job.lease);
    return leases;
  }

  /** The lease is gone: stop the handler at once, then find out why for the log. */
  private onLost(jobIds: number[]): void {
    for (const id of jobIds) {
      const active = this.active.get(id);
      if (active?.finishing) active.leaseLost = true; // its final write, if still refused, stops trying
      if (!active || active.letGo || active.finishing) continue;
      active.letGo = true;
      active.controller.abort(new JobAbortedError('fenced', `job ${id} lost its lease`));
      void this.explainLoss(active);
    }
  }

  private async explainLoss(active: ActiveJob): Promise<void> {
    const { job } = active.claimed;
    let status: string | null = null;
    try {
      status = (await this.options.store.getJob(job.id))?.status ?? null;
    } catch {
      status = null;
    }
    if (status === 'cancelled') {
      this.counters.cancelled++;
      this.options.logger.info({ event: 'cancel', jobId: job.id, sku: job.sku, modelId: job.modelId, workerId: this.options.workerId },
        `Worker: Job ${job.id} was cancelled; stopped its run`);
    } else {
      this.counters.fenced++;
      this.options.logger.warn({ event: 'fenced', jobId: job.id, status, workerId: this.options.workerId },
        `Worker: Fenced: job ${job.id} lost its lease (now ${status ?? 'deleted'}); stopped its run, writing nothing`);
    }
  }
}
