import { availableParallelism } from 'node:os';
import { Option, type Command } from 'commander';
import { settings } from '../../config/env.js';
import { defaultShutdownMs } from '../../worker/run-worker.js';
import { workerCommand as runWorker } from '../../worker/worker-command.js';
import { maxRunTimeoutS } from '../../datasets/dataset-settings.js';
import { integerOption, maxTimerMs, nonBlankOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';

interface WorkerFlags extends DatabaseFlags {
  concurrency?: number;
  prefetch?: number;
  leaseMs?: number;
  shutdownMs?: number;
  handler: 'forecast' | 'noop';
  noopMs?: number;
  workerId?: string;
  runTimeoutS?: number;
  noopWithDatasets?: boolean;
}

/**
 * The shortest lease --lease-ms takes. A worker renews its leases every lease/3 (LeaseKeeper), and a
 * renewal is a database write that can wait on a busy SQLite lock or a PostgreSQL round trip: below
 * about a second the lease lapses between renewals on a loaded machine, and Maintenance rescues jobs
 * that are still running (5 ms meant a renewal every 1 ms). Tests that want shorter leases pass
 * `leaseMs` to startWorker/Maintenance directly.
 */
const minLeaseMs = 1000;

/**
 * The upper bounds of the worker's counts. Not limits anyone should reach: they stop a typo from
 * running (a prefetch past PostgreSQL's bigint failed every claim, forever). The run timeout stops
 * where a dataset's runTimeoutS does (one day), well inside a Node timer's 2^31-1 ms.
 */
export const maxConcurrency = 1024;
const maxPrefetch = 10_000;

/** `skucast worker`: claims and runs jobs until SIGINT/SIGTERM (the worker handles the signals). */
export const workerCliCommand: CliCommand = {
  name: 'worker',
  register(program: Command) {
    const command = program
      .command('worker')
      .description('run a worker: claim jobs from the queue and fit the forecasts')
      .addOption(new Option('--concurrency <n>', `jobs run at once, each in a worker thread (default: CPU count, ${availableParallelism()} here)`).argParser(integerOption(1, maxConcurrency)))
      .addOption(new Option('--prefetch <n>', 'jobs claimed and read ahead beyond --concurrency, so each thread\'s next fit is ready when it finishes one (default: one per thread, --concurrency; 0: none)').argParser(integerOption(0, maxPrefetch)))
      .addOption(new Option('--lease-ms <ms>', `how long a claim holds before it can be rescued, renewed every third of it (at least ${minLeaseMs}; default 30000)`).argParser(integerOption(minLeaseMs, maxTimerMs)))
      .addOption(new Option('--shutdown-ms <ms>', `on SIGTERM, how long running jobs may finish before they are released (default ${defaultShutdownMs}: ${defaultShutdownMs / 1000} s)`).argParser(integerOption(0, maxTimerMs)))
      .addOption(new Option('--handler <name>', 'what a job runs: the forecast engine, or a no-op (benchmarks)').choices(['forecast', 'noop']).default('forecast'))
      .addOption(new Option('--noop-with-datasets', 'with --handler noop: run even though the database holds datasets (a test database: their forecast jobs complete as no-ops too, with no forecast)'))
      .addOption(new Option('--noop-ms <ms>', 'with --handler noop: how long each job takes (default 0: at once)').argParser(integerOption(0, maxTimerMs)))
      .addOption(new Option('--run-timeout-s <s>', `how long one attempt may run before its thread is stopped and it fails (at most ${maxRunTimeoutS}, one day; default: by model family, 60 s to 1800 s; a dataset\'s runTimeoutS setting wins)`).argParser(integerOption(1, maxRunTimeoutS)))
      .addOption(new Option('--worker-id <id>', 'this worker\'s id in logs and /api/health (default: host-pid-random)').argParser(nonBlankOption));
    addDatabaseOptions(command).action(async (flags: WorkerFlags) => {
      const store = storeConfigFrom(flags);
      const options = {
        databaseUrl: store.databaseUrl,
        databaseUrlFrom: store.databaseUrlFrom,
        databasePath: store.databasePath,
        concurrency: flags.concurrency ?? availableParallelism(),
        prefetch: flags.prefetch,
        leaseMs: flags.leaseMs,
        shutdownMs: flags.shutdownMs,
        handler: flags.handler,
        noopMs: flags.noopMs,
        workerId: flags.workerId,
        runTimeoutS: flags.runTimeoutS,
        noopWithDatasets: flags.noopWithDatasets,
        logLevel: settings().logLevel,
      };
      await runWorker(options);
    });
  },
};
