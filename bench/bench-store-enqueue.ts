/**
 * Store throughput on one process: bulk enqueue of 50,000 jobs in one call, then claim + complete
 * in batches. Usage: node dist/bench/bench-store-enqueue.js [databaseUrl-or-path]
 * Prints wall-clock rates and, for a machine shared with other work, rates per CPU second of this
 * process (for SQLite, which runs in-process, the better measure of the store's own cost).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../src/stores/open-store.js';
import type { NewJob } from '../src/queue/job.js';

const count = 50_000;
const rate = (n: number, ms: number) => Math.round(n / (ms / 1000));
function cpuMsSince(start: NodeJS.CpuUsage): number {
  const used = process.cpuUsage(start);
  return (used.user + used.system) / 1000;
}
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
  let cpu = process.cpuUsage();
  const result = await store.enqueue(jobs, { batchId: 'bench' });
  let ms = performance.now() - t;
  let cpuMs = cpuMsSince(cpu);
  console.log(`${store.kind} enqueue: ${result.jobsCreated} jobs in ${ms.toFixed(0)} ms = ${rate(count, ms)} jobs/s (${rate(count, cpuMs)} jobs per CPU second)`);

  t = performance.now();
  cpu = process.cpuUsage();
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
  cpuMs = cpuMsSince(cpu);
  console.log(`${store.kind} claim(50) + progress + complete: ${done} jobs in ${ms.toFixed(0)} ms = ${rate(done, ms)} jobs/s (${rate(done, cpuMs)} jobs per CPU second)`);
  const s = await store.summary();
  console.log(`summary: completed ${s.completed}, total ${s.total}, version ${s.version}`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
