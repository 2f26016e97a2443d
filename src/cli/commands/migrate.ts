import type { Command } from 'commander';
import { doctorLines, runDoctor } from '../../queue/doctor.js';
import { openStoreMigrated } from '../../stores/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, describeStoreConfig, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger } from '../logger.js';

/** `skucast migrate`: bring the database schema up to date, run the doctor (recount), then exit. */
export const migrateCommand: CliCommand = {
  name: 'migrate',
  register(program: Command) {
    addDatabaseOptions(program.command('migrate').description('apply database migrations and exit')).action(async (flags: DatabaseFlags) => {
      const logger = createLogger(undefined, { role: 'migrate' });
      const config = storeConfigFrom(flags);
      // Refuses (exit 1) a database a newer release migrated: its schema is past what this build knows.
      const { store, applied } = await openStoreMigrated({ ...config, newerSchema: 'refuse' });
      try {
        const database = describeStoreConfig(config);
        if (applied.length === 0) logger.info({ store: store.kind, database, applied }, 'migrate: schema up to date (no migration to apply)');
        else logger.info({ store: store.kind, database, applied }, `migrate: applied ${applied.length} migration(s): ${applied.join(', ')}`);
        // The doctor after every migrate: counters that drifted are recounted and reported.
        const report = await runDoctor(store);
        for (const line of doctorLines(report)) logger.info({ event: 'doctor', drift: report.drift }, `migrate: ${line}`);
      } finally {
        await store.close();
      }
    });
  },
};
