import { hostname, availableParallelism } from 'node:os';
import { randomBytes } from 'node:crypto';
import type { Store } from '../stores/store.js';
import { every, systemClock, type Clock, type TimerHandle } from '../queue/clock.js';
import type { Job } from '../queue/job.js';
import type { JobHandler } from '../queue/job-handler.js';
import type { QueueLogger } from '../queue/queue-logger.js';
import { Runner } from '../queue/runner.js';
import { errorText } from '../queue/lease-keeper.js';
import { ForecastHandler, isInputDataError } from './forecast-handler.js';
import { NoopHandler } from './noop-handler.js';
import { SnapshotTrigger } from './snapshot-trigger.js';
import { runTimeoutS } from './run-timeout.js';

/**
 * A worker: a Runner (claim loop, leases, settle) over one store, the handler it runs, and a
 * heartbeat into the worker registry every few seconds (with the event counters, for /metrics, and
 * how many held jobs are not fitting yet, for the API's summary).
 *
 * Modes: running -> stopping (stop({graceful: true}): no new claims, running jobs get
 * `shutdownMs` to finish, the rest are released to pending) -> stopped. stop({graceful: false})
 * aborts everything and, within `stopNowMs` (1 s), releases the held jobs and beats `stopped`; what
 * the store has not answered by then is left to the leases (other workers rescue the jobs) and the
 * row to go stale.
 */
export interface WorkerOptions {
  store: Store;
  logger: QueueLogger;
  concurrency?: number; // fits at once (threads of the forecast handler); default: the number of CPUs
  /**
   * Forecast handler only: jobs held beyond `concurrency`, claimed and read ahead while every
   * thread is busy. Default `concurrency`: one per thread, posted to it behind its current fit
   * (ThreadPool depth 2), so the thread starts that fit the moment it ends one instead of idling
   * while the main thread reads the result, settles the job and answers (bench:e2e, docs/datasets.md:
   * 4.5-9.7% less wall time than prefetch 1 without posting ahead in four interleaved pairs; with
   * posting ahead, prefetch 1 and 4 per 2 threads were both slower than one per thread). A job held
   * beyond that is one another idle worker process could be running. 0 turns it off. They wait
   * with their leases renewed; their run timeout starts when their fit does; a graceful stop
   * releases them at once.
   */
  prefetch?: number;
  leaseMs?: number; // default 30 s
  pollMs?: number; // backstop claim poll, default 1 s
  shutdownMs?: number; // graceful drain deadline, default 30 s
  heartbeatMs?: number; // default 5 s
  handler?: 'forecast' | 'noop' | JobHandler;
  /** For the noop handler: pretend each job takes this long. */
  noopMs?: number;
  /** --noop-with-datasets: the noop handler completes forecast jobs too (a test database). */
  noopForecastWork?: boolean;
  workerId?: string;
  clock?: Clock;
  /** `--run-timeout-s`: replaces the per-family defaults; a dataset's runTimeoutS still wins. */
  runTimeoutS?: number;
  /** The runner's onRanDry: this worker ran dry after finishing work. */
  onRanDry?: () => void;
  /** stop({graceful: false})'s bound on its releases and its last beat; default defaultStopNowMs. */
  stopNowMs?: number;
}

export interface WorkerHandle {
  readonly workerId: string;
  readonly runner: Runner;
  /**
   * Graceful: drain then release. Not graceful: abort at once, release the held jobs and beat
   * `stopped`, waiting for the store at most `stopNowMs` (best effort; then left to the leases). Idempotent.
   */
  stop(options: { graceful: boolean }): Promise<void>;
  readonly stopped: Promise<void>;
  /**
   * Resolves once every heartbeat sent so far, and any sent while waiting, has been written (or
   * has failed, which beat() logs): a caller about to read its own row in the registry.
   */
  heartbeatsWritten(): Promise<void>;
}

/** How long running jobs get to finish on a graceful stop (`--shutdown-ms`). */
export const defaultShutdownMs = 30_000;

/** How long an immediate stop (a second signal) waits for its releases and its `stopped` mark before leaving them to the lease. */
export const defaultStopNowMs = 1_000;

export function newWorkerId(): string {
  return `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
}

export async function startWorker(options: WorkerOptions): Promise<WorkerHandle> {
  const { store, logger } = options;
  const clock = options.clock ?? systemClock;
  const workerId = options.workerId ?? newWorkerId();
  const concurrency = options.concurrency ?? availableParallelism();
  const shutdownMs = options.shutdownMs ?? defaultShutdownMs;
  const handler = makeHandler(options, workerId, concurrency);
  // Only a handler that queues its runs for `concurrency` threads can hold more jobs than that;
  // for any other one a slot is a job running.
  const prefetch = handler.queuesRuns ? Math.max(0, Math.floor(options.prefetch ?? concurrency)) : 0;
  const slots = concurrency + prefetch;
  const snapshots = new SnapshotTrigger(store, logger, workerId);
  const runner = new Runner({
    store, handler, workerId, logger, concurrency: slots, clock,
    leaseMs: options.leaseMs, pollMs: options.pollMs,
    isPermanent: isInputDataError,
    // While this worker still runs another job of the dataset, it is not finished: no query.
    onSettled: (job) => {
      if (job.datasetId !== null && !runner.hasRunningJobsOf(job.datasetId)) snapshots.settled(job.datasetId);
    },
    runTimeoutMs: runTimeoutLookup(store, clock, options.runTimeoutS ?? null),
    onRanDry: options.onRanDry,
  });
  const startedAt = clock.now();
  let status: 'running' | 'stopping' | 'stopped' = 'running';

  // A beat says `running` and `waitingForThread` as they are when it is sent. Both move with every
  // claim and every fit that starts: a beat on each change would be a registry write per job (on
  // SQLite one more turn of the one write lock, on the claims' and completes' path), so the API's
  // split lags up to a beat instead (summary.waitingForThread, clamped there to the store's running).
  // Each beat is dated after the one before, even when the clock steps back (an NTP step): the
  // store keeps a beat of this start out of a row holding a later one, so beats dated by the clock
  // alone were dropped, the stop's 'stopped' too, until the clock caught up again.
  let lastBeatAt = -Infinity;
  const beat = async () => {
    const at = Math.max(clock.now(), lastBeatAt + 1);
    lastBeatAt = at;
    try {
      const written = await store.heartbeatWorker({
        workerId, host: hostname(), pid: process.pid, concurrency, startedAt,
        lastHeartbeatAt: at, running: runner.running, waitingForThread: runner.waitingForThread, status, counters: { ...runner.counters },
      });
      // Not written: a live later start under this id holds the row (two processes given the same
      // --worker-id, or this one still draining after a restart). Said, since nothing else shows it.
      if (!written) {
        logger.warn({ event: 'heartbeat', workerId, status, startedAt, at },
          `Worker: heartbeat kept out of the registry: a later start under the id ${workerId} holds its row`);
      }
    } catch (error) {
      logger.warn({ event: 'heartbeat', workerId, err: errorText(error) }, 'Worker: heartbeat failed');
    }
  };
  // One beat at a time, each sent once the one before is written: the stop's beats come while a
  // periodic one may be in flight (every().stop() does not wait for it), and one landing after
  // 'stopped' would say running again. (The stores also keep a beat from replacing a later one,
  // by the date beat() gives it.) Never rejects: beat() logs.
  let beating: Promise<void> = Promise.resolve();
  const heartbeat = (): Promise<void> => (beating = beating.then(beat));
  await heartbeat();
  const heartbeats = every(clock, options.heartbeatMs ?? 5_000, heartbeat);
  await runner.start();
  logger.info({ event: 'start', workerId, concurrency, prefetch, store: store.kind, handler: typeof options.handler === 'object' ? 'custom' : options.handler ?? 'forecast' },
    `Worker: ${workerId} started (${concurrency} slot${concurrency === 1 ? '' : 's'}${prefetch > 0 ? ` + ${prefetch} prefetched` : ''}, ${store.kind} store)`);

  let resolveStopped!: () => void;
  const stopped = new Promise<void>((resolve) => (resolveStopped = resolve));
  let stopping: Promise<void> | null = null;
  let stoppingNow: Promise<void> | null = null;

  // The second signal, or a caller in a hurry: abort every fit and, within `withinMs` from now,
  // hand the held jobs back (release, fenced by their leases) and beat `stopped` with the counters.
  // A store that does not answer in time leaves the jobs to their leases and the row to go stale;
  // the stop resolves at the bound all the same, so the caller can exit.
  const stopAtOnce = async (withinMs: number): Promise<void> => {
    heartbeats.stop();
    const running = runner.running;
    let timer: TimerHandle | null = null;
    const bound = new Promise<'late'>((resolve) => { timer = clock.setTimeout(() => resolve('late'), withinMs); });
    logger.warn({ event: 'stop', workerId, running, withinMs },
      `Worker: stopping at once: releasing ${running} running job(s) and marking this worker stopped (within ${withinMs} ms, else they are left to their leases)`);
    const releasing = runner.stopNow();
    const closing = handler.close?.().catch(() => undefined);
    const releases = await Promise.race([releasing, bound]);
    // The beat goes out on its own, not behind one in flight (a periodic beat waiting on a lock
    // would hold it): the store keeps a stopped row stopped against a later beat of this start.
    status = 'stopped';
    const beaten = releases === 'late' ? 'late' : await Promise.race([beat().then(() => 'beaten' as const), bound]);
    (timer as TimerHandle | null)?.cancel();
    if (releases === 'late' || beaten === 'late') {
      logger.warn({ event: 'stop', workerId, withinMs, released: releases === 'late' ? undefined : releases.released, counters: runner.counters },
        releases === 'late'
          ? `Worker: stopped at once; the store did not answer the releases within ${withinMs} ms: the jobs not released are left to their leases, and the registry shows this worker stopping until it is stale`
          : `Worker: stopped at once (${releases.released} released); the store did not answer the stopped mark within ${withinMs} ms: the registry shows this worker stopping until it is stale`);
    } else {
      const left = releases.held - releases.released;
      logger.warn({ event: 'stop', workerId, released: releases.released, left, counters: runner.counters },
        `Worker: stopped at once (${releases.released} released${left > 0 ? `, ${left} left to their leases` : ''})`);
    }
    // The threads were terminated as the stop began (their fits aborted); a caller about to exit bounds this wait itself.
    await closing;
    resolveStopped();
  };

  const stop = async ({ graceful }: { graceful: boolean }): Promise<void> => {
    if (!graceful) {
      if (stoppingNow) return stoppingNow;
      stoppingNow = stopAtOnce(options.stopNowMs ?? defaultStopNowMs);
      return stoppingNow;
    }
    if (stopping) return stopping;
    stopping = (async () => {
      status = 'stopping';
      logger.info({ event: 'stop', workerId, running: runner.running, shutdownMs },
        `Worker: stopping: no new jobs; ${runner.running} running job(s) get up to ${shutdownMs} ms to finish`);
      // The drain stops claiming at once (before its first await): awaited after the heartbeat
      // instead, it let the runner claim during that round trip, jobs it then handed back.
      // Beats again once the held jobs that had not started are released: the first beat (sent
      // before that, to say 'stopping' at once) still counts them as running and waiting, and the
      // next periodic one is up to a period away. (That beat can still count them in `running`
      // until their handlers return: DrainHooks.unstartedReleased.)
      const drained = runner.drain(shutdownMs, { unstartedReleased: () => void heartbeat() });
      await heartbeat();
      const { finished, released } = await drained;
      await snapshots.idle();
      heartbeats.stop();
      status = 'stopped';
      await heartbeat();
      await handler.close?.().catch(() => undefined);
      logger.info({ event: 'stop', workerId, finished, released, counters: runner.counters },
        `Worker: stopped (${finished} finished, ${released} released)`);
      resolveStopped();
    })();
    return stopping;
  };

  const heartbeatsWritten = async (): Promise<void> => {
    let last: Promise<void>;
    do {
      last = beating;
      await last;
    } while (last !== beating);
  };

  return { workerId, runner, stop, stopped, heartbeatsWritten };
}

function makeHandler(options: WorkerOptions, workerId: string, concurrency: number): JobHandler {
  const handler = options.handler ?? 'forecast';
  if (typeof handler === 'object') return handler;
  if (handler === 'noop') return new NoopHandler({ workerId, sleepMs: options.noopMs, forecastWork: options.noopForecastWork });
  return new ForecastHandler(options.store, { threads: concurrency, logger: options.logger });
}

/**
 * The run timeout of a job, read when it starts (not frozen at enqueue: it changes no result, so
 * a planner who raises it helps the retries already queued). Datasets are cached for 5 s, the
 * read itself included, so a burst of claims (256 jobs of one dataset at once) reads each once
 * instead of once per job.
 */
function runTimeoutLookup(store: Store, clock: Clock, workerS: number | null): (job: Job) => Promise<number> {
  const cache = new Map<string, { at: number; datasetS: Promise<number | null> }>();
  return async (job) => {
    let datasetS: number | null = null;
    if (job.datasetId) {
      let hit = cache.get(job.datasetId);
      if (!hit || clock.now() - hit.at >= 5_000) {
        const read = store.getDataset(job.datasetId).then((d) => d?.settings.runTimeoutS ?? null);
        hit = { at: clock.now(), datasetS: read };
        cache.set(job.datasetId, hit);
        // a failed read is not kept: the next job reads again
        const failed = hit;
        read.catch(() => { if (cache.get(job.datasetId!) === failed) cache.delete(job.datasetId!); });
      }
      datasetS = await hit.datasetS;
    }
    return runTimeoutS(job, { datasetS, workerS }) * 1_000;
  };
}
