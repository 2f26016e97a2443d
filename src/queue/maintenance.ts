import { every, systemClock, type Clock } from './clock.js';
import type { QueueStore } from './queue-store.js';
import type { QueueLogger } from './queue-logger.js';
import { errorText } from './lease-keeper.js';

/**
 * Maintenance returns expired leases to the queue: store.rescue() every ~leaseMs/4, so a job
 * whose worker was SIGKILLed (or whose host died) is pending again within one lease period and
 * fails with a reason once its attempts are used up. Any number of processes may run it at once:
 * rescue is one idempotent statement.
 *
 * Optionally (off by default) it prunes completed jobs older than `pruneAfterMs`.
 */
export interface MaintenanceOptions {
  store: QueueStore;
  logger: QueueLogger;
  clock?: Clock;
  leaseMs?: number; // default 30 s; rescue runs every leaseMs/4
  rescueMs?: number; // overrides leaseMs/4
  pruneAfterMs?: number | null; // default null: never prune
  pruneEveryMs?: number; // default 1 h
  onRescued?(rescued: number, failed: number): void;
}

export class Maintenance {
  private loops: Array<{ stop(): void }> = [];
  private readonly clock: Clock;

  constructor(private readonly options: MaintenanceOptions) {
    this.clock = options.clock ?? systemClock;
  }

  start(): void {
    if (this.loops.length > 0) return;
    const leaseMs = this.options.leaseMs ?? 30_000;
    const rescueMs = this.options.rescueMs ?? Math.max(50, Math.floor(leaseMs / 4));
    this.loops.push(every(this.clock, rescueMs, () => this.rescue()));
    if (this.options.pruneAfterMs != null) {
      this.loops.push(every(this.clock, this.options.pruneEveryMs ?? 3_600_000, () => this.prune()));
    }
  }

  stop(): void {
    for (const loop of this.loops) loop.stop();
    this.loops = [];
  }

  async rescue(): Promise<void> {
    const { store, logger } = this.options;
    try {
      const result = await store.rescue();
      if (result.rescued + result.failed === 0) return;
      for (const jobId of result.jobIds) {
        logger.info({ event: 'rescue', jobId }, `Maintenance: Rescued job ${jobId}: its lease expired`);
      }
      logger.info({ event: 'rescue', rescued: result.rescued, failed: result.failed },
        `Maintenance: ${result.rescued} job(s) back to pending, ${result.failed} failed after their last attempt`);
      this.options.onRescued?.(result.rescued, result.failed);
    } catch (error) {
      logger.warn({ event: 'rescue', err: errorText(error) }, 'Maintenance: rescue failed');
    }
  }

  async prune(): Promise<void> {
    const { store, logger, pruneAfterMs } = this.options;
    if (pruneAfterMs == null) return;
    try {
      const deleted = await store.prune({ before: this.clock.now() - pruneAfterMs, statuses: ['completed'] });
      if (deleted > 0) logger.info({ event: 'prune', deleted }, `Maintenance: Pruned ${deleted} completed job(s)`);
    } catch (error) {
      logger.warn({ event: 'prune', err: errorText(error) }, 'Maintenance: prune failed');
    }
  }
}
