import { createWriteStream, existsSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { once } from 'node:events';
import { InvalidArgumentError, type Command } from 'commander';
import { datasetAggregates } from '../../datasets/aggregates.js';
import { aggregatesCsv } from '../../datasets/aggregates-csv.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import { forecastsCsv, forecastsCsvOptions, metricsCsv } from '../../datasets/dataset-results.js';
import type { Dataset } from '../../datasets/dataset.js';
import { snapshotForecastsCsv } from '../../datasets/snapshot-forecasts.js';
import { openStore } from '../../stores/open-store.js';
import type { Store } from '../../stores/store.js';
import { integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { validationLine } from '../validation-line.js';
import { counted } from '../../datasets/counted.js';
import type { SnapshotRef } from '../../datasets/snapshot-ref.js';
import { snapshotOf, snapshotRefArgument } from '../snapshot-arg.js';

/** `skucast export DATASET --out FILE`: the forecasts CSV (or --metrics) of a dataset, as the API serves it. */
interface ExportFlags extends DatabaseFlags {
  out: string;
  metrics?: boolean;
  snapshot?: SnapshotRef;
  totals?: boolean;
  by?: string;
  decimals?: number;
}

/** A dataset by id, by exact name, or `latest`. */
export async function findDataset(store: Store, key: string): Promise<Dataset> {
  const byId = key === 'latest' ? await store.latestDataset() : await store.getDataset(key);
  if (byId) return byId;
  const byName = (await store.listDatasets()).filter((d) => d.name === key);
  if (byName.length === 1) return byName[0];
  if (byName.length > 1) throw new Error(`${byName.length} datasets are named '${key}': give the id (${byName.map((d) => d.id).join(', ')})`);
  throw Object.assign(new Error(`no dataset '${key}' (by id or name)`), { answerCode: 'not_found' as const, answerPath: 'dataset' });
}

/**
 * --decimals: 1 to 6. 0 is refused, saying why (R review finding 7): each row is rounded on its
 * own, so 500 SKUs at 0.3 a week exported as 0 and a pivot by store totalled 0 where the forecast's
 * total is 150.
 */
function decimalsOption(value: string): number {
  if (value.trim() === '0') throw new InvalidArgumentError('0 decimals is refused: each row is rounded on its own, so slow movers (0.3 a week) would export as 0 and a pivot of the file would sum to 0; use 1 or more');
  return integerOption(1, 6)(value);
}

export const exportCommand: CliCommand = {
  name: 'export',
  register(program: Command) {
    const command = program.command('export')
      .description("write a dataset's forecasts as CSV (sku,[its attributes as imported,]date,model,forecast,lo80,hi80,lo95,hi95,status), or its metrics or totals")
      .argument('<dataset>', 'dataset id, name, or "latest"')
      .requiredOption('--out <file>', 'output file ("-" for stdout)')
      .option('--metrics', 'write every model\'s holdout metrics instead (metrics.csv)')
      .option('--snapshot <snapshot>', 'the forecasts a snapshot kept instead of the current ones: its id, or its name', snapshotRefArgument)
      .option('--totals', "the dataset's totals instead (aggregates.csv: summed history and forecast with bands)")
      .option('--by <attribute>', 'with --totals: also a total per value of this attribute (store, category, ...)')
      .option('--decimals <n>', 'round the forecasts\' values to n decimals, 1 to 6 (default: full precision, 6); 0 is refused: rows are rounded one by one, so slow movers at 0.3 would export as 0 and sum to 0', decimalsOption);
    addDatabaseOptions(command).action(async (key: string, flags: ExportFlags) => {
      if (flags.decimals !== undefined && (flags.metrics || flags.totals)) throw new Error('--decimals rounds the forecasts: leave out --metrics and --totals');
      if (flags.by !== undefined && !flags.totals) throw new Error('--by needs --totals: it names the attribute the totals are summed by');
      if (flags.totals && (flags.metrics || flags.snapshot !== undefined)) throw new Error('--totals writes the current totals: leave out --metrics and --snapshot');
      // Checked before anything is read: a missing folder was a raw ENOENT from the write stream.
      if (flags.out !== '-' && !existsSync(dirname(resolve(flags.out)))) throw new Error(`--out: no folder ${dirname(resolve(flags.out))} to write ${flags.out} in`);
      const store = await openStore({ ...storeConfigFrom(flags), existing: true });
      try {
        const dataset = await findDataset(store, key);
        const skus = new Map<string, number>(); // forecasts: SKUs by status, for the summary
        const onSku = (status: string) => skus.set(status, (skus.get(status) ?? 0) + 1);
        let chunks: AsyncIterable<string> | Iterable<string> = flags.metrics ? metricsCsv(store, dataset) : forecastsCsv(store, dataset, { decimals: flags.decimals, onSku });
        if (flags.totals) {
          try {
            chunks = [aggregatesCsv(await datasetAggregates(store, dataset, flags.by))];
          } catch (error) {
            if (!isDatasetValidationError(error)) throw error;
            process.stderr.write(validationLine('export', error));
            process.exitCode = 1;
            return;
          }
        }
        if (flags.snapshot !== undefined) {
          if (flags.metrics) throw new Error('--metrics and --snapshot: a snapshot keeps the forecasts shown, not every model\'s metrics');
          const snapshot = await snapshotOf(store, dataset.id, flags.snapshot, 'snapshot');
          chunks = snapshotForecastsCsv(store, snapshot, await forecastsCsvOptions(store, dataset, flags.decimals), onSku);
        }
        const sink = flags.out === '-' ? process.stdout : createWriteStream(flags.out);
        let lines = 0;
        for await (const chunk of chunks) {
          lines += chunk.split('\n').length - 1;
          if (!sink.write(chunk)) await once(sink, 'drain');
        }
        const missing = withoutForecast(skus, flags.snapshot !== undefined);
        if (sink !== process.stdout) {
          sink.end();
          await once(sink, 'finish');
          process.stderr.write(`wrote ${flags.out}: ${counted(lines - 1, 'row')} of dataset ${dataset.id} (${dataset.name})${missing ? `; ${missing}` : ''}\n`);
        } else if (missing) {
          process.stderr.write(`note: ${missing}\n`);
        }
        if (lines <= 1 && !flags.totals) process.stderr.write('note: no completed forecasts yet (are workers running?)\n');
      } finally {
        await store.close();
      }
    });
  },
};

/** Why a SKU of forecasts.csv has no forecast, by its `status` (docs/datasets.md). */
const noForecastBecause: Array<[string, string]> = [
  ['none', 'no job coming: cancelled, never queued, or a history too short for the models'],
  ['failed', "the current models' newest jobs failed"],
  ['pending', 'a job still open'],
];

/**
 * `30 of 60 SKUs have no forecast (none 28: no job coming: ...; failed 2: ...)`, counted from the
 * statuses the export wrote; null when every SKU has one (or the file is not forecasts.csv).
 * Was: "wrote x.csv: 450 rows", the SKUs without a forecast (one row each) left to be found.
 */
export function withoutForecast(skus: ReadonlyMap<string, number>, atSnapshot = false): string | null {
  const total = [...skus.values()].reduce((a, b) => a + b, 0);
  const reasons = noForecastBecause.filter(([status]) => (skus.get(status) ?? 0) > 0);
  if (reasons.length === 0) return null;
  const missing = reasons.reduce((n, [status]) => n + skus.get(status)!, 0);
  // A snapshot's statuses are those it kept: a job "still open" then, maybe long finished since.
  return `${missing} of ${counted(total, 'SKU')} ${missing === 1 ? 'has' : 'have'} no forecast${atSnapshot ? ' in the snapshot (as things stood when it was taken)' : ''} (${reasons.map(([status, why]) => `${status} ${skus.get(status)}: ${why}`).join('; ')}); their rows' status column says which`;
}
