/**
 * What a snapshot costs on disk: 10,000 weekly SKUs with a 13-week horizon (the budget: a
 * year of weekly snapshots under 1 GB), through the product's own encoding (snapshotItemRow) and
 * the SQLite store's saveSnapshot. Prints the bytes of values and dates the snapshot reports and
 * the growth of the database file per snapshot, and the year's total.
 * Usage: npm run bench:snapshot [-- --skus 10000 --horizon 13 --snapshots 4]
 */
import { mkdtempSync, rmSync, statSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ForecastItem } from '../src/datasets/dataset-forecasts.js';
import { defaultDatasetSettings } from '../src/datasets/dataset-settings.js';
import { snapshotItemRow } from '../src/datasets/snapshots.js';
import { openStore } from '../src/stores/open-store.js';

const arg = (name: string, fallback: number) => {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? Number(process.argv[i + 1]) : fallback;
};
const skus = arg('skus', 10_000);
const horizon = arg('horizon', 13);
const rounds = arg('snapshots', 4);

const dir = mkdtempSync(join(tmpdir(), 'skucast-snapshot-bench-'));
const file = join(dir, 'bench.db');
const size = () => statSync(file).size + (existsSync(`${file}-wal`) ? statSync(`${file}-wal`).size : 0);
const store = await openStore({ databasePath: file });
try {
  await store.migrate();
  const week = (k: number) => new Date(Date.UTC(2025, 0, 6 + 7 * k)).toISOString().slice(0, 10);
  const names = Array.from({ length: skus }, (_, i) => `STORE-${String(i % 50).padStart(3, '0')}/ITEM-${String(i).padStart(6, '0')}`);
  const history = Array.from({ length: 52 }, (_, k) => week(k));
  await store.createDataset(
    { id: 'bench', name: 'bench', frequency: 'weekly', settings: { ...defaultDatasetSettings('weekly'), horizon }, report: { rows: 0, skus, dateRange: null, frequency: 'weekly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [] } },
    names.map((sku) => ({ sku, dates: history, original: history.map(() => 10), edits: {}, length: 52, volume: 520, demandClass: 'smooth' as const })),
    null, null,
  );
  const items = (round: number) => names.map((sku, i): ForecastItem => {
    const level = 5 + ((i * 7919) % 1000) / 3.7 + round;
    const mean = Array.from({ length: horizon }, (_, k) => level * (1 + 0.1 * Math.sin(k + i)));
    const band = (z: number) => mean.map((m, k) => m + z * Math.sqrt(level) * Math.sqrt(k + 1) * 1.0731);
    return {
      sku, bestModel: ['ensemble', 'ets', 'damped_trend', 'croston'][i % 4], selectedBy: 'metric', selection: null, error: 0.81234 + i / 1e5,
      forecast: { dates: Array.from({ length: horizon }, (_, k) => week(52 + round + k)), mean, lower80: band(-1.28), upper80: band(1.28), lower95: band(-1.96), upper95: band(1.96), intervals: [] },
      backtest: null, inactive: null, models: [],
    };
  });
  let before = size();
  const growth: number[] = [];
  let reported = 0;
  for (let round = 0; round < rounds; round++) {
    const { lastId } = await store.enqueue([{ datasetId: 'bench', sku: names[0], modelId: 'ets', method: 'grid', reason: 'manual_trigger', priority: 2 }], { batchId: `b${round}`, reuse: false });
    const [claimed] = await store.claim({ workerId: 'bench', limit: 1, leaseMs: 60_000 });
    await store.complete(claimed, {});
    const rows = items(round).map((item) => snapshotItemRow(item, 'forecast'));
    const snapshot = await store.saveSnapshot({
      datasetId: 'bench', mark: lastId!, cause: 'actuals', historyEnd: week(51 + round), forecastStart: week(52 + round), forecastEnd: week(51 + round + horizon),
      skuCount: skus, skusWithForecast: skus, portfolio: { wape: 20, bias: 1 },
    }, rows);
    if (!snapshot) throw new Error('the snapshot was not saved');
    reported = snapshot.bytes;
    const after = size();
    growth.push(after - before);
    before = after;
  }
  const perSnapshot = growth.slice(1).reduce((a, b) => a + b, 0) / Math.max(1, growth.length - 1);
  const mb = (b: number) => `${(b / 1048576).toFixed(1)} MB`;
  console.log(`snapshot of ${skus} SKUs x ${horizon} periods (float64 mean + 80/95 bands, dates, model):`);
  console.log(`  values and dates stored: ${mb(reported)} (${Math.round(reported / skus)} bytes a SKU)`);
  console.log(`  SQLite file growth:      ${mb(perSnapshot)} a snapshot (${Math.round(perSnapshot / skus)} bytes a SKU; mean of snapshots 2..${rounds})`);
  console.log(`  a year of weekly snapshots (52): ${mb(52 * perSnapshot)} on SQLite (budget 1024 MB)`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
