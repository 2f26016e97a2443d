/**
 * SQLite store.enqueue alone, in one process: `reps` batches of 50,000 planner-shaped jobs (one
 * run of shared fields, every job hashed), printing each batch's CPU ms. The database first gets
 * one completed hashed job, so reuse always runs. Scenarios: `fresh` (each batch a new dataset:
 * supersede can be skipped), `same` (one dataset: the previous batch is still open and superseded).
 * Usage: node dist/bench/bench-sqlite-enqueue-batches.js fresh|same [reps]
 * On a shared machine count instructions instead of time, each build A/B:
 *   valgrind --tool=callgrind --callgrind-out-file=/dev/null node dist/bench/bench-sqlite-enqueue-batches.js fresh 2
 * minus the same with reps 0 (startup and migration), halved: instructions per 50,000-job batch.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openSqliteStore } from '../src/stores/sqlite/sqlite-store.js';

const scenario = process.argv[2] === 'same' ? 'same' : 'fresh';
const reps = Number(process.argv[3] ?? 3);
const count = 50_000;
const dir = mkdtempSync(join(tmpdir(), 'skucast-enqueue-'));
const store = await openSqliteStore(join(dir, 'bench.db'));
try {
  await store.migrate();
  const seed = { datasetId: 'seed', sku: 'seed', modelId: 'ets', method: 'grid', reason: 'initial_import', priority: 3, settings: {}, inputHash: 'seed' } as const;
  await store.enqueue([seed], { batchId: 'seed' });
  const [claimed] = await store.claim({ workerId: 'bench', limit: 1, leaseMs: 60_000 });
  await store.complete(claimed, { mean: [1] });
  const settings = { horizon: 12 };
  const cpuMs: number[] = [];
  for (let r = 0; r < reps; r++) {
    const datasetId = scenario === 'same' ? 'one' : `dataset-${r}`;
    const jobs = Array.from({ length: count }, (_, i) => ({
      datasetId, sku: `SKU-${i}`, modelId: 'ets', method: 'grid', reason: 'initial_import' as const, priority: 3, settings, inputHash: `h-${r}-${i}`,
    }));
    const start = process.cpuUsage();
    await store.enqueue(jobs, { batchId: `batch-${r}` });
    const used = process.cpuUsage(start);
    cpuMs.push(Math.round((used.user + used.system) / 1000));
  }
  console.log(`sqlite enqueue ${scenario}: CPU ms per ${count} jobs ${JSON.stringify(cpuMs)}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
