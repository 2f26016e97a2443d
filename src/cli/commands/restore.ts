import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Command } from 'commander';
import { staleWorkerMs } from '../../queue/job.js';
import { describeLiveWorkers, liveWorkers } from '../../queue/live-workers.js';
import { openStore } from '../../stores/open-store.js';
import { inspectSqliteBackup, installSqliteBackup, sqliteSidecars } from '../../stores/sqlite/sqlite-backup-file.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger } from '../logger.js';

interface RestoreFlags extends DatabaseFlags {
  force?: boolean;
}

/**
 * `skucast restore FILE`: makes a `skucast backup` file the configured SQLite database. The file
 * must pass integrity_check and hold the Skucast schema. An existing database is replaced only
 * with --force, and not while its workers report heartbeats (stop the API and workers first).
 * Jobs that were running when the backup was taken keep their leases; those expire and the first
 * worker's Maintenance rescues them (back to pending, one attempt used).
 */
export const restoreCommand: CliCommand = {
  name: 'restore',
  register(program: Command) {
    const command = program.command('restore')
      .description('replace the SQLite database with a backup made by `skucast backup` (checked first)')
      .argument('<file>', 'the backup file')
      .option('--force', 'replace an existing database (stop the API and workers first)');
    addDatabaseOptions(command).action(async (file: string, flags: RestoreFlags) => {
      const logger = createLogger(undefined, { role: 'restore' });
      const config = storeConfigFrom(flags);
      if (config.databaseUrl) {
        throw new Error('restore writes a SQLite database; for PostgreSQL use pg_restore on a pg_dump file (unset DATABASE_URL to restore SQLite)');
      }
      const source = resolve(file);
      const target = resolve(config.databasePath!);
      if (source === target) throw new Error('the backup file is the database itself');
      const info = inspectSqliteBackup(source);
      const present = [target, ...sqliteSidecars(target)].some((f) => existsSync(f));
      if (present) {
        if (!flags.force) throw new Error(`${target} exists: restore refuses to replace a database unless --force (stop the API and workers first)`);
        const current = await openStore({ databasePath: target });
        try {
          const now = Date.now();
          const alive = liveWorkers(await current.listWorkers(), now);
          if (alive.length > 0) throw new Error(`${alive.length} worker(s) still use ${target}: ${describeLiveWorkers(alive, now)}; stop them first (a worker killed without stopping counts for ${staleWorkerMs / 1000} s after its last beat)`);
        } finally {
          await current.close();
        }
      }
      installSqliteBackup(source, target);
      const restored = await openStore({ databasePath: target }); // brings an older backup's schema up to date
      await restored.close();
      logger.info({ event: 'restore', file: source, database: target, ...info }, `restore: ${target} now holds the backup ${source}`);
    });
  },
};
