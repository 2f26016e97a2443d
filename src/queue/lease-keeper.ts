import { every, type Clock, type TimerHandle } from './clock.js';
import type { Lease } from './job.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import { LogThrottle, logThrottleIntervalMs, moreTimes } from './log-throttle.js';

/**
 * LeaseKeeper renews the leases of the jobs this worker runs, every lease/3, and notices the
 * ones it no longer holds.
 *
 * It lives on the main thread on purpose: optimizations run in worker threads, so a long fit can
 * never starve a renewal and get its job rescued from under it.
 *
 * Two loops, both on the injected clock:
 * - renew, every leaseMs/3 (leaseMs/30 after a refused round): a lease the store will not extend
 *   is lost (rescued, cancelled, taken);
 * - check, every checkMs (~250 ms) and at once on `checkNow()` (a 'cancel' wake): store.lost()
 *   names the jobs cancelled or superseded meanwhile, so a cancelled running job stops within 1 s.
 * Lost jobs go to `onLost`; the keeper itself never aborts anything.
 */
export interface LeaseKeeperOptions {
  store: QueueStore;
  clock: Clock;
  leaseMs: number;
  checkMs?: number; // default 250
  logger: QueueLogger;
  workerId: string;
  /** The leases held right now. */
  held(): Lease[];
  /** Jobs whose lease is gone; `via` says which loop noticed. */
  onLost(jobIds: number[], via: 'renew' | 'check'): void;
  /** Successful renewals, for the counters. */
  onRenewed?(jobIds: number[]): void;
}

export class LeaseKeeper {
  private loops: Array<{ stop(): void }> = [];
  private checking: Promise<void> | null = null;
  private recheck = false;
  /** Checks the store did not answer (an outage fails one every 250 ms): which of them get a line. */
  private readonly unanswered: LogThrottle<'unanswered'>;

  constructor(private readonly options: LeaseKeeperOptions) {
    this.unanswered = new LogThrottle({ clock: options.clock, kinds: ['unanswered'], intervalMs: leaseCheckSummaryMs });
  }

  start(): void {
    if (this.loops.length > 0) return;
    const { clock, leaseMs } = this.options;
    this.loops.push(this.renewLoop());
    this.loops.push(every(clock, this.options.checkMs ?? 250, () => this.check()));
  }

  /**
   * Renews every leaseMs/3; after a renewal the database refused, tries again soon (leaseMs/30)
   * instead of a full period later, so a worker waiting out another process's lock is first in
   * line when it lifts and its leases do not run out while it waits.
   */
  private renewLoop(): { stop(): void } {
    const { clock, leaseMs } = this.options;
    const periodMs = Math.max(1, Math.floor(leaseMs / 3));
    const retryMs = Math.max(1, Math.floor(leaseMs / 30));
    let stopped = false;
    let timer: TimerHandle | null = null;
    const schedule = (ms: number) => {
      if (stopped) return;
      timer = clock.setTimeout(() => {
        timer = null;
        void this.renew().then((ok) => schedule(ok ? periodMs : retryMs), () => schedule(retryMs));
      }, ms);
    };
    schedule(periodMs);
    return {
      stop() {
        stopped = true;
        timer?.cancel();
      },
    };
  }

  stop(): void {
    for (const loop of this.loops) loop.stop();
    this.loops = [];
  }

  /** Asks the store now which held leases are gone (a 'cancel' wake). Calls never overlap. */
  checkNow(): void {
    void this.check();
  }

  /** One round of renewals; false when the database refused it (it is tried again soon). */
  async renew(): Promise<boolean> {
    const { store, leaseMs, logger, workerId } = this.options;
    const leases = this.options.held();
    if (leases.length === 0) return true;
    let renewed: number[];
    try {
      renewed = await store.renew(leases, leaseMs);
    } catch (error) {
      // The database is unreachable or locked: keep running, the next try may get through well
      // before the lease runs out.
      logger.warn({ event: 'renew', workerId, jobIds: leases.map((l) => l.jobId), err: errorText(error) },
        'Worker: could not renew leases');
      return false;
    }
    const kept = new Set(renewed);
    for (const id of renewed) logger.info({ event: 'renew', workerId, jobId: id, leaseMs }, `Worker: Renewed the lease of job ${id}`);
    this.options.onRenewed?.(renewed);
    const lost = leases.filter((lease) => !kept.has(lease.jobId)).map((lease) => lease.jobId);
    if (lost.length > 0) this.options.onLost(lost, 'renew');
    return true;
  }

  check(): Promise<void> {
    if (this.checking) {
      this.recheck = true;
      return this.checking;
    }
    this.checking = this.checkOnce().finally(() => {
      this.checking = null;
      if (this.recheck) {
        this.recheck = false;
        void this.check();
      }
    });
    return this.checking;
  }

  private async checkOnce(): Promise<void> {
    const leases = this.options.held();
    if (leases.length === 0) return;
    let lost: number[];
    try {
      lost = await this.options.store.lost(leases);
    } catch (error) {
      // The store did not answer (an outage, a lock): nothing was fenced, and nothing is known lost.
      this.unansweredCheck(errorText(error));
      return;
    }
    this.answeredCheck();
    if (lost.length > 0) this.options.onLost(lost, 'check');
  }

  /**
   * The first unanswered check is logged at once; then at most one line a minute counts the rest,
   * so an outage writes a few lines, not four a second.
   */
  private unansweredCheck(err: string): void {
    const line = this.unanswered.occur('unanswered');
    if (line?.line === 'first') {
      this.options.logger.warn({ event: 'lease-check', workerId: this.options.workerId, err },
        'Worker: could not check leases (the store did not answer); the next check tries again');
    } else if (line?.line === 'repeat') {
      this.options.logger.warn({ event: 'lease-check', workerId: this.options.workerId, err, unanswered: line.total },
        `Worker: could not check leases ${moreTimes(line.total)} since the last line (the store does not answer); still trying`);
    }
  }

  private answeredCheck(): void {
    const line = this.unanswered.recover();
    if (!line) return;
    const seconds = Math.round(line.elapsedMs / 1000);
    const more = line.total > 0 ? `; ${line.total} more unanswered since the last line` : '';
    this.options.logger.info({ event: 'lease-check', workerId: this.options.workerId, state: 'answered', seconds, unanswered: line.total },
      `Worker: the store answers lease checks again (after ${seconds} s${more})`);
  }
}

/** At most one line about unanswered lease checks per this period, after the first. */
export const leaseCheckSummaryMs = logThrottleIntervalMs;

export function errorText(error: unknown): string {
  if (error instanceof Error) return error.message;
  return String(error);
}
