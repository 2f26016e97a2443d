import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { Logger } from 'pino';
import type { QueueStore } from '../queue/queue-store.js';

/**
 * WorkerSupervisor keeps N worker processes (`node server.js worker`) alive beside the API.
 *
 * Modes:
 * - running: a worker that exits is restarted after a backoff (1 s doubling to 30 s; the count
 *   starts over once a worker has stayed up for a minute), so a crash loop cannot spin the CPU.
 * - stopping: the signal is forwarded to every worker and no one is restarted; stop() resolves
 *   when all have exited (SIGKILL after killAfterMs, should one hang).
 * Workers run in their own process group (detached) so a terminal's Ctrl-C reaches them once,
 * through us, rather than twice.
 *
 * Each process gets a worker id of its own (`--worker-id`, appended to `args`), so the supervisor
 * knows which registry row is whose: once a child has exited (its 'exit' event: the process is
 * gone) the row of that id and pid is marked stopped (`registry.markWorkerStopped`). A worker that
 * stopped gracefully wrote that itself and the mark changes nothing; one that was SIGKILLed or
 * crashed would otherwise stay `running` in /api/health and count in `skucast_workers{status="stale"}`
 * until the registry forgets it a day later, long after it was restarted. Its jobs are not touched:
 * they stay `running` until the lease expires and a worker's maintenance rescues them, as before.
 */
export interface WorkerSupervisorOptions {
  count: number;
  serverJs: string;
  args?: string[];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  killAfterMs?: number;
  /** The backoff before restart n (0-based). */
  backoffMs?: (restart: number) => number;
  /** Where a worker that exited is marked stopped; without one, nothing is written. */
  registry?: Pick<QueueStore, 'markWorkerStopped'>;
  /** How long stop() waits for marks still being written before it logs and returns. Default 5 s. */
  markTimeoutMs?: number;
}

interface Slot {
  index: number;
  child: ChildProcess | null;
  startedAt: number;
  restarts: number;
  timer: NodeJS.Timeout | null;
  exited: Promise<void>;
}

const stableAfterMs = 60_000;
/** How long stop() waits for a worker before SIGKILL; stop-start.ts gives HTTP requests as long. */
export const defaultKillAfterMs = 60_000;
const defaultBackoff = (n: number) => Math.min(30_000, 1000 * 2 ** n);

export class WorkerSupervisor {
  private readonly slots: Slot[] = [];
  private stopping = false;
  /** Registry marks still being written: stop() waits for them, so they land before the store closes. */
  private readonly marks = new Set<Promise<void>>();
  /** How many times a worker was restarted, for logs and tests. */
  restarts = 0;

  constructor(private readonly options: WorkerSupervisorOptions) {}

  start(): void {
    for (let i = 0; i < this.options.count; i++) {
      const slot: Slot = { index: i, child: null, startedAt: 0, restarts: 0, timer: null, exited: Promise.resolve() };
      this.slots.push(slot);
      this.spawn(slot);
    }
  }

  pids(): number[] {
    return this.slots.flatMap((s) => (s.child?.pid !== undefined && s.child.exitCode === null && s.child.signalCode === null ? [s.child.pid] : []));
  }

  private spawn(slot: Slot): void {
    const { serverJs, args = ['worker'], env, logger } = this.options;
    // The id names this start: like a worker's default (host-pid-random), with our pid and the slot.
    const workerId = `${hostname()}-${process.pid}w${slot.index}-${randomBytes(3).toString('hex')}`;
    // SKUCAST_SUPERVISED marks this parent (not just any IPC channel) as the one that stops a
    // draining worker at once itself: worker-command.ts ignores a repeated signal only then.
    const child = spawn(process.execPath, [serverJs, ...args, '--worker-id', workerId], { env: { ...env, SKUCAST_SUPERVISED: '1' }, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], detached: true });
    slot.child = child;
    slot.startedAt = Date.now();
    slot.exited = new Promise((resolve) => {
      child.once('exit', (code, signal) => {
        this.markStopped(slot.index, workerId, child.pid);
        resolve();
        this.onExit(slot, child, code, signal);
      });
    });
    child.once('error', (error) => logger.error({ err: error, worker: slot.index }, 'worker process could not start'));
    logger.info({ worker: slot.index, workerPid: child.pid, workerId }, 'worker process started');
  }

  /** The process is gone: its registry row says so (a no-op when it wrote `stopped` itself). */
  private markStopped(index: number, workerId: string, pid: number | undefined): void {
    const { registry, logger } = this.options;
    if (!registry || pid === undefined) return;
    const mark = registry.markWorkerStopped({ workerId, pid }).then(
      (changed) => {
        if (changed) {
          logger.info({ worker: index, workerId, workerPid: pid },
            'worker process marked stopped in the registry; its running jobs go back to pending when their leases expire');
        }
      },
      (error: unknown) => logger.warn({ worker: index, workerId, workerPid: pid, err: error },
        'could not mark the worker process stopped in the registry; it shows as stale until forgotten'),
    ).finally(() => this.marks.delete(mark));
    this.marks.add(mark);
  }

  private onExit(slot: Slot, child: ChildProcess, code: number | null, signal: NodeJS.Signals | null): void {
    if (slot.child !== child) return;
    slot.child = null;
    const { logger } = this.options;
    if (this.stopping) {
      logger.info({ worker: slot.index, workerPid: child.pid, code, signal }, 'worker process stopped');
      return;
    }
    if (Date.now() - slot.startedAt > stableAfterMs) slot.restarts = 0;
    const delay = (this.options.backoffMs ?? defaultBackoff)(slot.restarts);
    slot.restarts++;
    this.restarts++;
    logger.warn({ worker: slot.index, workerPid: child.pid, code, signal, restartInMs: delay }, 'worker process exited unexpectedly; restarting');
    slot.timer = setTimeout(() => {
      slot.timer = null;
      if (!this.stopping) this.spawn(slot);
    }, delay);
  }

  /** Forwards the signal to every worker and waits until they have all exited. */
  async stop(signal: NodeJS.Signals = 'SIGTERM'): Promise<void> {
    this.stopping = true;
    const killAfterMs = this.options.killAfterMs ?? defaultKillAfterMs;
    const waits: Array<Promise<void>> = [];
    for (const slot of this.slots) {
      if (slot.timer) clearTimeout(slot.timer);
      slot.timer = null;
      const child = slot.child;
      if (!child || child.exitCode !== null || child.signalCode !== null) continue;
      child.kill(signal);
      const killer = setTimeout(() => {
        this.options.logger.warn({ worker: slot.index, workerPid: child.pid }, 'worker process did not stop in time; killing it');
        child.kill('SIGKILL');
      }, killAfterMs);
      waits.push(slot.exited.finally(() => clearTimeout(killer)));
    }
    await Promise.all(waits);
    await this.marksWritten();
  }

  /**
   * The marks still being written, for at most markTimeoutMs: a PostgreSQL write that hangs after
   * its connection was made (no error, no answer) would otherwise keep `skucast start` from exiting.
   * A mark not written leaves the row `running`: stale in /api/health after a minute, as any
   * killed worker's. It still holds its pooled connection, so the store's close that follows has
   * a bound of its own (stop-start.ts).
   */
  private async marksWritten(): Promise<void> {
    if (this.marks.size === 0) return;
    const timeoutMs = this.options.markTimeoutMs ?? 5000;
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), timeoutMs)));
    const outcome = await Promise.race([Promise.all([...this.marks]).then(() => 'written' as const), timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      this.options.logger.warn({ pending: this.marks.size, timeoutMs },
        'worker registry marks not written in time; stopping without them (those workers show as stale until forgotten)');
    }
  }
}
