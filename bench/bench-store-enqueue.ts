/**
 * Store throughput on one process: bulk enqueue of 50,000 jobs in one call, then claim + complete
 * in batches. Usage: node dist/bench/bench-store-enqueue.js [databaseUrl-or-path]
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/stores/open-store.js';
import type { NewJob } from '../src/queue/job.js';

const count = 50_000;
const dir = mkdtempSync(join(tmpdir(), 'skucast-bench-'));
const target = process.argv[2] ?? join(dir, 'bench.db');
const store = await openStore(target.includes('://') ? { databaseUrl: target } : { databasePath: target });
try {
  await store.reset();
  const jobs: NewJob[] = Array.from({ length: count }, (_, i) => ({
    datasetId: 'bench', sku: `SKU-${i}`, modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3,
    settings: { horizon: 12 }, inputHash: `hash-${i}`,
  }));
  let t = performance.now();
  const result = await store.enqueue(jobs, { batchId: 'bench' });
  let ms = performance.now() - t;
  console.log(`${store.kind} enqueue: ${result.jobsCreated} jobs in ${ms.toFixed(0)} ms = ${Math.round(count / (ms / 1000))} jobs/s`);

  t = performance.now();
  let done = 0;
  for (;;) {
    const claimed = await store.claim({ workerId: 'bench', limit: 50, leaseMs: 60_000 });
    if (claimed.length === 0) break;
    for (const c of claimed) {
      await store.progress(c, 50);
      await store.complete(c, { mean: [1, 2, 3] });
    }
    done += claimed.length;
  }
  ms = performance.now() - t;
  console.log(`${store.kind} claim(50) + progress + complete: ${done} jobs in ${ms.toFixed(0)} ms = ${Math.round(done / (ms / 1000))} jobs/s`);
  const s = await store.summary();
  console.log(`summary: completed ${s.completed}, total ${s.total}, version ${s.version}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
