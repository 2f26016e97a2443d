/**
 * Retention, measured: a planner's year of daily edits on one SQLite dataset, with and without the
 * default retention (finished jobs > 30 days pruned, the newest result per SKU and model kept).
 * Each simulated day edits a tenth of the SKUs: their jobs (every model) are enqueued again
 * (superseding the pending ones), then claimed and completed with a result of realistic size.
 * Prints the job rows and the file size at days 30, 90, 180 and 365.
 *
 *   node dist/bench/bench-retention.js [skus=500] [models=3] [days=365]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Maintenance } from '../src/queue/maintenance.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';
import type { Store } from '../src/stores/store.js';

const skus = Number(process.argv[2] ?? 500);
const models = ['ets', 'arima', 'theta', 'naive', 'croston'].slice(0, Number(process.argv[3] ?? 3));
const days = Number(process.argv[4] ?? 365);
const dayMs = 86_400_000;
const checkpoints = new Set([30, 90, 180, days]);
const silent = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
// A forecast result: 12 points, two interval levels, fitted parameters, metrics (about 2 KB as JSON).
const result = (sku: string) => ({
  sku, forecast: Array.from({ length: 12 }, (_, i) => 100 + i), lower: { 80: Array(12).fill(90), 95: Array(12).fill(80) },
  upper: { 80: Array(12).fill(110), 95: Array(12).fill(120) }, fitted: Array.from({ length: 36 }, (_, i) => 95 + i / 3),
  params: { alpha: 0.31, beta: 0.02, phi: 0.98 }, metrics: { mase: 0.81, smape: 12.4, rmse: 8.2 },
});

async function simulate(prune: boolean): Promise<Array<{ day: number; rows: number; bytes: number }>> {
  const dir = mkdtempSync(join(tmpdir(), 'skucast-retention-'));
  const path = join(dir, 'forecast-jobs.db');
  let now = Date.UTC(2026, 0, 1);
  const store: Store = await openSqliteStore(path, { now: () => now });
  await store.migrate();
  const clock = { now: () => now, setTimeout: () => ({ cancel: () => undefined }) };
  const maintenance = new Maintenance({ store, logger: silent, clock, pruneAfterMs: prune ? 30 * dayMs : null });
  const names = Array.from({ length: skus }, (_, i) => `SKU-${i}`);
  const dates = Array.from({ length: 36 }, (_, i) => `${2023 + Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, '0')}-01`);
  await store.createDataset(
    { id: 'ds', name: 'year', frequency: 'monthly', report: { rows: 0, skus, dateRange: { start: dates[0], end: dates[35] }, frequency: 'monthly', format: 'long', rejected: [], rejectedCount: 0, duplicates: 0, gaps: [], tooShort: [], warnings: [] },
      settings: { horizon: 12, holdout: 6, models, method: 'grid', metric: 'mase', intervalLevels: [80, 95], fillGaps: 'zero' } },
    names.map((sku) => ({ sku, dates, original: dates.map(() => 100), edits: {}, length: 36, volume: 3600, demandClass: 'smooth' as const })),
    null, null,
  );
  const out: Array<{ day: number; rows: number; bytes: number }> = [];
  const run = async (edited: string[], day: number) => {
    await store.enqueue(edited.flatMap((sku) => models.map((modelId) => ({
      datasetId: 'ds', sku, modelId, method: 'grid', reason: 'manual_edit_data_cleaning' as const, priority: 2,
    }))), { batchId: `day-${day}`, supersede: true, reuse: false });
    for (;;) {
      const claimed = await store.claim({ workerId: 'w', limit: 200, leaseMs: 60_000 });
      if (claimed.length === 0) break;
      for (const c of claimed) await store.complete(c, result(c.job.sku));
    }
  };
  await run(names, 0);
  for (let day = 1; day <= days; day++) {
    now += dayMs;
    const edited = names.filter((_, i) => (i + day) % 10 === 0);
    await run(edited, day);
    await maintenance.prune();
    if (checkpoints.has(day)) {
      const rows = (await store.summary()).total;
      // The file as it stands (freed pages are reused, not returned: it stops growing, it does not shrink).
      const bytes = statSync(path).size + (statSync(path + '-wal', { throwIfNoEntry: false })?.size ?? 0);
      out.push({ day, rows, bytes });
    }
  }
  await store.close();
  rmSync(dir, { recursive: true, force: true });
  return out;
}

console.log(`retention: ${skus} SKUs x ${models.length} models, a tenth of the SKUs edited every day, ${days} days (SQLite)`);
const [kept, pruned] = [await simulate(false), await simulate(true)];
console.log('day   | jobs, no retention | file, no retention | jobs, 30-day retention | file, 30-day retention');
for (let i = 0; i < kept.length; i++) {
  const mb = (b: number) => `${(b / 1e6).toFixed(1)} MB`;
  console.log(`${String(kept[i].day).padEnd(5)} | ${String(kept[i].rows).padStart(18)} | ${mb(kept[i].bytes).padStart(18)} | ${String(pruned[i].rows).padStart(22)} | ${mb(pruned[i].bytes).padStart(22)}`);
}
