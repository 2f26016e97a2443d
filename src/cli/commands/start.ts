import { availableParallelism } from 'node:os';
import path from 'node:path';
import { Option, type Command } from 'commander';
import { inheritedEnv, settings } from '../../config/env.js';
import { startApiServer, waitForShutdownSignal } from '../api-server.js';
import { integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { addListenOptions, apiConfigFrom, type ListenFlags } from '../listen-options.js';
import { createLogger } from '../logger.js';
import { packageRoot } from '../package-root.js';
import { maxConcurrency } from './worker.js';

/** A bound for --workers that stops a typo (each is a process with its own threads and connections), not a limit to reach. */
const maxWorkerProcesses = 256;
import { WorkerSupervisor } from '../worker-supervisor.js';
import { stopStart } from '../stop-start.js';

interface StartFlags extends DatabaseFlags, ListenFlags {
  workers: number;
  concurrency?: number;
}

/**
 * `skucast start`: the whole system on one machine. The API runs in this process (it migrates
 * the database first, so workers never race to), the workers in child processes.
 */
export const startCommand: CliCommand = {
  name: 'start',
  register(program: Command) {
    const command = addListenOptions(program
      .command('start')
      .description('run the API, the web app and worker processes on this machine')
      .addOption(new Option('--workers <n>', 'worker processes to run').argParser(integerOption(0, maxWorkerProcesses)).default(1))
      .addOption(new Option('--concurrency <n>', 'jobs each worker runs at once (default: the CPU count shared out over the workers)').argParser(integerOption(1, maxConcurrency))));
    addDatabaseOptions(command).action(async (flags: StartFlags) => {
      const { httpDrainMs, storeCloseMs } = settings();
      const logger = createLogger(undefined, { role: 'start' });
      const storeConfig = storeConfigFrom(flags);
      const api = await startApiServer({ storeConfig, apiConfig: apiConfigFrom(flags), logger });
      // Workers inherit the environment, with the database this process resolved from flags and env.
      const env = inheritedEnv();
      if (storeConfig.databaseUrl) env.DATABASE_URL = storeConfig.databaseUrl;
      else delete env.DATABASE_URL;
      if (storeConfig.databasePath) env.DATABASE_PATH = path.resolve(storeConfig.databasePath);
      // N workers on one machine share its CPUs rather than each taking them all.
      const concurrency = flags.concurrency ?? Math.max(1, Math.floor(availableParallelism() / Math.max(1, flags.workers)));
      const supervisor = new WorkerSupervisor({
        count: flags.workers, serverJs: path.join(packageRoot(), 'server.js'), args: ['worker', '--concurrency', String(concurrency)], env, logger,
        // A worker that dies (SIGKILL, a crash) is marked stopped at once, not left stale for a day.
        registry: api.store,
      });
      supervisor.start();
      logger.info({ workers: flags.workers, concurrency, url: api.url }, `skucast is running: open ${api.url}`);
      // Bounded from the signal to the exit, the store's close included (stop-start.ts).
      // A second signal exits at once: the workers take this process's exit as their own second
      // signal (worker-command.ts) and stop at once, releasing their running jobs within about a
      // second (else left to their leases).
      const { signal, stopped } = await waitForShutdownSignal({
        logger,
        abandons: 'the workers stop at once as this process exits (their running jobs released within 1 s, else rescued when their leases expire), '
          + 'requests in flight get no answer, the store is not closed (docs/deploy.md)',
      });
      await stopStart({ signal, supervisor, api, logger, httpCloseTimeoutMs: httpDrainMs, closeTimeoutMs: storeCloseMs });
      stopped();
    });
  },
};
