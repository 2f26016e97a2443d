import type { Clock, TimerHandle } from './clock.js';
import type { ClaimedJob } from './job.js';
import { errorText } from './lease-keeper.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import type { RunnerCounters } from './runner-counters.js';

export interface ClaimLoopOptions {
  store: QueueStore;
  logger: QueueLogger;
  workerId: string;
  clock: Clock;
  counters: RunnerCounters;
  leaseMs: number;
  pollMs: number;
  /** The Runner is in its 'running' mode: claims may go out. */
  claiming(): boolean;
  /** Slots a claim may fill now (HeldJobs.free). */
  free(): number;
  /** Jobs held now (HeldJobs.count): onRanDry waits for none. */
  heldCount(): number;
  /** Takes a job just claimed (HeldJobs.start). */
  start(claimed: ClaimedJob): void;
  /** Calls RunnerOptions.onRanDry (this worker ran dry); a throw is logged here. */
  ranDry(): void;
}

/**
 * ClaimLoop: when this worker claims. A claim goes out whenever a slot is free and jobs may be
 * there: a wake (store.watch, a finished job, a slot whose final write is under way) or the
 * backstop poll. Never two claims in flight: a wake during one sets `wanted`, and the loop claims
 * again on its next turn.
 *
 * Modes: the queue looks full (the last claim filled every free slot, or none was made yet) or
 * looks empty (it came back short). While it looks empty, the backstop poll (and every wake on a
 * store without SKIP LOCKED) reads store.claimable() before claiming. `stop()` (the Runner leaving
 * 'running') cancels the poll and aborts the claim in flight; `done` settles once the loop is out.
 */
export class ClaimLoop {
  private claimInFlight = false;
  /** The claim loop running now: a drain waits for its claim in flight, whose jobs it hands back. */
  private loopDone: Promise<void> = Promise.resolve();
  /** Aborts the claim in flight at the stop (ClaimRequest.signal): it gives up unless it committed. */
  private claimAbort: AbortController | null = null;
  private wanted = false;
  /** The backstop poll is the only reason to claim since the last claim: no wake, no job finished. */
  private pollOnly = false;
  private queueLooksEmpty = false;
  private backstop: TimerHandle | null = null;
  /** Held jobs done (last write made or given up, or let go) since onRanDry was last called. */
  private doneSinceRanDry = 0;

  constructor(private readonly o: ClaimLoopOptions) {}

  /** Settles once the loop running now (and its claim in flight) is over. */
  get done(): Promise<void> {
    return this.loopDone;
  }

  /**
   * Something may be claimable: claim if a slot is free (coalesces with a claim in flight).
   * `fromStore`: a wake from the store (store.watch: another process's commit or notification, or
   * a write of this process's own, such as an enqueue by an API in the same process), not a job of
   * this worker settling.
   */
  wake(fromStore = false): void {
    this.pollOnly = false;
    this.want(fromStore);
  }

  /** A held job is done and its slot given back (HeldJobsOptions.jobDone): counted for onRanDry. */
  jobDone(): void {
    this.doneSinceRanDry++;
  }

  /** Aborts the claim in flight and cancels the backstop poll (the Runner left 'running'). */
  stop(): void {
    // A claim waiting on a lock or a slow server would only bring back jobs to hand back; waited
    // for past the deadline, it could commit after the store closed, its jobs left running under
    // a lease nobody renews. Aborted, it gives up unless it already committed, and answers soon.
    this.claimAbort?.abort();
    this.backstop?.cancel();
    this.backstop = null;
  }

  scheduleBackstop(): void {
    this.backstop = this.o.clock.setTimeout(() => {
      if (!this.o.claiming()) return;
      if (!this.wanted) this.pollOnly = true;
      this.want();
      this.scheduleBackstop();
    }, this.o.pollMs);
  }

  private want(fromStore = false): void {
    this.wanted = true;
    // No job held: none can free a slot in this turn, so a store's wake claims without waiting for
    // the next one (the turn cost an idle worker's pickup about 0.02 ms at the median, and let due
    // timers run first: a checkpoint among them took up to 25 ms).
    if (!this.claimInFlight && this.o.claiming()) this.loopDone = this.loop(fromStore && this.o.heldCount() === 0);
  }

  /**
   * Once a claim came back short, wakes (any commit by any process, under SQLite) are checked
   * first with store.claimable(): a read of the claim index, which takes no write lock, instead
   * of a claim that would take it for nothing while other workers are busy writing. Never the
   * summary counters: one that drifted would leave this worker idle on a non-empty queue.
   */
  private async anyPending(): Promise<boolean> {
    try {
      return await this.o.store.claimable();
    } catch {
      return true; // let the claim find out (and log) what is wrong
    }
  }

  private async loop(now = false): Promise<void> {
    this.claimInFlight = true;
    try {
      // Jobs that finish together (one group commit of their completes) each wake this loop in the
      // same turn: let all of them free their slots first, so one claim fills every free slot
      // (claiming at the first wake took 1 job, then the rest: twice the write transactions).
      if (!now) await new Promise<void>((resolve) => setImmediate(resolve));
      while (this.wanted && this.o.claiming()) {
        this.wanted = false;
        const pollOnly = this.pollOnly;
        this.pollOnly = false;
        const free = this.o.free();
        if (free <= 0) break; // a finishing job wakes the loop again
        // With SKIP LOCKED a claim takes no lock others wait on, so after a wake it is itself the
        // cheapest check. Not for the backstop poll of an empty queue, which almost always finds
        // nothing: there a read of the claim index replaces an UPDATE whose statement triggers run
        // even when it changes no row (32 idle processes made 32 of them a second). A wake that
        // arrives during the read sets `wanted` again and claims on the next turn.
        if (this.queueLooksEmpty && (pollOnly || !this.o.store.capabilities.skipLocked) && !(await this.anyPending())) {
          this.ranDryIfIdle(0);
          continue;
        }
        // A stop during the read above found no claim to abort: none may go out after it.
        if (!this.o.claiming()) break;
        let claimed: ClaimedJob[];
        const abort = new AbortController();
        this.claimAbort = abort;
        try {
          claimed = await this.o.store.claim({
            workerId: this.o.workerId, limit: free, leaseMs: this.o.leaseMs, signal: abort.signal,
            // A claim that committed as the worker stopped, handed back by the store itself (PostgreSQL):
            // released as surely as those handed back below, so counted and logged the same.
            onReleased: (jobIds) => { for (const jobId of jobIds) this.released(jobId, 'the store handed it back'); },
          });
        } catch (error) {
          // Unreachable database: the backstop poll tries again; no tight retry loop.
          // Not `claim`: that verb is a transition (one line a job picked up); counting claims by
          // event must not count the attempts that picked up nothing.
          this.o.logger.warn({ event: 'claim-failed', workerId: this.o.workerId, err: errorText(error) },
            'Worker: claim failed; the backstop poll tries again');
          break;
        } finally {
          this.claimAbort = null;
        }
        if (!this.o.claiming()) {
          // Stopped while the claim was in flight: hand the jobs straight back.
          await Promise.all(claimed.map(async (c) => {
            if (await this.o.store.release(c).catch(() => false)) this.released(c.jobId, 'handed back');
          }));
          break;
        }
        // In the order the store gives (queue order: priority, then the datasets' turns, then id).
        for (const c of claimed) this.o.start(c);
        // A full batch means more may be waiting; a short one, that the queue ran dry.
        if (claimed.length === free) this.wanted = true;
        this.queueLooksEmpty = claimed.length < free;
        this.ranDryIfIdle(claimed.length);
      }
    } finally {
      this.claimInFlight = false;
    }
  }

  /** Counts and logs a job of a claim that came back as the worker stopped, released back to pending. */
  private released(jobId: number, how: string): void {
    this.o.counters.released++;
    this.o.logger.info({ event: 'release', jobId, workerId: this.o.workerId },
      `Worker: Released job ${jobId} back to pending (claimed as the worker stopped; ${how})`);
  }

  /** Calls onRanDry once per run of work: running, nothing held, nothing claimed, something finished since the last call. */
  private ranDryIfIdle(claimed: number): void {
    // After an await (the claim, the claimable() read): a stop may have begun meanwhile.
    if (!this.o.claiming() || claimed > 0 || this.o.heldCount() > 0 || this.doneSinceRanDry === 0) return;
    this.doneSinceRanDry = 0;
    try {
      this.o.ranDry();
    } catch (error) {
      this.o.logger.warn({ event: 'ran-dry-hook', workerId: this.o.workerId, err: errorText(error) },
        'Worker: the ran-dry hook threw; claiming goes on');
    }
  }
}
