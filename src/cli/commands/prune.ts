import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseRetentionDays, retentionDaysFrom, type RetentionSource } from '../../config/env.js';
import { describePrune, pruneFields, runPrune } from '../../queue/retention.js';
import { openStore } from '../../stores/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { printJson, startJson } from '../json-output.js';
import { createLogger, logNewerSchema } from '../logger.js';

interface PruneFlags extends DatabaseFlags {
  dryRun?: boolean;
  json?: boolean;
  retentionDays?: number;
}

/** `--retention-days`: SKUCAST_RETENTION_DAYS's rule (0 to 36500, 0 keeps every job), commander naming the flag. */
function retentionDaysOption(value: string): number {
  try {
    return parseRetentionDays(value);
  } catch (error) {
    throw new InvalidArgumentError((error as Error).message.replace(/^must be/, 'expected'));
  }
}

/** Where the retention came from, in words: the report's last line. */
export function describeRetentionSource(days: number, source: RetentionSource): string {
  const what = days === 0 ? '0 (keep every job)' : `${days} day(s)`;
  if (source === 'flag') return `Retention: ${what}, from --retention-days`;
  if (source === 'env') return `Retention: ${what}, from SKUCAST_RETENTION_DAYS`;
  return `Retention: ${what}, the DEFAULT (SKUCAST_RETENTION_DAYS is not set in this shell)`;
}

/**
 * The warning a human gets (stderr, before anything is deleted) when the retention is the default:
 * the workers' SKUCAST_RETENTION_DAYS lives in their environment, not necessarily in this shell, and
 * a shorter retention here deletes history they keep, for good.
 */
export function defaultRetentionWarning(days: number, dryRun: boolean): string {
  return [
    `skucast prune: WARNING: SKUCAST_RETENTION_DAYS is not set in this shell, so this uses the DEFAULT retention of ${days} days.`,
    '  If your workers run with another SKUCAST_RETENTION_DAYS, this deletes finished jobs they keep, and that cannot be undone.',
    `  ${dryRun ? 'Nothing is deleted now (--dry-run). ' : 'Check first with --dry-run, and '}pass --retention-days N (the workers' value) to say which retention you mean.`,
  ].join('\n');
}

/**
 * `skucast prune [--retention-days N] [--dry-run] [--json]`: the retention a worker runs hourly
 * (Maintenance's prune, src/queue/retention.ts), once, now. The job retention is --retention-days
 * when given, else this shell's SKUCAST_RETENTION_DAYS, else the default (30 days), which need not
 * be the workers' (their variable is in their environment): the report says which, and on the
 * default a human gets a loud warning first (not a refusal: it runs). The idempotency keys go after
 * a day whatever it says. Says what it deleted, or with --dry-run would delete (store.countPrunable:
 * nothing is deleted), by status, and the cutoffs. Safe while workers and the API run: each delete
 * is one statement, as a worker's prune is.
 */
export const pruneCommand: CliCommand = {
  name: 'prune',
  register(program: Command) {
    const command = program.command('prune')
      .description("delete what retention deletes (a worker does it hourly), now: finished jobs older than --retention-days (else SKUCAST_RETENTION_DAYS, else 30), workers silent a day, the API's idempotency keys claimed over a day ago")
      .addOption(new Option('--retention-days <n>', "finished jobs older than this many days go; 0 keeps every job (as SKUCAST_RETENTION_DAYS, which it overrides: pass the workers' value)").argParser(retentionDaysOption))
      .option('--dry-run', 'count what it would delete, deleting nothing')
      .option('--json', 'print one JSON object on stdout: {dryRun, deleted, jobs: {completed, failed, cancelled, total}, workers, idempotencyKeys, cutoffs, retentionDays, retentionSource: flag|env|default}, or {error} on a failure (exit code 1)')
      .addHelpText('after', [
        '',
        'The newest completed job per SKU and model of a dataset that still exists is kept whatever its age (it holds',
        "that SKU's forecast); pending and running jobs are never pruned. A retention of 0 keeps every job",
        'and every worker row (the idempotency keys still go after a day).',
        '',
        "The workers' SKUCAST_RETENTION_DAYS is set where they run, maybe not in this shell: without --retention-days",
        'and the variable, prune uses the default (30 days) and warns on stderr. Pass --retention-days with the',
        "workers' value, and try --dry-run first: what prune deletes cannot be undone.",
        '',
        'Exit codes:',
        '  0  it ran (whatever it deleted, nothing included)',
        '  1  it could not run: no such database, a bad setting or URL, the database unreachable',
      ].join('\n'));
    addDatabaseOptions(command).action(async (flags: PruneFlags) => {
      const json = startJson(flags);
      const dryRun = flags.dryRun === true;
      const retention = retentionDaysFrom(flags.retentionDays);
      const logger = createLogger(undefined, { role: 'prune' });
      const store = await openStore({ ...storeConfigFrom(flags), existing: true, onNewerSchema: logNewerSchema(logger) });
      try {
        // On stderr with --json too: a cron job's script is where an unset SKUCAST_RETENTION_DAYS bites.
        const warning = retention.source === 'default' ? defaultRetentionWarning(retention.days, dryRun) : null;
        if (warning) process.stderr.write(`${warning}\n`);
        const policy = { pruneAfterMs: retention.days === 0 ? null : Math.round(retention.days * 86_400_000), pruneIdempotencyKeys: true };
        const report = await runPrune(store, policy, { now: Date.now(), dryRun });
        if (json) {
          printJson({ ...pruneFields(report), retentionSource: retention.source, warning });
        } else {
          const kept = retention.source === 'flag' ? '--retention-days 0' : 'SKUCAST_RETENTION_DAYS=0';
          process.stdout.write(`${describePrune(report, kept)}${report.dryRun ? ' (dry run: nothing deleted)' : ''}\n`);
          process.stdout.write(`${describeRetentionSource(retention.days, retention.source)}\n`);
        }
      } finally {
        await store.close();
      }
    });
  },
};
