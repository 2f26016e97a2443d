import type { Command } from 'commander';
import { describePrune, pruneFields, runPrune } from '../../queue/retention.js';
import { openStore } from '../../stores/open-store.js';
import { maintenanceRetention } from '../../worker/worker-command.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { printJson, startJson } from '../json-output.js';
import { createLogger, logNewerSchema } from '../logger.js';

interface PruneFlags extends DatabaseFlags {
  dryRun?: boolean;
  json?: boolean;
}

/**
 * `skucast prune [--dry-run] [--json]`: the retention a worker runs hourly (Maintenance's prune,
 * src/queue/retention.ts), once, now, with the worker's policy (SKUCAST_RETENTION_DAYS; the
 * idempotency keys after a day whatever it says). Says what it deleted, or with --dry-run would
 * delete (store.countPrunable: nothing is deleted), by status, and the cutoffs. Safe while workers
 * and the API run: each delete is one statement, as a worker's prune is.
 */
export const pruneCommand: CliCommand = {
  name: 'prune',
  register(program: Command) {
    const command = program.command('prune')
      .description("delete what retention deletes (a worker does it hourly), now: finished jobs older than SKUCAST_RETENTION_DAYS, workers silent a day, the API's idempotency keys claimed over a day ago")
      .option('--dry-run', 'count what it would delete, deleting nothing')
      .option('--json', 'print one JSON object on stdout: {dryRun, deleted, jobs: {completed, failed, cancelled, total}, workers, idempotencyKeys, cutoffs, retentionDays}, or {error} on a failure (exit code 1)')
      .addHelpText('after', [
        '',
        'The newest completed job per SKU and model of a dataset that still exists is kept whatever its age (it holds',
        "that SKU's forecast); pending and running jobs are never pruned. SKUCAST_RETENTION_DAYS=0 keeps every job",
        'and every worker row (the idempotency keys still go after a day).',
        '',
        'Exit codes:',
        '  0  it ran (whatever it deleted, nothing included)',
        '  1  it could not run: no such database, a bad setting or URL, the database unreachable',
      ].join('\n'));
    addDatabaseOptions(command).action(async (flags: PruneFlags) => {
      const json = startJson(flags);
      const logger = createLogger(undefined, { role: 'prune' });
      const store = await openStore({ ...storeConfigFrom(flags), existing: true, onNewerSchema: logNewerSchema(logger) });
      try {
        const report = await runPrune(store, maintenanceRetention(), { now: Date.now(), dryRun: flags.dryRun === true });
        if (json) printJson(pruneFields(report));
        else process.stdout.write(`${describePrune(report)}${report.dryRun ? ' (dry run: nothing deleted)' : ''}\n`);
      } finally {
        await store.close();
      }
    });
  },
};
