import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import type { Command } from 'commander';
import { accuracyCsv, forecastAccuracy, type AccuracyFigures } from '../../datasets/accuracy.js';
import { accuracySnapshot } from '../../datasets/accuracy-snapshot.js';
import { openStore } from '../../stores/open-store.js';
import { integerOption, type CliCommand } from '../cli-command.js';
import { addDatabaseOptions, storeConfigFrom, type DatabaseFlags } from '../database-options.js';
import { attributeBy } from '../../datasets/attribute-by.js';
import { isDatasetValidationError } from '../../datasets/dataset-validation-error.js';
import { validationLine } from '../validation-line.js';
import { addJsonOption, failureJson, printJson, startJson, validationJson } from '../json-output.js';
import { findDataset } from './export.js';
import type { SnapshotRef } from '../../datasets/snapshot-ref.js';
import { snapshotOf, snapshotRefArgument } from '../snapshot-arg.js';
import { counted } from '../../datasets/counted.js';

/**
 * `skucast accuracy DATASET`: forecast vs actual as GET /api/datasets/:id/accuracy computes it:
 * the portfolio, each horizon step, and the SKUs that missed most; --out writes accuracy.csv.
 */
interface AccuracyFlags extends DatabaseFlags {
  snapshot?: SnapshotRef;
  out?: string;
  top: number;
  by?: string;
  json?: boolean;
}

const pct = (x: number | null) => (x === null ? '--' : `${x.toFixed(1)} %`);
const num = (x: number | null) => (x === null ? '--' : x.toFixed(2));
const line = (label: string, f: AccuracyFigures) =>
  `${label.padEnd(12)} WAPE ${pct(f.wape).padStart(9)}  bias ${pct(f.bias).padStart(9)}  MAE ${num(f.mae).padStart(10)}  80% ${pct(f.coverage80).padStart(8)}  95% ${pct(f.coverage95).padStart(8)}  points ${f.points}`;

export const accuracyCommand: CliCommand = {
  name: 'accuracy',
  register(program: Command) {
    const command = program.command('accuracy')
      .description('forecast vs actual: a snapshot\'s forecasts against the actuals that came later (default: the snapshot before the latest actuals)')
      .argument('<dataset>', 'dataset id, name, or "latest"')
      .option('--snapshot <snapshot>', 'the snapshot to score: its id, or its name ("S&OP Dec"; skucast snapshots list DATASET)', snapshotRefArgument)
      .option('--out <file>', 'also write accuracy.csv, one row per SKU and horizon step ("-" for stdout only the CSV)')
      .option('--top <n>', 'how many of the SKUs that missed most to list', integerOption(1, 10_000), 10)
      .option('--by <attribute>', "also per value of this attribute (store, category, ...): its SKUs' points pooled, and its total's forecast against its total");
    addJsonOption(command);
    addDatabaseOptions(command).action(async (key: string, flags: AccuracyFlags) => {
      const json = startJson(flags);
      if (json && flags.out === '-') throw new Error('--json prints the figures as JSON on stdout, and --out - makes stdout the CSV alone: write the CSV to a file');
      if (flags.by !== undefined && flags.out === '-') throw new Error('--by prints its groups beside the figures, and --out - makes stdout the CSV alone: write the CSV to a file');
      const store = await openStore({ ...storeConfigFrom(flags), existing: true });
      try {
        const dataset = await findDataset(store, key);
        // A bad --by is refused before any file is written.
        try {
          await attributeBy(store, dataset.id, flags.by);
        } catch (error) {
          if (!isDatasetValidationError(error)) throw error;
          if (json) printJson(validationJson(error));
          process.stderr.write(validationLine('accuracy', error));
          process.exitCode = 1;
          return;
        }
        // A name is read as the id it finds (as GET /api/datasets/:id/accuracy?snapshot=: 404 or 409 naming `snapshot`).
        const id = flags.snapshot === undefined ? undefined : (await snapshotOf(store, dataset.id, flags.snapshot, 'snapshot')).id;
        const { snapshot, actuals } = await accuracySnapshot(store, dataset, id);
        if (!snapshot) {
          const message = id !== undefined ? `no snapshot ${id} of dataset '${dataset.id}'`
            : actuals ? `no snapshot of dataset '${dataset.id}' was made before its latest actuals` : `dataset '${dataset.id}' has no snapshot yet (its forecasts are not complete)`;
          // As GET /api/datasets/:id/accuracy's 404, which names `snapshot`.
          if (json) printJson(failureJson(message, 'snapshot', 'not_found'));
          process.stderr.write(`skucast: ${message}\n`);
          process.exitCode = 1;
          return;
        }
        if (flags.out) {
          const sink = flags.out === '-' ? process.stdout : createWriteStream(flags.out);
          for await (const chunk of accuracyCsv(store, dataset, snapshot)) if (!sink.write(chunk)) await once(sink, 'drain');
          if (sink !== process.stdout) {
            sink.end();
            await once(sink, 'finish');
            process.stderr.write(`wrote ${flags.out}\n`);
          } else return;
        }
        const report = await forecastAccuracy(store, dataset, snapshot, actuals, { limit: flags.top, offset: 0, by: flags.by });
        if (json) {
          printJson(report);
          return;
        }
        const out = (text: string) => process.stdout.write(`${text}\n`);
        // Where most SKUs' forecasts start, and how many start elsewhere: forecastStart, the earliest,
        // is held back by a SKU the files left out (the label the web app shows too).
        const from = report.startsLabel ?? '--';
        out(`dataset ${dataset.id} (${dataset.name}): snapshot ${snapshot.id} of ${new Date(snapshot.createdAt).toISOString().slice(0, 16).replace('T', ' ')} (${snapshot.cause}), forecasts from ${from} to ${snapshot.forecastEnd ?? '--'}`);
        if (report.portfolio.points === 0) {
          for (const p of report.provisional) out(`  only days to date of ${p.period}: ${p.from} to ${p.to}, of its ${p.periodDays} days (${counted(p.skus, 'SKU')}), not scored until whole`);
          out('  no whole period of actuals yet for the periods this snapshot forecast: actuals covering part of a period (the month to date) are scored once a file covers all of it (skucast actuals DATASET FILE)');
          return;
        }
        out(line('portfolio', report.portfolio));
        out(`${'  of total'.padEnd(12)} WAPE ${pct(report.summed.wape).padStart(9)}  bias ${pct(report.summed.bias).padStart(9)}  (the summed forecast against the summed actuals, ${report.summed.points} ${report.summed.points === 1 ? 'date' : 'dates'})`);
        for (const s of report.byStep) out(line(`  step ${s.step}`, s));
        if (report.by !== null) {
          out(`by ${report.by} (its SKUs pooled; "of the total": its summed forecast against its summed actuals):`);
          for (const g of report.groups) {
            out(`  ${(g.value ?? '(none)').padEnd(22)} ${counted(g.skus, 'SKU').padStart(10)}  WAPE ${pct(g.wape).padStart(9)}  bias ${pct(g.bias).padStart(9)}  of the total: WAPE ${pct(g.summed.wape).padStart(9)}  bias ${pct(g.summed.bias).padStart(9)}`);
          }
        }
        // Sorted by the units missed (sum |a - f|), printed first: by WAPE alone the order looked random.
        // Rounded as MAE is, so a SKU of one point prints one figure for both (11.02 beside 11.03 otherwise).
        out(`SKUs that missed most, by units missed (of ${report.total}):`);
        for (const i of report.items) out(`  ${i.sku.padEnd(24)} ${String(i.model ?? '--').padEnd(22)} missed ${num(Math.round(i.absError * 1000) / 1000).padStart(10)}  WAPE ${pct(i.wape).padStart(9)}  bias ${pct(i.bias).padStart(9)}  MAE ${num(i.mae)}`);
      } finally {
        await store.close();
      }
    });
  },
};
