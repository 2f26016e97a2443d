/**
 * A batch's summary on SQLite (what `skucast import --watch` and bench:e2e poll twice a second):
 * milliseconds per summary of one batch of N jobs (default 50,000) with every job pending, half
 * completed and all completed, each completed through claim and complete with a forecast-sized
 * result (2.8 KB of JSON); then a batch of 10 behind a queue of 6 x N pending jobs (a small batch
 * watched while a long queue waits). Usage: node dist/bench/bench-batch-summary.js [jobs=50000]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { NewJob } from '../src/queue/job.js';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';

const n = Number(process.argv[2] ?? 50_000);
const dir = mkdtempSync(join(tmpdir(), 'skucast-bench-batch-summary-'));
const store = await openSqliteStore(join(dir, 'summary.db'));
try {
  await store.migrate();
  const models = ['ensemble', 'ets', 'damped_trend', 'seasonal_naive', 'croston'];
  const jobs: NewJob[] = Array.from({ length: n }, (_, i) => ({
    datasetId: 'ds_0123456789abcdef', sku: `SKU-${String(Math.floor(i / models.length)).padStart(6, '0')}`, modelId: models[i % models.length],
    method: 'grid', reason: 'initial_import', priority: 5,
  }));
  const { batchId } = await store.enqueue(jobs, { batchId: '8c0f2a36-0f4e-4a55-9a7e-2f6d3f1f2c11' });
  const series = (v: number) => Array.from({ length: 18 }, (_, i) => v + i / 7);
  const result = {
    forecast: { mean: series(100), intervals: [80, 95].map((level) => ({ level, lower: series(90), upper: series(110) })) },
    cv: { forecast: Array.from({ length: 4 }, () => series(101)) }, warnings: [],
  };
  const time = async (label: string, batch = batchId) => {
    const rounds = 10;
    const t = performance.now();
    for (let k = 0; k < rounds; k++) await store.summary({ batchId: batch });
    console.log(`${label.padEnd(24)} ${((performance.now() - t) / rounds).toFixed(2).padStart(8)} ms per summary`);
  };
  console.log(`bench:batch-summary on SQLite: one batch of ${n} jobs, results of ${JSON.stringify(result).length} bytes`);
  await time('every job pending');
  let done = 0;
  let half = false;
  while (done < n) {
    const claimed = await store.claim({ workerId: 'bench', limit: 500, leaseMs: 60_000 });
    for (const c of claimed) await store.complete(c, result);
    done += claimed.length;
    if (!half && done >= n / 2) {
      half = true;
      await time('half completed');
    }
  }
  await time('all completed');
  const jobsOf = (count: number, prefix: string): NewJob[] => Array.from({ length: count }, (_, i) => ({ ...jobs[0], sku: `${prefix}-${i}` }));
  await store.enqueue(jobsOf(6 * n, 'QUEUE'), { batchId: 'the-long-queue', supersede: false, reuse: false });
  await store.enqueue(jobsOf(10, 'SMALL'), { batchId: 'a-small-batch', supersede: false, reuse: false });
  await time(`10 behind ${6 * n} pending`, 'a-small-batch');
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
