import type { Command } from 'commander';
import { migrateStore } from '../../stores/migrate-store.js';
import type { CliCommand } from '../cli-command.js';
import { describeStoreConfig } from '../database-options.js';
import { createLogger } from '../logger.js';
import { progressLog } from '../progress-log.js';

/** `skucast migrate-store --from <sqlite file> --to <postgres url>`: move a single-host install to PostgreSQL. */
export const migrateStoreCommand: CliCommand = {
  name: 'migrate-store',
  register(program: Command) {
    program
      .command('migrate-store')
      .description('copy a SQLite database (datasets, series, overrides, jobs, snapshots, actuals) into an empty PostgreSQL database, in one transaction')
      .requiredOption('--from <path>', 'the SQLite file, e.g. data/forecast-jobs.db (stop its API and workers first: refused while a worker of it beat within the last minute)')
      .requiredOption('--to <url>', 'the PostgreSQL URL, postgres://user@host:5432/db (may end in ?schema=name)')
      .option('--ignore-workers', "skip the check for live workers of the file (before the copy and before its commit): only for a worker you know is dead whose row still looks alive, say its beat dated ahead by a clock skew (a worker that starts, beats or stops during the copy still makes it refuse)")
      .action(async (flags: { from: string; to: string; ignoreWorkers?: boolean }) => {
        const logger = createLogger(undefined, { role: 'migrate-store' });
        const to = describeStoreConfig({ databaseUrl: flags.to });
        const report = await migrateStore({
          from: flags.from,
          to: flags.to,
          ignoreWorkers: flags.ignoreWorkers === true,
          // Not before: a missing --from file was refused right after a line saying it was being copied.
          onStart: () => logger.info({ from: flags.from, to }, 'migrate-store: copying'),
          onProgress: progressLog((fields) => logger.info(fields, 'migrate-store: copied')),
        });
        logger.info({ from: flags.from, to, ...report }, 'migrate-store: done');
      });
  },
};
