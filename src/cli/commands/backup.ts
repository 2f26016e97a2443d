import { resolve } from 'node:path';
import type { Command } from 'commander';
import { openStore } from '../../stores/open-store.js';
import { inspectSqliteBackup } from '../../stores/sqlite/sqlite-backup-file.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, describeStoreConfig, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger, logNewerSchema } from '../logger.js';
import { pgDumpCommands } from '../pg-dump-command.js';

/**
 * `skucast backup FILE`: a consistent copy of the whole database while the API and workers keep
 * running (the store's backup(): VACUUM INTO on SQLite, one read snapshot). The copy is checked
 * (integrity_check, Skucast schema) before the command says it is done. A store without backup()
 * (PostgreSQL) is refused with what to use instead.
 */
export const backupCommand: CliCommand = {
  name: 'backup',
  register(program: Command) {
    const command = program.command('backup')
      .description('write a consistent copy of the database to FILE while workers run (SQLite; PostgreSQL: use pg_dump)')
      .argument('<file>', 'the backup file to create (must not exist)');
    addDatabaseOptions(command).action(async (file: string, flags: DatabaseFlags) => {
      const logger = createLogger(undefined, { role: 'backup' });
      const config = storeConfigFrom(flags);
      const store = await openStore({ ...config, existing: true, onNewerSchema: logNewerSchema(logger) });
      try {
        if (!store.backup) {
          const hint = config.databaseUrl ? pgDumpCommands(config.databaseUrl) : null;
          throw new Error(`the ${store.kind} store has no built-in backup: use the database's own tool` +
            (hint ? `, e.g. \`${hint.dump}\` (restore with \`${hint.restore}\`)` : ''));
        }
        const target = resolve(file);
        await store.backup(target);
        const info = inspectSqliteBackup(target);
        logger.info({ event: 'backup', file: target, database: describeStoreConfig(config), ...info }, `backup: wrote ${target}`);
      } finally {
        await store.close();
      }
    });
  },
};
