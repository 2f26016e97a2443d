import type { Command } from 'commander';
import { doctorLines, runDoctor } from '../../queue/doctor.js';
import { openStore } from '../../stores/open-store.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, describeStoreConfig, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger } from '../logger.js';

/**
 * `skucast doctor`: recounts the queue's summary counters from the rows and reports each status
 * that had drifted (a row written outside the app, a restore); the drift is repaired. Exits 0:
 * a repaired drift is a finding, not a failure.
 */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  register(program: Command) {
    addDatabaseOptions(program.command('doctor').description('recount the queue counters and report any drift (repairs it)'))
      .action(async (flags: DatabaseFlags) => {
        const logger = createLogger(undefined, { role: 'doctor' });
        const config = storeConfigFrom(flags);
        const store = await openStore({ ...config, existing: true });
        try {
          const report = await runDoctor(store);
          for (const line of doctorLines(report)) process.stdout.write(`${line}\n`);
          logger.info({ event: 'doctor', store: store.kind, database: describeStoreConfig(config), drift: report.drift },
            `doctor: ${report.drift.length === 0 ? 'nothing to repair' : `${report.drift.length} counter(s) recounted`}`);
        } finally {
          await store.close();
        }
      });
  },
};
