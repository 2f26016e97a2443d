import { createReadStream, existsSync } from 'node:fs';
import type { Command } from 'commander';
import { absentSkusChoices, appendActuals, type AbsentSkus } from '../../datasets/actuals.js';
import { ActualsCheckStaleError } from '../../datasets/actuals-check-stale-error.js';
import { ActualsConflictError } from '../../datasets/actuals-conflict-error.js';
import { DatasetChangedError } from '../../datasets/dataset-changed-error.js';
import { DatasetGoneError } from '../../datasets/dataset-gone-error.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import { csvFormats, type CsvImportOptions } from '../../datasets/import-dataset.js';
import type { Charset } from '../../datasets/text-charset.js';
import { openStore } from '../../stores/open-store.js';
import { charsetOption, choiceOption, integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { validationLine } from '../validation-line.js';
import { addJsonOption, answerOnInterrupt, failureJson, printJson, startJson, validationJson } from '../json-output.js';
import { answerActuals } from '../../datasets/actuals-answer.js';
import { duration, watchBatch } from '../watch-batch.js';
import { findDataset } from './export.js';
import { printRejected } from './import.js';
import { counted } from '../../datasets/counted.js';

/**
 * `skucast actuals DATASET FILE`: the same as POST /api/datasets/:id/actuals, straight into the
 * database the workers use. With --watch it follows the re-forecast of the SKUs that changed.
 */
interface ActualsFlags extends DatabaseFlags {
  mapping?: string;
  dateFormat?: string;
  format?: 'long' | 'wide' | 'auto';
  delimiter?: string;
  charset?: Charset;
  headerRow?: number;
  maxRejected?: number;
  absentSkus?: AbsentSkus;
  dryRun?: boolean;
  basedOn?: number;
  watch?: boolean;
  json?: boolean;
}

export const actualsCommand: CliCommand = {
  name: 'actuals',
  register(program: Command) {
    const command = program.command('actuals')
      .description('append new actuals to a dataset and re-forecast the SKUs that changed (as POST /api/datasets/:id/actuals)')
      .argument('<dataset>', 'dataset id, name, or "latest"')
      .argument('<file>', 'CSV file in any form the import takes (default: the dataset\'s own columns)')
      .option('--mapping <json>', 'columns by header or number from 1, e.g. {"sku":"Item","date":"Week","quantity":"Units"} or {"quantity":4} ({} to detect them)')
      .option('--date-format <format>', 'e.g. DD/MM/YYYY (default: detected)')
      .option('--format <format>', 'long, wide or auto (default auto)', choiceOption(csvFormats))
      .option('--delimiter <delimiter>', 'comma, semicolon, tab or pipe (default: detected)')
      .option('--charset <name>', 'the CSV\'s encoding without a byte order mark: utf-8 (default) or windows-1252 (Excel\'s plain "CSV")', charsetOption)
      .option('--header-row <n>', 'the header\'s line, from 1 (an .xlsx: its sheet row; default: the first, or the first below a report title)', integerOption(1, 1_000_000_000))
      .option('--max-rejected <n>', 'strict mode: refuse the file (nothing stored, exit 1) when more lines than this are rejected (default: any number, reported)', integerOption(0, 1_000_000_000))
      .option('--absent-skus <choice>', 'the dataset\'s SKUs the file has no line for: keep (default) leaves them as they were; zero gives them 0 for the file\'s periods after their own history', choiceOption(absentSkusChoices))
      .option('--dry-run', 'check: print what the append would do (periods added, values revised, new, absent and rejected SKUs, warnings) and write nothing')
      .option('--based-on <datasetUpdatedAt>', 'the dataset state a check (--dry-run) printed: the append is refused (nothing stored, exit 1) if the dataset changed since, as the web app\'s Apply is', integerOption(0, Number.MAX_SAFE_INTEGER))
      .option('--watch', 'follow the re-forecast until it drains');
    addJsonOption(command);
    addDatabaseOptions(command).action(async (key: string, file: string, flags: ActualsFlags) => {
      const json = startJson(flags);
      if (!existsSync(file)) throw new Error(`no such file: ${file}`);
      // Refusals name the flag, in the JSON answer too, as a route's 400 names its field.
      const refuse = (message: string, path: string) => Object.assign(new Error(message), { answerPath: path });
      if (flags.dryRun && flags.watch) throw refuse('--watch has nothing to follow with --dry-run: a check queues nothing', 'watch');
      // A check compares with nothing: --based-on there would be silently ignored.
      if (flags.dryRun && flags.basedOn !== undefined) throw refuse('--based-on ties an append to the check that printed it; a check (--dry-run) takes none', 'basedOn');
      let mapping: CsvImportOptions['mapping'];
      if (flags.mapping) {
        try {
          mapping = JSON.parse(flags.mapping) as CsvImportOptions['mapping'];
        } catch {
          throw new Error('--mapping must be JSON, e.g. {"sku":"Item","date":"Week","quantity":"Units"}');
        }
      }
      // In JSON mode stdout carries the one object at the end, not these lines.
      const out = (line: string) => (json ? undefined : process.stdout.write(`${line}\n`));
      const store = await openStore({ ...storeConfigFrom(flags), existing: true });
      try {
        const dataset = await findDataset(store, key);
        let outcome;
        try {
          outcome = await appendActuals(store, dataset, createReadStream(file), { mapping, dateFormat: flags.dateFormat, format: flags.format, delimiter: flags.delimiter, charset: flags.charset, headerRow: flags.headerRow, maxRejected: flags.maxRejected, absentSkus: flags.absentSkus, dryRun: flags.dryRun, basedOn: flags.basedOn });
        } catch (error) {
          // A refused write, nothing stored: the route's code naming the field in JSON, one line on stderr.
          const refused = (e: { message: string; path: string; detail: string }, code: 'conflict_state' | 'conflict_retry', named: string) => {
            if (json) printJson({ ...failureJson(e.message, e.path, code), details: [{ path: e.path, message: e.detail }] });
            process.stderr.write(`skucast actuals: ${e.message} (${named}: ${e.detail})\n`);
            process.exitCode = 1;
          };
          // The dataset moved on since the check this append was tied to: the file may now do something else.
          if (error instanceof ActualsCheckStaleError) return refused(error, 'conflict_state', '--based-on');
          // Other uploads kept changing a SKU of the file: the file can be sent again.
          if (error instanceof ActualsConflictError || error instanceof DatasetChangedError) return refused(error, 'conflict_retry', error.path);
          // Deleted while the file was merged: nothing stored, nothing to send again.
          if (error instanceof DatasetGoneError) {
            if (json) printJson(failureJson(error.message, 'dataset', 'not_found'));
            process.stderr.write(`skucast actuals: ${error.message}\n`);
            process.exitCode = 1;
            return;
          }
          if (!isDatasetValidationError(error)) throw error;
          if (json) printJson(validationJson(error));
          process.stderr.write(validationLine('actuals', error));
          process.exitCode = 1;
          return;
        }
        const r = outcome.report;
        if (outcome.dryRun) out('check (--dry-run): nothing was written; appended, the file would do this');
        out(`actuals ${file} for dataset ${dataset.id} (${dataset.name}): rows ${r.rows}, SKUs ${r.skus}` + (r.dateRange ? `, ${r.dateRange.start} to ${r.dateRange.end}` : ''));
        printRejected(r, out);
        // A date read one way rather than the other, a partial period: said before what it changed.
        for (const w of r.warnings) out(`  warning: ${w}`);
        out(`  SKUs changed ${outcome.skusChanged} (new ${outcome.skusAdded}), periods added ${outcome.periodsAdded}, values revised ${outcome.valuesRevised}`);
        // A mistyped code is a new SKU: named, so it is seen before the next file.
        // One that looks like a dataset SKU says which: A-1O02 (new: did you mean A-1002?).
        const like = new Map(outcome.newSkusLike.map((l) => [l.sku, l.like]));
        if (outcome.skusAdded > 0) out(`  new SKUs: ${namesOf(outcome.newSkus.map((sku) => (like.has(sku) ? `${sku} (new: did you mean ${like.get(sku)}?)` : sku)), outcome.skusAdded)}`);
        if (outcome.rejectedSkus.count > 0) out(`  SKUs whose lines were all rejected, left as they were: ${namesOf(outcome.rejectedSkus.skus.map((x) => `${x.sku} (line ${x.line})`), outcome.rejectedSkus.count)}`);
        const { revised } = outcome;
        if (revised.earliest !== null) out(`  values revised for ${counted(revised.skus, 'SKU')}, back to ${revised.earliest}${revised.periodsBack ? ` (${counted(revised.periodsBack, 'period')} before the dataset's last)` : ''}${revised.onlyHistory || revised.old ? ': check that this is the file meant' : ''}:`);
        for (const v of outcome.revisions.slice(0, 10)) out(`    ${v.sku} ${v.date}: ${v.previous} -> ${v.value}`);
        // Periods the file covers in part: never written over a complete value.
        const { partial } = outcome;
        if (partial.provisional + partial.kept + partial.settled > 0) {
          out(`  partial periods: values kept ${partial.kept}, written as provisional ${partial.provisional}; provisional values made final ${partial.settled}`);
          for (const v of partial.values.filter((x) => x.outcome === 'kept').slice(0, 10)) {
            out(`    ${v.sku} ${v.period}: kept ${v.previous} (${v.stored}); the file's days sum to ${v.value}`);
          }
        }
        const answer = answerActuals(outcome);
        if (outcome.dryRun) {
          out(`  dataset as checked: ${outcome.datasetUpdatedAt} (append with --based-on ${outcome.datasetUpdatedAt} to have the file refused if the dataset changes first)`);
          if (json) printJson(answer);
          return;
        }
        if (outcome.skusChanged === 0) {
          out('  nothing changed: no job queued');
          if (json) printJson(answer);
          return;
        }
        out(`  jobs queued ${outcome.jobsCreated} (reused ${outcome.jobsReused}, superseded ${outcome.jobsCancelled}, skipped ${outcome.jobsSkipped})${outcome.batchId ? `, batch ${outcome.batchId}` : ''}`);
        if (!flags.watch || !outcome.batchId) {
          if (json) printJson(answer);
          return;
        }
        const undoInterrupt = json ? answerOnInterrupt(answer) : () => undefined;
        const final = await watchBatch(store, outcome.batchId, (text) => process.stderr.write(text), process.stderr.isTTY === true).finally(undoInterrupt);
        if (json) printJson({ ...answer, watch: { seconds: final.seconds, completed: final.completed, failed: final.failed } });
        out(`re-forecast finished in ${duration(final.seconds)}: ${final.completed} completed, ${final.failed} failed`);
        out(`  how did the last forecast do: skucast accuracy ${dataset.id}`);
        if (final.failed > 0) process.exitCode = 1;
      } finally {
        await store.close();
      }
    });
  },
};

/** Up to ten names, then how many more: a planner reads them before applying. */
function namesOf(names: string[], total: number): string {
  const shown = names.slice(0, 10);
  return shown.join(', ') + (total > shown.length ? `, and ${total - shown.length} more` : '');
}
