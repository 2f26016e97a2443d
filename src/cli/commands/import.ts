import { createReadStream, existsSync } from 'node:fs';
import { basename, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { portfolioSummary } from '../../datasets/dataset-results.js';
import type { Frequency, ImportReport } from '../../datasets/dataset.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import { mappingRequestFrom } from '../../datasets/column-mapping.js';
import { csvFormats, importCsv, type CsvImportOptions } from '../../datasets/import-dataset.js';
import type { Charset } from '../../datasets/text-charset.js';
import { weekdays, type Weekday } from '../../datasets/period-grid.js';
import { defaultDatasetSettings } from '../../datasets/dataset-settings.js';
import { isFrequency } from '../../forecasting/index.js';
import { openStore } from '../../stores/open-store.js';
import { charsetOption, choiceOption, integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, describeStoreConfig, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { validationLine } from '../validation-line.js';
import { addJsonOption, answerOnInterrupt, printJson, startJson, validationJson } from '../json-output.js';
import { importAnswer } from '../../datasets/import-answer.js';
import { portfolioLines } from '../portfolio-lines.js';
import { duration, watchBatch } from '../watch-batch.js';
import type { StoreConfig } from '../../stores/open-store.js';
import { counted } from '../../datasets/counted.js';

/**
 * `skucast import FILE`: the same import as POST /api/datasets, straight into the database the
 * workers use. With --watch it follows the batch it queued, drawing a progress bar (jobs done of
 * total, rate, ETA) until the batch drains, then prints a summary of the selected models.
 */
interface ImportFlags extends DatabaseFlags {
  models?: string;
  method?: string;
  name?: string;
  mapping?: string;
  dateFormat?: string;
  format?: 'long' | 'wide' | 'auto';
  delimiter?: string;
  charset?: Charset;
  frequency?: Frequency;
  weekStart?: Weekday;
  sheet?: string;
  headerRow?: number;
  horizon?: number;
  holdout?: number;
  maxRejected?: number;
  jobs: boolean;
  watch?: boolean;
  json?: boolean;
}

function printRejected(report: ImportReport, out: (line: string) => void): void {
  if (report.rejectedCount === 0) return;
  out(`  rejected ${counted(report.rejectedCount, 'row')}:`);
  if (report.rejectedReasons) {
    for (const g of report.rejectedReasons) out(`    ${g.count} x ${g.reason}, e.g. ${g.example} (lines ${g.lines.join(', ')}${g.count > g.lines.length ? ', ...' : ''})`);
  } else {
    for (const r of report.rejected.slice(0, 20)) out(`    line ${r.line}: ${r.reason}`);
  }
}

function printReport(report: ImportReport, out: (line: string) => void): void {
  out(`  rows ${report.rows}, SKUs ${report.skus}, ${report.frequency ?? 'unknown'} (${report.format})` +
    (report.dateRange ? `, ${report.dateRange.start} to ${report.dateRange.end}` : ''));
  if (report.mapping) out(`  columns: sku=${report.mapping.sku}, date=${report.mapping.date}, quantity=${report.mapping.quantity}`);
  for (const g of report.setAside ?? []) out(`  set aside (not data) ${g.count} x ${g.reason} (lines ${g.lines.join(', ')}${g.count > g.lines.length ? ', ...' : ''})`);
  printRejected(report, out);
  if (report.duplicates > 0) out(`  lines summed into a period already seen: ${report.duplicates}`);
  if (report.gaps.length > 0) out(`  SKUs with gaps: ${report.gaps.length}`);
  if (report.tooShort.length > 0) out(`  too short to forecast: ${counted(report.tooShort.length, 'SKU')} (${report.tooShort.slice(0, 5).map((t) => t.sku).join(', ')}${report.tooShort.length > 5 ? ', ...' : ''})`);
  for (const w of report.warnings) out(`  warning: ${w}`);
}

/** `daily 14, weekly 13, ...`: a setting's default per frequency, for --help (dataset-settings.ts's, not a copy). */
function byFrequency(setting: 'horizon' | 'holdout'): string {
  const frequencies: Frequency[] = ['daily', 'weekly', 'monthly', 'quarterly', 'yearly'];
  return frequencies.map((f) => `${f} ${defaultDatasetSettings(f)[setting]}`).join(', ');
}

export const importCommand: CliCommand = {
  name: 'import',
  register(program: Command) {
    const command = program.command('import')
      .description('import a sales CSV as a dataset and queue its optimization (as POST /api/datasets)')
      .argument('<file>', 'CSV file (long: sku,date,quantity; or wide: a column per date)')
      .option('--models <ids>', 'comma-separated model ids (default: the engine defaults)')
      .option('--method <method>', 'grid or mle (default grid)', (v: string) => {
        if (v !== 'grid' && v !== 'mle') throw new InvalidArgumentError("expected 'grid' or 'mle'");
        return v;
      })
      .option('--name <name>', 'dataset name (default: the file name)')
      .option('--mapping <json>', 'columns by header or number from 1, e.g. {"sku":"Item","date":"Week","quantity":"Units"} or {"quantity":4}')
      .option('--date-format <format>', 'e.g. DD/MM/YYYY (default: detected)')
      .option('--format <format>', 'long, wide or auto (default auto)', choiceOption(csvFormats))
      .option('--delimiter <delimiter>', 'comma, semicolon, tab or pipe (default: detected)')
      .option('--charset <name>', 'the CSV\'s encoding without a byte order mark: utf-8 (default) or windows-1252 (Excel\'s plain "CSV")', charsetOption)
      .option('--frequency <frequency>', 'aggregate to daily, weekly, monthly, quarterly or yearly (default: detected)', (v: string) => {
        if (!isFrequency(v)) throw new InvalidArgumentError('expected daily, weekly, monthly, quarterly or yearly');
        return v;
      })
      .option('--week-start <day>', 'first day of a week when weekly (default monday, or the weekday all dates share)', (v: string) => {
        if (!weekdays.includes(v.toLowerCase() as Weekday)) throw new InvalidArgumentError(`expected one of ${weekdays.join(', ')}`);
        return v.toLowerCase();
      })
      .option('--sheet <name>', 'an .xlsx file: the sheet to read (default: the first)')
      .option('--header-row <n>', 'the header\'s line, from 1 (an .xlsx: its sheet row; default: the first, or the first below a report title)', integerOption(1, 1_000_000_000))
      .option('--horizon <n>', `periods to forecast (at most 1000, as over HTTP; default by frequency: ${byFrequency('horizon')})`, integerOption(1, 1000))
      .option('--holdout <n>', `periods held out to score models (at most 1000, as over HTTP; default by frequency: ${byFrequency('holdout')})`, integerOption(0, 1000))
      .option('--max-rejected <n>', 'strict mode: refuse the file (nothing stored, exit 1) when more lines than this are rejected (default: any number, reported)', integerOption(0, 1_000_000_000))
      .option('--no-jobs', 'store the dataset without queueing jobs')
      .option('--watch', 'follow the optimization until it drains, then print a summary');
    addJsonOption(command);
    addDatabaseOptions(command).action(async (file: string, flags: ImportFlags) => {
      const json = startJson(flags);
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      let mapping: CsvImportOptions['mapping'];
      if (flags.mapping) {
        let parsed: unknown;
        try {
          parsed = JSON.parse(flags.mapping);
        } catch {
          throw new Error('--mapping must be JSON, e.g. {"sku":"Item","date":"Week","quantity":"Units"} or {"sku":["Store","Item"],"attributes":["Category"]}');
        }
        if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('--mapping must be a JSON object');
        try {
          mapping = mappingRequestFrom(parsed as Record<string, unknown>);
        } catch (error) {
          if (!isDatasetValidationError(error)) throw error;
          throw new Error(`--mapping: ${error.details[0].path}: ${error.details[0].message}`);
        }
      }
      // In JSON mode stdout carries the one object at the end, not these lines.
      const out = (line: string) => (json ? undefined : process.stdout.write(`${line}\n`));
      const config = storeConfigFrom(flags);
      // DATABASE_PATH is relative to the current directory: run from another one, the import made a
      // new database there that no server showed, and --watch waited for workers forever.
      const target = databaseTarget(config);
      const store = await openStore({ processRole: 'import', ...config });
      try {
        const started = Date.now();
        let outcome;
        try {
          outcome = await importCsv(store, createReadStream(file), {
            name: flags.name ?? basename(file).replace(/\.(csv|tsv|txt|xlsx)$/i, ''),
            models: flags.models?.split(',').map((m) => m.trim()).filter(Boolean),
            method: flags.method,
            mapping,
            dateFormat: flags.dateFormat,
            format: flags.format,
            delimiter: flags.delimiter,
            charset: flags.charset,
            frequency: flags.frequency,
            weekStart: flags.weekStart,
            sheet: flags.sheet,
            headerRow: flags.headerRow,
            settings: { ...(flags.horizon ? { horizon: flags.horizon } : {}), ...(flags.holdout !== undefined ? { holdout: flags.holdout } : {}) },
            createJobs: flags.jobs,
            maxRejected: flags.maxRejected,
          });
        } catch (error) {
          if (!isDatasetValidationError(error)) throw error;
          // The refusal names what stopped the import (one date per SKU left), which may only be
          // what the rejected rows left behind: they are the thing to fix, listed as when a file is accepted.
          if (error.report && error.report.rejectedCount > 0) {
            out(`not imported ${file}: nothing stored`);
            printRejected(error.report, out);
          }
          if (json) printJson(validationJson(error));
          process.stderr.write(validationLine('import', error));
          process.exitCode = 1;
          return;
        }
        out(`imported ${file} as dataset ${outcome.datasetId} in ${((Date.now() - started) / 1000).toFixed(1)} s, into ${target.text}`);
        if (target.created) process.stderr.write(newDatabaseWarning(target.created));
        printReport(outcome.report, out);
        out(`  jobs queued ${outcome.jobsCreated} (reused ${outcome.enqueue?.jobsReused ?? 0}, skipped ${outcome.jobsSkipped})${outcome.enqueue ? `, batch ${outcome.enqueue.batchId}` : ''}`);
        const answer = importAnswer(outcome, false);
        if (!flags.watch || !outcome.enqueue) {
          if (json) printJson(answer);
          return;
        }
        const undoInterrupt = json ? answerOnInterrupt(answer) : () => undefined;
        const final = await watchBatch(store, outcome.enqueue.batchId, (text) => process.stderr.write(text), process.stderr.isTTY === true,
          target.created ? { noWorkerMs: newDatabaseWatch.noWorkerMs } : {}).finally(undoInterrupt);
        if (final.noWorker) {
          if (json) printJson({ ...answer, watch: { noWorker: final.noWorker } });
          process.stderr.write(noWorkerLine(target.created!, final.noWorker));
          process.exitCode = 1;
          return;
        }
        const summary = await portfolioSummary(store, outcome.dataset!);
        // --watch's summary as data: how the batch ended, then the portfolio the lines below describe.
        if (json) printJson({ ...answer, watch: { seconds: final.seconds, completed: final.completed, failed: final.failed }, ...summary });
        out('');
        out(`optimization finished in ${duration(final.seconds)}: ${final.completed} completed, ${final.failed} failed`);
        for (const line of portfolioLines(summary, outcome.dataset!.settings.holdout)) out(line);
        if (final.failed > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
  },
};

/**
 * The database an import writes to, as its first line names it (`SQLite /abs/data/forecast-jobs.db
 * (a new file)`, `PostgreSQL postgres://...`), and the SQLite file it is about to create, if any.
 */
export function databaseTarget(config: StoreConfig): { text: string; created: string | null } {
  if (config.databaseUrl) return { text: `PostgreSQL ${describeStoreConfig(config)}`, created: null };
  const path = config.databasePath ?? describeStoreConfig(config);
  if (path === ':memory:') return { text: 'SQLite :memory:', created: null };
  const full = resolve(path);
  const created = existsSync(full) ? null : full;
  return { text: `SQLite ${full}${created ? ' (a new file)' : ''}`, created };
}

function newDatabaseWarning(path: string): string {
  return `skucast import: warning: there was no database at ${path}, so this import created it: no worker or API server can be using it yet. ` +
    'If you meant an existing database, give it (DATABASE_PATH / --database-path, relative to the current directory; or DATABASE_URL / --database-url) and import again; ' +
    `to forecast this one, start a worker on it: skucast worker --database-path ${path}\n`;
}

/**
 * How long `import --watch` on a database it created waits for a worker's heartbeat (a worker
 * beats every 5 s): a test shortens it.
 */
export const newDatabaseWatch = { noWorkerMs: 20_000 };

function noWorkerLine(path: string, wait: { seconds: number; pending: number }): string {
  return `skucast import: no worker is attached to this new database (none beat in ${duration(wait.seconds)}), so its ${counted(wait.pending, 'job')} would wait forever: ` +
    `the dataset and its jobs are stored; start a worker on it (skucast worker --database-path ${path}) and they run, or import into the database your workers use\n`;
}
