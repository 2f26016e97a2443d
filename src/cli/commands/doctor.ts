import type { Command } from 'commander';
import { datasetCalendar } from '../../datasets/dataset-calendar.js';
import { doctorLines, runDoctor } from '../../queue/doctor.js';
import { openStore } from '../../stores/open-store.js';
import type { Store } from '../../stores/store.js';
import type { CliCommand } from '../cli-command.js';
import { addDatabaseOptions, describeStoreConfig, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { createLogger, logNewerSchema } from '../logger.js';

/**
 * `skucast doctor`: recounts the queue's summary counters from the rows and reports each status
 * that had drifted (a row written outside the app, a restore); the drift is repaired. Exits 0:
 * a repaired drift is a finding, not a failure. It also warns of a dataset whose series mix date
 * conventions (month starts beside month ends: new SKUs appended before b702f5d), which it does
 * not repair.
 */
export const doctorCommand: CliCommand = {
  name: 'doctor',
  register(program: Command) {
    addDatabaseOptions(program.command('doctor').description("recount the queue counters and report any drift (repairs it); check each dataset's date convention (warns, repairs nothing)"))
      .addHelpText('after', [
        '',
        'Output (stdout):',
        '  counters: exact                     the summary counters matched the rows',
        '  counters: <status> said N, there are M (+d); recounted   a counter had drifted and was set from the rows (one a status)',
        '  dates: every dataset dates its periods one way (...)',
        "  dates: warning: dataset <id> (<name>) mixes date conventions (...)   some series on month starts, others on",
        '                                      month ends (SKUs appended before b702f5d): Totals show such a period once per',
        '                                      convention; not repaired (re-import the dataset); does not change the exit code',
        '',
        'Exit codes:',
        '  0  the counters were exact, or drifted and were recounted (each drift is a "counters: ... recounted" line;',
        '     a cron job that must tell the two apart reads stdout for "counters: exact")',
        '  1  it could not run: no such database, a bad setting or URL, the database unreachable',
      ].join('\n'))
      .action(async (flags: DatabaseFlags) => {
        const logger = createLogger(undefined, { role: 'doctor' });
        const config = storeConfigFrom(flags);
        const store = await openStore({ ...config, existing: true, onNewerSchema: logNewerSchema(logger) });
        try {
          const report = await runDoctor(store);
          for (const line of doctorLines(report)) process.stdout.write(`${line}\n`);
          for (const line of await mixedCalendarLines(store)) process.stdout.write(`${line}\n`);
          logger.info({ event: 'doctor', store: store.kind, database: describeStoreConfig(config), drift: report.drift },
            `doctor: ${report.drift.length === 0 ? 'nothing to repair' : `${report.drift.length} counter(s) recounted`}`);
        } finally {
          await store.close();
        }
      });
  },
};

/**
 * One warning per dataset whose series mix date conventions: Totals show such a period once per
 * convention. Reads every series of every dataset; nothing is changed (re-importing repairs it).
 */
async function mixedCalendarLines(store: Store): Promise<string[]> {
  const lines: string[] = [];
  for (const dataset of await store.listDatasets()) {
    const { conventions } = await datasetCalendar(store, dataset);
    if (conventions.length < 2) continue;
    const counts = conventions.map((c) => `${c.series} on ${c.convention}`).join(', ');
    lines.push(`dates: warning: dataset ${dataset.id} (${dataset.name}) mixes date conventions (series: ${counts}); new SKUs take ${conventions[0].convention}; Totals show those periods once per convention; re-import it to put it on one`);
  }
  // Was "dates: one convention a dataset", which read as garbled and was documented nowhere.
  return lines.length > 0 ? lines : ['dates: every dataset dates its periods one way (all month starts or all month ends, ...)'];
}
