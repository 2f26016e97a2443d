import type { Command } from 'commander';
import { doctorLines, runDoctor } from '../../queue/doctor.js';
import { openStore } from '../../stores/open-store.js';
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
      const store = await openStore(config); // openStore migrates
      try {
        logger.info({ store: store.kind, database: describeStoreConfig(config) }, 'migrate: schema up to date');
        // The doctor after every migrate: counters that drifted are recounted and reported.
        const report = await runDoctor(store);
        for (const line of doctorLines(report)) logger.info({ event: 'doctor', drift: report.drift }, `migrate: ${line}`);
      } finally {
        await store.close();
      }
    });
  },
};
