import pino from 'pino';
import { parseEnv, settings } from '../config/env.js';
import { logDestination } from '../config/log-destination.js';
import { takeSupervisedMark } from '../config/supervised-mark.js';
import { armStopBound } from '../stores/close-store-within.js';
import { openStore, storeConfigFromEnv, workerPoolMax } from '../stores/open-store.js';
import type { Store } from '../stores/store.js';
import { systemClock } from '../queue/clock.js';
import { Maintenance } from '../queue/maintenance.js';
import { ListenTroubleLog } from './listen-trouble-log.js';
import { defaultShutdownMs, defaultStopNowMs, newWorkerId, startWorker, type WorkerHandle } from './run-worker.js';

/**
 * `skucast worker` / `node server.js worker`: opens the store, runs a worker and Maintenance
 * (rescue of expired leases) until a signal, logging JSON lines to stdout.
 *
 * Signals: the first SIGTERM or SIGINT stops claiming, lets running jobs finish for up to
 * `shutdownMs`, releases what is left back to pending, closes the store and resolves. That stop is
 * bounded from the signal, even one that came while the store was still opening (behind a lock):
 * past `shutdownMs` + `closeTimeoutMs` (SKUCAST_STORE_CLOSE_MS, 10 s; the sum clamped to what a
 * timer holds) the process exits 1 saying which stage had not ended (armStopBound). A second
 * signal stops at once (code 130 for SIGINT, 143 for SIGTERM): the fits are aborted, and within
 * about a second (defaultStopNowMs) the running jobs are released to pending (fenced by their
 * leases, the attempt given back) and the registry row marked stopped; what the store has not
 * answered by then is left to the leases (another worker rescues those jobs) and the row to go
 * stale. A third signal exits without waiting. Once the drain is over (`Worker:
 * stopped`), a signal during the store's close is logged and ignored: nothing is left to stop, and
 * the exit code then says how the drain went, not that a signal came twice.
 *
 * Under `skucast start` (SKUCAST_SUPERVISED=1 from the supervisor, and its IPC channel still
 * connected) a repeated signal is not "at once": systemd's default KillMode=control-group signals
 * every process of the unit and the supervisor forwards its own, so a worker gets SIGTERM twice on
 * every plain stop. There "at once" belongs to the supervisor: its SIGKILL after killAfterMs, or
 * its own exit (a second Ctrl-C to `skucast start`), which a draining worker takes as the second
 * signal. Once the supervisor is gone nobody is left to SIGKILL, so a second signal is "at once"
 * again. An IPC channel alone is no marker: PM2 and any fork() give one. `npm run dev` sets the
 * marker on its worker (scripts/dev-worker.mjs), whom one Ctrl-C reaches twice.
 */

export interface WorkerCommandOptions {
  databaseUrl?: string;
  /** Where databaseUrl came from, for messages (StoreConfig.databaseUrlFrom). */
  databaseUrlFrom?: string;
  databasePath?: string;
  concurrency?: number;
  prefetch?: number;
  leaseMs?: number;
  shutdownMs?: number;
  pollMs?: number;
  handler?: 'forecast' | 'noop';
  noopMs?: number;
  workerId?: string;
  runTimeoutS?: number;
  logLevel?: string;
  /** What the stop may take past `shutdownMs` before the process exits without it; default SKUCAST_STORE_CLOSE_MS. */
  closeTimeoutMs?: number;
  /** With handler noop: run even though the database holds datasets (a test database); refused otherwise. */
  noopWithDatasets?: boolean;
}

export async function workerCommand(opts: WorkerCommandOptions = {}): Promise<void> {
  const destination = logDestination(settings().logFormat);
  const logOptions = { level: opts.logLevel ?? settings().logLevel, base: { pid: process.pid } };
  const logger = destination ? pino(logOptions, destination) : pino(logOptions);
  const leaseMs = opts.leaseMs ?? 30_000;
  const shutdownMs = opts.shutdownMs ?? defaultShutdownMs;
  const closeTimeoutMs = opts.closeTimeoutMs ?? settings().storeCloseMs;

  // Signal handlers go in before the first claim: a SIGTERM that arrives while the worker is
  // starting must still drain, not kill the process with a job half-claimed.
  let worker: WorkerHandle | null = null;
  let maintenance: Maintenance | null = null;
  let signals = 0;
  /** The second signal's stop at once is under way (its releases and its `stopped` mark, bounded). */
  let stoppingNow = false;
  /** The drain is over and the store closing: a signal now is logged and ignored (below). */
  let closing = false;
  let stopAsked!: () => void;
  const stopRequested = new Promise<void>((resolve) => (stopAsked = resolve));
  const supervised = takeSupervisedMark();
  const parentName = supervised ? 'its supervisor' : 'the parent process';
  // Armed at the first signal, not once started: a signal while openStore or the first beat waits
  // behind a lock (LOCK TABLE workers, the migration lock) had no bound at all.
  let disarmBound: (() => void) | null = null;
  const disarmStopBound = () => disarmBound?.();
  const stopPending = () => {
    if (worker === null) return { message: 'Worker: still starting (opening the store, the first registry beat) when the stop\'s bound passed (the database does not answer?); exiting without it', fields: { stage: 'start' } };
    if (!closing) {
      return {
        message: 'Worker: its drain had not ended when the stop\'s bound passed (a job that ignored its abort, or the releases and the last registry beat waiting on the database); exiting without it',
        fields: { stage: 'drain', running: worker.runner.running },
      };
    }
    return { message: 'Worker: the store did not close in time (the database does not answer?); exiting without it', fields: { stage: 'close' } };
  };
  const onSignal = (signal: NodeJS.Signals, from: 'signal' | 'parent' = 'signal') => {
    // Nothing is left to stop at once: the jobs are finished or released, and what the close still
    // writes (PostgreSQL's batched completes) is lost to an exit (those jobs run again after a
    // rescue), while the close is bounded (the stop's bound, armStopBound). Exiting here by the default action
    // made a clean stop exit 143 for a service manager that repeats its SIGTERM.
    if (closing) {
      logger.info({ event: 'signal', signal }, `Worker: ${signal} while closing the store after its drain: ignored (the whole stop is bounded, --shutdown-ms + SKUCAST_STORE_CLOSE_MS from the first signal: ${shutdownMs + closeTimeoutMs} ms)`);
      return;
    }
    signals++;
    if (signals === 1) {
      stopAsked();
      // The jobs get shutdownMs; what the stop still writes (releases, the last beat) and the
      // store's close get closeTimeoutMs after it.
      disarmBound = armStopBound({ logger, timeoutMs: shutdownMs + closeTimeoutMs, pending: stopPending });
      const what = from === 'parent' ? `${parentName} is gone` : `${signal} received`;
      logger.info({ event: 'signal', signal }, supervised && process.connected
        ? `Worker: ${what}: finishing running jobs`
        : `Worker: ${what}: finishing running jobs (send SIGTERM or SIGINT again to stop at once)`);
      maintenance?.stop();
      void worker?.stop({ graceful: true });
      return;
    }
    // Only while the supervisor is there to SIGKILL: an orphan's drain that hangs would stay hung.
    if (supervised && from === 'signal' && process.connected) {
      logger.info({ event: 'signal', signal }, `Worker: ${signal} again: still finishing running jobs (its supervisor, skucast start or npm run dev, stops a worker at once itself)`);
      return;
    }
    const code = signal === 'SIGINT' ? 130 : 143;
    // A third signal while the immediate stop waits for the store: exit now.
    if (stoppingNow || worker === null) process.exit(code);
    stoppingNow = true;
    logger.warn({ event: 'signal', signal }, from === 'parent'
      ? `Worker: ${parentName} is gone while this worker was stopping: stopping at once`
      : `Worker: second ${signal}: stopping at once`);
    // Best effort, bounded: the running jobs released and the row marked stopped within
    // defaultStopNowMs (else left to their leases); the exit comes at that bound whatever answers.
    const exitAnyway = setTimeout(() => process.exit(code), defaultStopNowMs + 500);
    void worker.stop({ graceful: false }).finally(() => {
      clearTimeout(exitAnyway);
      logger.flush?.();
      process.exit(code);
    });
  };
  const onProcessSignal = (signal: NodeJS.Signals) => onSignal(signal);
  process.on('SIGTERM', onProcessSignal);
  process.on('SIGINT', onProcessSignal);
  // Started with an IPC channel (`skucast start`, or another parent): when that parent dies (even
  // by SIGKILL) the channel closes, and the worker drains as on SIGTERM instead of running on as an orphan.
  const onParentGone = () => onSignal('SIGTERM', 'parent');
  if (process.channel) {
    process.channel.unref();
    process.once('disconnect', onParentGone);
  }
  // The parent may have died while this process was still loading: the event is gone by now.
  if (process.send && !process.connected) onParentGone();

  const listenTrouble = new ListenTroubleLog({ logger, clock: systemClock });
  const fromEnv = storeConfigFromEnv();
  // A database the caller named (the CLI resolves flags against the environment) is used as
  // given: falling back to DATABASE_URL here put `--database-path q.db` on PostgreSQL.
  const named = opts.databaseUrl !== undefined || opts.databasePath !== undefined;
  // Known before the store opens: its connections carry it (application_name `skucast:worker:<id>:<schema>`).
  const workerId = opts.workerId ?? newWorkerId();
  let store: Store;
  try {
    store = await openStore({
      processRole: `worker:${workerId}`,
      databaseUrl: named ? opts.databaseUrl : fromEnv.databaseUrl,
      databaseUrlFrom: named ? opts.databaseUrlFrom : undefined,
      databasePath: named ? opts.databasePath : fromEnv.databasePath,
      listenUrl: fromEnv.listenUrl,
      poolMax: workerPoolMax,
      warmPool: true,
      onNewerSchema: (message) => logger.warn({ event: 'newer-schema' }, `Worker: ${message}`),
      onWarmFailure: (error) => logger.warn({ event: 'warm-pool', err: error instanceof Error ? error.message : String(error) },
        'Worker: could not warm the store connections; the first claims open their own'),
      // The store reports once per outage and once when it is back, not per retry; connections
      // dropped over and over are summed up once a minute (listen-trouble-log.ts).
      onListenTrouble: (trouble) => listenTrouble.report(trouble),
    });
    if (opts.handler === 'noop' && !opts.noopWithDatasets) await refuseNoopOnDatasets(store);
  } catch (error) {
    disarmStopBound();
    listenTrouble.stop();
    process.off('SIGTERM', onProcessSignal);
    process.off('SIGINT', onProcessSignal);
    throw error;
  }
  try {
    worker = await startWorker({
      store, logger, leaseMs,
      concurrency: opts.concurrency,
      prefetch: opts.prefetch,
      shutdownMs,
      pollMs: opts.pollMs,
      handler: opts.handler ?? 'forecast',
      noopMs: opts.noopMs,
      noopForecastWork: opts.noopWithDatasets === true,
      workerId,
      runTimeoutS: opts.runTimeoutS,
      // A planner opens the forecasts the moment the queue empties: refresh the statistics their
      // reads are planned on then rather than at the next minute's round.
      onRanDry: () => maintenance?.ranDry(),
    });
  } catch (error) {
    // A signal during the start armed the bound: left armed, with the handlers and the store, it
    // kept the process until the bound and then named the stage `start`, hiding this error. The
    // close stays under it: a database that does not answer cannot hold the process.
    process.off('SIGTERM', onProcessSignal);
    process.off('SIGINT', onProcessSignal);
    process.off('disconnect', onParentGone);
    listenTrouble.stop();
    await store.close().catch(() => undefined).finally(disarmStopBound);
    throw error;
  }
  const running = worker;
  maintenance = new Maintenance({
    store, logger: logger.child({ workerId: worker.workerId }), leaseMs,
    ...maintenanceRetention(),
    // Every rescue counts, the ones that failed a job on its last attempt too (they are rescues: docs/state-machine.md).
    onRescued: (rescued, failed) => void (running.runner.counters.rescued += rescued + failed),
  });
  if (signals === 0) maintenance.start();
  else void worker.stop({ graceful: true }); // a signal came while starting

  await Promise.race([stopRequested, worker.stopped]);
  // Bounded from the signal (armStopBound, above): a statement that never answers (a lock someone
  // else holds on the registry, a server gone silent) holds the stop's last beat or a release, and
  // with it the store's close (pool.end() waits for it), and kept the process after SIGTERM until its kill.
  try {
    await running.stopped;
  } finally {
    closing = true;
    maintenance?.stop();
    process.off('disconnect', onParentGone);
    listenTrouble.stop();
    await store.close().finally(disarmStopBound);
  }
  process.off('SIGTERM', onProcessSignal);
  process.off('SIGINT', onProcessSignal);
  logger.flush?.();
}

/**
 * The noop handler is for benchmarks: on a database with datasets it would take their forecast
 * jobs and complete them with no forecast (the SKU then shows nothing). Refused before the first
 * claim, the store closed; `--noop-with-datasets` for a test database that has some.
 */
export async function refuseNoopOnDatasets(store: Store): Promise<void> {
  const datasets = await store.listDatasets();
  if (datasets.length === 0) return;
  await store.close();
  throw new Error(`--handler noop (benchmarks) refuses a database that holds datasets (${datasets.length}, e.g. '${datasets[0].name}'): `
    + 'it would complete their forecast jobs with no forecast; run --handler forecast, or pass --noop-with-datasets for a test database');
}

/**
 * How long finished jobs are kept: SKUCAST_RETENTION_DAYS (default 30; 0 keeps everything). The
 * newest result per SKU and model of an existing dataset is kept whatever its age.
 */
export function retentionMs(env?: NodeJS.ProcessEnv): number | null {
  const days = (env ? parseEnv(env) : settings()).retentionDays;
  return days === 0 ? null : Math.round(days * 86_400_000);
}

/**
 * The worker's maintenance retention: finished jobs after SKUCAST_RETENTION_DAYS (retentionMs), and the
 * API's idempotency keys after 24 hours whatever it says (a retry cache, not history).
 */
export function maintenanceRetention(env?: NodeJS.ProcessEnv): { pruneAfterMs: number | null; pruneIdempotencyKeys: true } {
  return { pruneAfterMs: retentionMs(env), pruneIdempotencyKeys: true };
}
